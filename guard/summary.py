"""The one line that says what a change is, in a colleague's words."""
from __future__ import annotations

from guard.model import ChangeSet, FileChange, Finding, Level, Stats, Status
from guard.paths import area_said
from guard.words import counted, fold


def _excluded_lines(changeset: ChangeSet, stats: Stats) -> int:
    """How big what is not counted is: a 3,000-line generated file is still 3,000 lines."""
    excluded = {path for path, _ in stats.excluded}
    return sum(change.added + change.removed for change in changeset.files if change.path in excluded)


def _not_counted(changeset: ChangeSet, stats: Stats) -> str:
    """`generated: 3000 lines`, or `binary` alone: a binary file has no lines to count."""
    reasons = fold(sorted({r for _, r in stats.excluded}), 3)
    lines = _excluded_lines(changeset, stats)
    return f"{reasons}: {counted(lines, 'line')}" if lines else reasons


def _no_lines(change: FileChange) -> str:
    """A file changed without a line changing: what happened to it, in words."""
    if change.status is Status.RENAMED:
        return f"renames {change.old_path} to {change.path}"
    if change.status is Status.COPIED:
        return f"copies {change.old_path} to {change.path}"
    if change.status is Status.ADDED:
        return f"adds {change.path}, an empty file"
    if change.status is Status.DELETED:
        return f"deletes {change.path}, an empty file"
    return f"no lines changed in {change.path}"


def describe(changeset: ChangeSet, stats: Stats) -> str:
    """`12 lines in src/client/retry.py (retry_with_backoff) + its test`."""
    side = set(stats.tests) | set(stats.docs) | {path for path, _ in stats.excluded}
    main = [change for change in changeset.files if change.path not in side]
    if not changeset.files:
        return "no changes"
    if len(main) == 1 and not stats.changed_lines:
        what = _no_lines(main[0])
    elif len(main) == 1:
        change = main[0]
        where = f" ({fold(list(change.symbols), 3)})" if change.symbols else ""
        what = f"{counted(stats.changed_lines, 'line')} in {change.path}{where}"
    elif main:
        under = f"{len(main)} files under {fold([area_said(area) for area in stats.areas], 3)}"
        if stats.changed_lines:
            what = f"{counted(stats.changed_lines, 'line')} in {under}"
        elif all(change.status is Status.RENAMED for change in main):
            what = f"renames {under}"
        else:
            what = f"no lines changed in {under}"
    elif stats.tests:
        what = f"{counted(stats.changed_lines, 'line')} of tests in {fold(list(stats.tests), 2)}"
    elif stats.docs:
        what = f"{counted(stats.changed_lines, 'line')} of docs in {fold(list(stats.docs), 2)}"
    else:
        what = (f"{counted(len(stats.excluded), 'file')} not counted as code"
                f" ({_not_counted(changeset, stats)})")
    if main and stats.tests:
        what += " + its test" if len(stats.tests) == 1 else f" + {len(stats.tests)} test files"
    if main and stats.docs:
        what += " + docs"
    if main and stats.excluded:
        what += f" + {len(stats.excluded)} not counted ({_not_counted(changeset, stats)})"
    return what


def summarize(level: Level, changeset: ChangeSet, stats: Stats, findings: tuple[Finding, ...]) -> str:
    what = describe(changeset, stats)
    if not changeset.files:
        return what
    if level is Level.SHIP:
        return f"{what} · reversible · no one else affected"
    # The strictest findings, whatever the verdict: a human's change or an approved one is
    # reported, and what it is reported for is what would have asked (`findings` come strictest first).
    top = max((f.level for f in findings), key=lambda lv: lv.rank, default=level)
    raised = [f.message for f in findings if f.level is top]
    shown = "; ".join(raised[:2])  # a finding's message may hold commas itself
    more = len(raised) - 2
    if more > 0:
        shown += f"; and {counted(more, 'more finding')}"
    return f"{what} · {shown}"

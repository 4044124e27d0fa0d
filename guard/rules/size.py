"""Size and scope: a change too big to skim, or spread over too many parts of the project."""
from __future__ import annotations

from collections.abc import Iterator

from guard.model import ChangeSet, Level, Question
from guard.paths import area_said
from guard.rules import Context, Hit, Rule

_OPTIONS = """\
## Options
```toml
[thresholds.ship]     # at or under all three: no size finding
lines = 50
files = 3
areas = 1
[thresholds.report]   # over any of these: ask
lines = 200
files = 10
areas = 3
```
Lockfiles, generated, vendored, minified and binary files do not count; `generated = [...]`
adds patterns. Areas are `components = [...]` when set, else the nearest folder holding a
package manifest, else the first path segment; tests and docs do not add areas."""

SIZE_LARGE = Rule(
    "size-large", "size", Question.CARE, Level.ASK,
    "more changed lines or files than a reviewer can skim",
    f"""## What it does
Asks when the change has more changed lines (added + removed) or files than
`thresholds.report` allows.

## Why it matters
A change too big to skim is a change nobody really reviewed. Splitting it into small
commits does not make it small: ranges are judged as a whole too.

## Example
A new 600-line module: `600 changed lines in 1 file`.

{_OPTIONS}""",
)
SIZE_MEDIUM = Rule(
    "size-medium", "size", Question.CARE, Level.REPORT,
    "bigger than a one-line handoff, small enough to read later",
    f"""## What it does
Reports a change over `thresholds.ship` but within `thresholds.report` (lines or files).

## Why it matters
Worth a look afterwards, not worth stopping for.

## Example
A 120-line refactor of one module and its tests.

{_OPTIONS}""",
)
SCOPE_WIDE = Rule(
    "scope-wide", "scope", Question.CARE, Level.ASK,
    "touches more areas of the project than thresholds.report allows",
    f"""## What it does
Asks when the change spans more areas (components) than `thresholds.report.areas`.

## Why it matters
A change that reaches into many unrelated parts at once is hard to review and easy to get
subtly wrong; it usually should have been several changes.

## Example
One commit editing `billing/`, `auth/`, `search/` and `mailer/`.

{_OPTIONS}""",
)
SCOPE_SPREAD = Rule(
    "scope-spread", "scope", Question.CARE, Level.REPORT,
    "touches more than one area",
    f"""## What it does
Reports a change spanning more areas than `thresholds.ship.areas`, up to
`thresholds.report.areas`.

## Why it matters
Crossing a component boundary is worth mentioning even when each part is small.

## Example
A fix in `api/` that also edits `worker/`.

{_OPTIONS}""",
)
RULES = (SIZE_LARGE, SIZE_MEDIUM, SCOPE_WIDE, SCOPE_SPREAD)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def check_changeset(changeset: ChangeSet, context: Context) -> Iterator[Hit]:
    stats = context.stats
    assert stats is not None
    ship, report = context.config.ship, context.config.report
    size = f"{_plural(stats.changed_lines, 'changed line')} in {_plural(stats.files, 'file')}"
    if stats.changed_lines > report.lines or stats.files > report.files:
        yield Hit(SIZE_LARGE, "", None,
                  f"{size}: too big to skim (report up to {report.lines} lines and {report.files} files)")
    elif stats.changed_lines > ship.lines or stats.files > ship.files:
        yield Hit(SIZE_MEDIUM, "", None,
                  f"{size}: more than a glance (ship up to {ship.lines} lines and {ship.files} files)")
    areas = len(stats.areas)
    names = ", ".join(map(area_said, stats.areas))
    if areas > report.areas:
        yield Hit(SCOPE_WIDE, "", None,
                  f"spans {areas} areas ({names}): more than {report.areas} is several changes in one")
    elif areas > ship.areas:
        yield Hit(SCOPE_SPREAD, "", None, f"spans {areas} areas ({names})")

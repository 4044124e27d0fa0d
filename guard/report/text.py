"""The human-readable report: one line for ship, a short note for report, the handoff for ask.

The handoff reads like a colleague asking: what changed and how contained, what worries guard
under each of the three questions (file:line and why), and exactly how a human says yes."""
from __future__ import annotations

from guard.model import QUESTION_TEXT, Finding, Level, Question, Verdict
from guard.paths import area_said
from guard.words import counted, fold

APPROVE_HINT = "To go ahead, a human reviews the change and {how}. Any further edit asks again."


def at_terminal(label: str, command: str = "guard approve", stage: str = "") -> str:
    """How a human approves a change judged on their machine (and, once it is a pull request, in
    CI). `guard approve` binds the staged change: `stage` is what puts this change there first."""
    first = f"stages it with `{stage}`,\n  then " if stage else ""
    return f"{first}runs `{command}` at a terminal\n  (in CI: adds the label {label} to the pull request)"


def with_label(label: str, then: str, request: str = "pull request") -> str:
    """How a human approves a pull request (GitLab: a merge request) in CI; `then` what the
    platform needs next."""
    return f"adds the label {label} to the {request}\n  ({then})"
HUMAN_NOTE = "No sign of an AI author, so guard informs instead of asking."


def location(finding: Finding) -> str:
    if not finding.path:
        return "(whole change)"
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def grouped(findings: tuple[Finding, ...]) -> list[tuple[Question, list[Finding]]]:
    groups = []
    for question in Question:
        members = [f for f in findings if f.question is question and f.level is not Level.SHIP]
        if members:
            groups.append((question, members))
    return groups


def contained(verdict: Verdict) -> str:
    """`3 files, +40 -12 lines, 1 area (src/client)`: the extent of the change in one line."""
    stats = verdict.stats
    areas = fold([area_said(area) for area in stats.areas], 4)
    if not stats.files and stats.excluded:  # `0 files, +0 -0 lines, 1 more not counted` said nothing
        changes = verdict.changeset
        return (f"{counted(len(stats.excluded), 'file')}, +{changes.added} -{changes.removed} lines, "
                "none counted as code")
    text = f"{counted(stats.files, 'file')}, +{stats.added} -{stats.removed} lines"
    if stats.areas:
        text += f", {counted(len(stats.areas), 'area')} ({areas})"
    if stats.excluded:
        text += f", {len(stats.excluded)} more not counted"
    return text


def who(verdict: Verdict) -> str:
    authorship = verdict.authorship
    if authorship.assumed and not authorship.signals:
        return "judged as an AI agent's change"
    if not authorship.ai:
        return "no sign of an AI author" if not authorship.assumed else "judged as a human's change"
    if authorship.assumed:
        return "judged as an AI agent's change (--assume-ai)"
    shown = "; ".join(authorship.signals[:2])
    extra = len(authorship.signals) - 2
    more = f"; and {counted(extra, 'more signal')}" if extra > 0 else ""
    return f"written by an AI agent ({shown}{more})"


def by_question(findings: tuple[Finding, ...], indent: str) -> list[tuple[str, str]]:
    """Each question asked, then its findings: where and why, and the rule that says so."""
    lines: list[tuple[str, str]] = []
    for question, members in grouped(findings):
        lines.append(("question", f"{indent}{QUESTION_TEXT[question]}"))
        lines += [("finding", f"{indent}  - {location(f)}: {f.message}  [{f.rule}]") for f in members]
    return lines


def render_lines(verdict: Verdict, how: str | None) -> list[tuple[str, str]]:
    """(style, text) pairs; the plain and the coloured report print the same lines. An `ask`
    ends with how a human approves (`at_terminal`, `with_label`; None: where nobody can)."""
    head = f"{verdict.level} · {verdict.summary}"
    lines: list[tuple[str, str]] = [(str(verdict.level), head)]
    if verdict.level is Level.SHIP:
        return lines
    shown = [f for f in verdict.findings if f.level is not Level.SHIP]
    if verdict.level is Level.REPORT:  # the short version: what to read later
        lines += by_question(verdict.findings, "  ")
        if verdict.approval is not None:
            exact = verdict.approval.fingerprint and verdict.approval.fingerprint == verdict.fingerprint
            note = f"  Approved by {verdict.approval.by} at {verdict.approval.at}"
            lines.append(("note", f"{note}{' (this exact diff)' if exact else ''}."))
        elif any(f.level is Level.ASK for f in shown) and not verdict.authorship.ai:
            lines.append(("note", f"  {HUMAN_NOTE}"))
        return lines
    lines.append(("note", f"  {contained(verdict)} · {who(verdict)}"))
    for question, members in grouped(verdict.findings):
        lines.append(("plain", ""))
        lines += by_question(tuple(members), "  ")
    if how:
        lines.append(("plain", ""))
        lines.append(("note", "  " + APPROVE_HINT.format(how=how)))
    return lines


def format_plain(verdict: Verdict, how: str | None) -> str:
    return "\n".join(text for _, text in render_lines(verdict, how)) + "\n"


_STYLES = {"ship": "bold green", "report": "bold yellow", "ask": "bold red",
           "question": "bold", "finding": "", "note": "dim", "plain": ""}


def format_rich(verdict: Verdict, how: str | None, width: int = 100) -> str:
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, highlight=False)
    for style, text in render_lines(verdict, how):
        console.print(Text(text, style=_STYLES[style]), soft_wrap=True)
    return buffer.getvalue()

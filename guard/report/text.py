"""The human-readable report: one line for ship, a short note for report, the handoff for ask."""
from __future__ import annotations

from guard.model import QUESTION_TEXT, Finding, Level, Question, Verdict

APPROVE_HINT = ("To go ahead, a human reviews the change and runs `guard approve` "
                "(in CI: adds the label {label} to the pull request).")


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


def render_lines(verdict: Verdict, label: str = "guard:approved") -> list[tuple[str, str]]:
    """(style, text) pairs; the plain and the coloured report print the same lines."""
    head = f"{verdict.level} · {verdict.summary}"
    lines: list[tuple[str, str]] = [(str(verdict.level), head)]
    if verdict.level is Level.SHIP:
        return lines
    for question, members in grouped(verdict.findings):
        lines.append(("question", f"  {QUESTION_TEXT[question]}"))
        for finding in members:
            lines.append(("finding", f"    - {location(finding)}: {finding.message}  [{finding.rule}]"))
    if verdict.approval is not None:
        lines.append(("note", f"  Approved by {verdict.approval.by} at {verdict.approval.at}."))
    elif verdict.level is Level.ASK:
        lines.append(("note", "  " + APPROVE_HINT.format(label=label)))
    elif any(f.level is Level.ASK for f in verdict.findings) and not verdict.authorship.ai:
        lines.append(("note", "  No sign of an AI author, so guard informs instead of asking."))
    return lines


def format_plain(verdict: Verdict, label: str = "guard:approved") -> str:
    return "\n".join(text for _, text in render_lines(verdict, label)) + "\n"


_STYLES = {"ship": "bold green", "report": "bold yellow", "ask": "bold red",
           "question": "bold", "finding": "", "note": "dim"}


def format_rich(verdict: Verdict, label: str = "guard:approved", width: int = 100) -> str:
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, highlight=False)
    for style, text in render_lines(verdict, label):
        console.print(Text(text, style=_STYLES[style]), soft_wrap=True)
    return buffer.getvalue()

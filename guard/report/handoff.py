"""`--format handoff`: a short message an agent relays to its human verbatim. Plain text, no
colour, no markup beyond dashes, because it is pasted into a chat."""
from __future__ import annotations

from guard.model import QUESTION_TEXT, Finding, Level, Verdict
from guard.report.text import HUMAN_NOTE, contained, location


def _line(finding: Finding) -> str:
    """`- Can it be undone? path: message`: the question each finding answers, where and why."""
    return f"- {QUESTION_TEXT[finding.question]} {location(finding)}: {finding.message}"


def format_handoff(verdict: Verdict, label: str = "guard:approved", command: str = "guard approve",
                   stage: str = "") -> str:
    """`command` approves this change once `stage` (if any) has put it in the index."""
    if verdict.level is Level.SHIP:
        return f"guard: ship · {verdict.summary}\n"
    shown = [f for f in verdict.findings if f.level is not Level.SHIP]
    if verdict.level is Level.REPORT:
        lines = [f"guard let this change through: {verdict.summary}."]
        lines += [_line(f) for f in shown]
        if verdict.approval is not None:
            lines.append(f"Approved by {verdict.approval.by} at {verdict.approval.at}.")
        elif any(f.level is Level.ASK for f in shown) and not verdict.authorship.ai:
            lines.append(HUMAN_NOTE)
        return "\n".join(lines) + "\n"
    lines = [
        "guard stopped this change and needs your review before it goes ahead.",
        f"What changed: {verdict.summary.split(' · ')[0]}; {contained(verdict)}.",
        "Why it asks:",
    ]
    lines += [_line(f) for f in shown if f.level is Level.ASK]
    others = [f for f in shown if f.level is not Level.ASK]
    if others:
        lines.append("Also worth a look:")
        lines += [_line(f) for f in others]
    first = f"stage it with `{stage}`, then " if stage else ""
    lines.append(f"To approve exactly this change, {first}run `{command}` in your terminal and type yes "
                 f"(on a pull request: add the label {label}). Any further edit needs a new approval.")
    return "\n".join(lines) + "\n"

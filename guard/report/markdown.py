"""Markdown for a pull-request comment or a GitHub job summary. Pure."""
from __future__ import annotations

from guard.model import QUESTION_TEXT, Level
from guard.report.range import RangeVerdict
from guard.report.text import grouped, location

_ICON = {Level.SHIP: "✅", Level.REPORT: "📝", Level.ASK: "✋"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"``{text}``"


def format_markdown(result: RangeVerdict, label: str = "guard:approved") -> str:
    whole = result.whole
    out = [f"## {_ICON.get(result.level, '')} guard: {result.level}", "",
           f"**{result.label}** ({len(result.commits)} commit{'s' if len(result.commits) != 1 else ''}): "
           f"{whole.summary}", ""]
    for question, members in grouped(whole.findings):
        out.append(f"### {QUESTION_TEXT[question]}")
        out += [f"- {_code(location(f))}: {f.message} ({_code(f.rule)}, {f.level})" for f in members]
        out.append("")
    if whole.authorship.signals:
        out.append("AI signals: " + "; ".join(whole.authorship.signals))
        out.append("")
    if whole.approval is not None:
        out += [f"Approved by {whole.approval.by}.", ""]
    elif result.level is Level.ASK:
        # Only the label: an approval recorded on someone's machine does not reach this job.
        out += [f"**To approve:** a human reviews the change and adds the label {_code(label)} "
                "to the pull request.", ""]
    if result.commits:
        out += ["<details><summary>Commit by commit</summary>", "",
                "| Commit | Verdict | Summary |", "|---|---|---|"]
        for commit, verdict in result.commits:
            out.append(f"| {_code(commit.info.sha[:10])} {_cell(commit.subject)} | {verdict.level} "
                       f"| {_cell(verdict.summary)} |")
        out += ["", "</details>", ""]
    return "\n".join(out)

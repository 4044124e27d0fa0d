"""Markdown for a pull-request comment or a GitHub job summary. Pure.

Text from the change (paths, messages, commit subjects) is escaped so it reads as written:
`src/__init__.py` is not bold, `*.pem` starts no emphasis, and `@pytest.mark.skip` mentions no
one (GitHub's mentions ignore a backslash, github/markup#1168: a zero-width space breaks them)."""
from __future__ import annotations

import re

from guard.model import QUESTION_TEXT, Finding, Level
from guard.report.range import RangeVerdict
from guard.report.text import grouped, location
from guard.words import counted

_ICON = {Level.SHIP: "✅", Level.REPORT: "📝", Level.ASK: "✋"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>&~])")
_MENTION = re.compile(r"(?<![\w@])@(?=\w)")


def _text(text: str) -> str:
    return _MENTION.sub("@\u200b", _SPECIAL.sub(r"\\\1", text))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """A code span, fenced by more backticks than the text holds in a row."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def _where(finding: Finding) -> str:
    return _code(location(finding)) if finding.path else "the whole change"


def _item(finding: Finding) -> str:
    return f"- {_where(finding)}: {_text(finding.message)} ({_code(finding.rule)}, {finding.level})"


def format_markdown(result: RangeVerdict, label: str = "guard:approved", request: str = "pull request") -> str:
    """`request` is what the platform calls it: a pull request, or GitLab's merge request."""
    whole = result.whole
    out = [f"## {_ICON.get(result.level, '')} guard: {result.level}", "",
           f"**{_text(result.label)}** ({counted(len(result.commits), 'commit')}): "
           f"{_text(whole.summary)}", ""]
    for question, members in grouped(whole.findings):
        out.append(f"### {QUESTION_TEXT[question]}")
        out += [_item(f) for f in members]
        out.append("")
    asking = result.asking()
    if whole.level is not Level.ASK and asking:
        # The whole does not show these (a file deleted in one commit, brought back in another).
        out.append("### 1 commit asks on its own" if len(asking) == 1
                   else f"### {len(asking)} commits ask on their own")
        for commit, verdict in asking:
            out.append(f"- {_code(commit.info.sha[:10])} {_text(commit.subject)}")
            out += ["  " + _item(f) for f in verdict.findings if f.level is not Level.SHIP]
        out.append("")
    if whole.authorship.signals:
        out.append("AI signals: " + "; ".join(map(_text, whole.authorship.signals)))
        out.append("")
    if whole.approval is not None:
        out += [f"Approved by {_text(whole.approval.by)}.", ""]
    elif result.level is Level.ASK:
        # Only the label: an approval recorded on someone's machine does not reach this job.
        out += [f"**To approve:** a human reviews the change and adds the label {_code(label)} "
                f"to the {request}.", ""]
    if result.commits:
        out += ["<details><summary>Commit by commit</summary>", "",
                "| Commit | Verdict | Summary |", "|---|---|---|"]
        for commit, verdict in result.commits:
            out.append(f"| {_cell(_code(commit.info.sha[:10]))} {_cell(_text(commit.subject))} | {verdict.level} "
                       f"| {_cell(_text(verdict.summary))} |")
        out += ["", "</details>", ""]
    return "\n".join(out)

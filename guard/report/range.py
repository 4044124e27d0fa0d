"""Reports for a range: the whole first (what a reviewer merges), then each commit. Pure."""

import json
from collections.abc import Iterator
from typing import NamedTuple

from guard.logstream import LoggedCommit
from guard.model import Finding, Level, Verdict
from guard.report.json import VERSION, as_dict
from guard.report.text import by_question, format_plain
from guard.words import counted


class RangeVerdict(NamedTuple):
    label: str
    whole: Verdict
    commits: tuple[tuple[LoggedCommit, Verdict], ...]  # oldest first

    @property
    def level(self) -> Level:
        """The strictest of the whole and every commit: a small commit cannot hide in a range."""
        levels = [self.whole.level, *(v.level for _, v in self.commits)]
        return max(levels, key=lambda level: level.rank)

    @property
    def exit_code(self) -> int:
        return 1 if self.level is Level.ASK else 0

    def asking(self) -> list[tuple[LoggedCommit, Verdict]]:
        return [(c, v) for c, v in self.commits if v.level is Level.ASK]

    def distinct_findings(self) -> Iterator[tuple[Finding, Verdict]]:
        """The whole's findings, then any a single commit raised that the whole does not show (a
        file deleted in one commit and brought back in another), each once, with its verdict."""
        seen: set[tuple[str, str, int | None, str]] = set()
        for verdict in (self.whole, *(v for _, v in self.commits)):
            for finding in verdict.findings:
                key = (finding.rule, finding.path, finding.line, finding.message)
                if key not in seen and finding.level in (Level.ASK, Level.REPORT):
                    seen.add(key)
                    yield finding, verdict


def format_range_text(result: RangeVerdict, how: str | None) -> str:
    """`how` a human approves (guard.report.text.at_terminal or with_label; None: nobody can)."""
    lines = [f"{result.label} ({counted(len(result.commits), 'commit')}), as a whole:"]
    lines += ["  " + line if line else "" for line in format_plain(result.whole, how).splitlines()]
    if result.commits:
        lines.append("commit by commit:")
    for commit, verdict in result.commits:
        approved = f"  approved by {verdict.approval.by}" if verdict.approval is not None else ""
        lines.append(f"  {commit.info.sha[:10]} {verdict.level} · {verdict.summary}"
                     f"  ({commit.subject}){approved}")
        if verdict.level is not Level.SHIP and verdict.level is not result.whole.level:
            # The whole already shows its findings; a commit that differs shows its own.
            lines += [text for _, text in by_question(verdict.findings, "      ")]
    asking = len(result.asking())
    if result.whole.level is not Level.ASK and asking and how:
        they = "1 commit asks on its own" if asking == 1 else f"{asking} commits ask on their own"
        lines.append(f"  {they}: to go ahead, a human reviews {'it' if asking == 1 else 'them'} and "
                     f"{' '.join(how.split())}.")
    return "\n".join(lines) + "\n"


def range_as_dict(result: RangeVerdict) -> dict[str, object]:
    return {
        "version": VERSION,
        "range": result.label,
        "verdict": str(result.level),
        "whole": as_dict(result.whole),
        "commits": [
            {"sha": commit.info.sha, "subject": commit.subject, "merge": commit.is_merge,
             **as_dict(verdict)}
            for commit, verdict in result.commits
        ],
    }


def format_range_json(result: RangeVerdict) -> str:
    return json.dumps(range_as_dict(result)) + "\n"  # one line: the C encoder, see report/json.py

"""GitHub Actions workflow commands: one annotation per finding, on stdout. Pure.

Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`, `\r`, `\n`
become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become `%3A`, `%2C`.
"""
from __future__ import annotations

from collections.abc import Iterable

from guard.model import Finding, Level, Verdict
from guard.report.range import RangeVerdict


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, blocking: bool) -> str:
    """`::error` for what blocks the job, `::warning` for what is reported (or approved)."""
    command = "error" if blocking and finding.level is Level.ASK else "warning"
    props = []
    if finding.path:
        props.append(f"file={escape_property(finding.path)}")
        if finding.line:
            props.append(f"line={finding.line}")
    props.append(f"title={escape_property('guard ' + finding.rule)}")
    return f"::{command} {','.join(props)}::{escape_data(finding.message)}"


def _findings(result: RangeVerdict) -> Iterable[tuple[Finding, Verdict]]:
    """The whole's findings, then any a single commit raised that the whole does not show (a file
    deleted in one commit and brought back in another), each once."""
    seen: set[tuple[str, str, int | None, str]] = set()
    for verdict in (result.whole, *(v for _, v in result.commits)):
        for finding in verdict.findings:
            key = (finding.rule, finding.path, finding.line, finding.message)
            if key not in seen and finding.level in (Level.ASK, Level.REPORT):
                seen.add(key)
                yield finding, verdict


def format_annotations(result: RangeVerdict) -> str:
    lines = [annotation(f, verdict.level is Level.ASK) for f, verdict in _findings(result)]
    return "".join(line + "\n" for line in lines)

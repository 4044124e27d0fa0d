"""GitHub Actions workflow commands: one annotation per finding, on stdout. Pure.

Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`, `\r`, `\n`
become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become `%3A`, `%2C`.
"""
from __future__ import annotations

from guard.model import Finding, Level
from guard.report.range import RangeVerdict


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, blocking: bool, commit: str = "") -> str:
    """`::error` for what blocks the job, `::warning` for what is reported (or approved);
    `commit` names the one commit that raised it (the whole does not show it)."""
    command = "error" if blocking and finding.level is Level.ASK else "warning"
    props = []
    if finding.path:
        props.append(f"file={escape_property(finding.path)}")
        if finding.line:
            props.append(f"line={finding.line}")
    title = f"guard {finding.rule}" + (f" (commit {commit[:10]})" if commit else "")
    props.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(props)}::{escape_data(finding.message)}"


def format_annotations(result: RangeVerdict) -> str:
    lines = [annotation(f, verdict.level is Level.ASK,
                        "" if verdict is result.whole else verdict.changeset.source)
             for f, verdict in result.distinct_findings()]
    return "".join(line + "\n" for line in lines)

"""SARIF 2.1.0 for code scanning (OASIS SARIF v2.1.0, errata01 schema). Pure."""
from __future__ import annotations

import json
from collections.abc import Sequence

from guard.model import Finding, Level, Verdict
from guard.report.range import RangeVerdict
from guard.rules import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Level.ASK: "error", Level.REPORT: "warning", Level.SHIP: "note", Level.OFF: "none"}


def _rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.doc or rule.summary, "markdown": rule.doc or rule.summary},
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "properties": {"category": rule.category, "question": str(rule.question)},
    }


def _uri(path: str) -> str:
    """A relative URI reference (RFC 3986): spaces, `%`, `#` and bytes that are not UTF-8 are
    percent-encoded, so code scanning finds the file the path names."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _result(finding: Finding, verdict: Verdict, index: dict[str, int]) -> dict[str, object]:
    blocking = verdict.level is Level.ASK
    level = _LEVEL[finding.level] if blocking or finding.level is not Level.ASK else "warning"
    properties: dict[str, object] = {"category": finding.category, "question": str(finding.question),
                                     "guardLevel": str(finding.level)}
    if not finding.path:
        properties["wholeChange"] = True
    out: dict[str, object] = {
        "ruleId": finding.rule,
        "level": level,
        "message": {"text": finding.message},
        "properties": properties,
    }
    if finding.rule in index:
        out["ruleIndex"] = index[finding.rule]
    # GitHub refuses a whole upload with a result that has no location, so a finding on the
    # change as a whole (its size, its spread) is placed on the change's first file.
    path = finding.path or next((change.path for change in verdict.changeset.files), "")
    if path:
        physical: dict[str, object] = {"artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}}
        if finding.line and finding.path:
            physical["region"] = {"startLine": finding.line}
        out["locations"] = [{"physicalLocation": physical}]
    return out


def format_sarif(result: RangeVerdict, rules: Sequence[Rule], version: str) -> str:
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [_result(f, verdict, index) for f, verdict in result.distinct_findings()]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "guard", "version": version,
                                "rules": [_rule(rule) for rule in rules]}},
            "results": results,
            "properties": {"verdict": str(result.level), "range": result.label},
        }],
    }
    return json.dumps(log, indent=2) + "\n"

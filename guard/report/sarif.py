"""SARIF 2.1.0 for code scanning (OASIS SARIF v2.1.0, errata01 schema). Pure."""
from __future__ import annotations

import json
from collections.abc import Sequence

from guard.model import Finding, Level
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


def _result(finding: Finding, index: dict[str, int], blocking: bool) -> dict[str, object]:
    level = _LEVEL[finding.level] if blocking or finding.level is not Level.ASK else "warning"
    out: dict[str, object] = {
        "ruleId": finding.rule,
        "level": level,
        "message": {"text": finding.message},
        "properties": {"category": finding.category, "question": str(finding.question),
                       "guardLevel": str(finding.level)},
    }
    if finding.rule in index:
        out["ruleIndex"] = index[finding.rule]
    if finding.path:
        physical: dict[str, object] = {"artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"}}
        if finding.line:
            physical["region"] = {"startLine": finding.line}
        out["locations"] = [{"physicalLocation": physical}]
    return out


def format_sarif(result: RangeVerdict, rules: Sequence[Rule], version: str) -> str:
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [_result(f, index, verdict.level is Level.ASK) for f, verdict in result.distinct_findings()]
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

"""Every rule's fixtures (semgrep's ruleid/ok split): fixtures/rules/<rule-id>/bad_*.patch must
produce the rule, ok_*.patch must not. Generic: any folder added there is picked up."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run_guard

from guard.rules import all_rules

RULES_DIR = FIXTURES / "rules"
RULES = {rule.id: rule for rule in all_rules()}
CASES = sorted(
    (folder.name, patch)
    for folder in RULES_DIR.iterdir() if folder.is_dir()
    for patch in folder.glob("*.patch")
)


@pytest.mark.parametrize(("rule_id", "patch"), CASES, ids=[f"{r}/{p.stem}" for r, p in CASES])
def test_fixture(rule_id: str, patch: Path, tmp_path: Path) -> None:
    assert rule_id in RULES, f"fixtures/rules/{rule_id} names no rule"
    assert patch.name.startswith(("bad_", "ok_")), f"{patch.name}: name it bad_* or ok_*"
    result = run_guard("diff", "--patch", str(patch), "--format", "json", cwd=tmp_path)
    assert result.code in (0, 1), result.err
    hits = [f for f in result.json["findings"] if f["rule"] == rule_id]
    if patch.name.startswith("bad_"):
        assert hits, f"{rule_id} did not fire on {patch.name}: {result.json['findings']}"
        rule = RULES[rule_id]
        for hit in hits:
            assert (hit["category"], hit["question"]) == (rule.category, str(rule.question))
            assert hit["message"]
    else:
        assert not hits, f"{rule_id} fired on {patch.name}: {hits}"


@pytest.mark.parametrize("folder", sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir()))
def test_fixture_folder_has_bad_and_ok(folder: str) -> None:
    names = [p.name for p in (RULES_DIR / folder).glob("*.patch")]
    assert any(n.startswith("bad_") for n in names) and any(n.startswith("ok_") for n in names), folder


# Engine rules judged on the whole change (size, scope) or tested in test_diff_sources.py.
NO_FIXTURES_YET = {"size-large", "size-medium", "scope-wide", "scope-spread", "file-deleted"}


def test_every_rule_is_documented_listed_and_has_fixtures(tmp_path: Path) -> None:
    listed = run_guard("rules", cwd=tmp_path)
    assert listed.code == 0
    ids = [line.split()[0] for line in listed.out.splitlines() if line.strip()]
    assert len(ids) == len(set(ids))
    for rule in RULES.values():
        assert rule.id in ids
        assert rule.id == rule.id.lower() and " " not in rule.id and "_" not in rule.id
        assert rule.summary
        for section in ("## What it does", "## Why it matters", "## Example", "## Options"):
            assert section in rule.doc, f"{rule.id}: no {section}"
        if rule.id not in NO_FIXTURES_YET:
            assert (RULES_DIR / rule.id).is_dir(), f"{rule.id}: no fixtures/rules/{rule.id}/"

"""Every rule's fixtures (semgrep's ruleid/ok split): fixtures/rules/<rule-id>/bad_*.patch must
produce the rule, ok_*.patch must not. Generic: any folder added there is picked up.

A folder may also hold `guard.toml` (passed as --config) and `repo/` (files committed in a
scratch repository before the patch is staged there), for rules that need config or a
repository. Every change is judged as an agent's (--assume-ai)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, make_repo, run_guard

from guard.rules import all_rules

RULES_DIR = FIXTURES / "rules"
RULES = {rule.id: rule for rule in all_rules()}
FOLDERS = sorted(p for p in RULES_DIR.iterdir() if p.is_dir())
CASES = sorted((folder.name, patch) for folder in FOLDERS for patch in folder.glob("*.patch"))


def judge(patch: Path, tmp_path: Path) -> dict:
    folder = patch.parent
    config = ["--config", str(folder / "guard.toml")] if (folder / "guard.toml").is_file() else []
    if (folder / "repo").is_dir():
        repo = make_repo(tmp_path / "repo")
        shutil.copytree(folder / "repo", repo.path, dirs_exist_ok=True)
        repo.add()
        repo.commit("base")
        repo.apply(patch)
        result = repo.guard("diff", "--format", "json", "--assume-ai", *config)
    else:
        result = run_guard("diff", "--patch", str(patch), "--format", "json", "--assume-ai", *config,
                           cwd=tmp_path)
    assert result.code in (0, 1), result.err
    return result.json


@pytest.mark.parametrize(("rule_id", "patch"), CASES, ids=[f"{r}/{p.stem}" for r, p in CASES])
def test_fixture(rule_id: str, patch: Path, tmp_path: Path) -> None:
    assert rule_id in RULES, f"fixtures/rules/{rule_id} names no rule"
    assert patch.name.startswith(("bad_", "ok_")), f"{patch.name}: name it bad_* or ok_*"
    verdict = judge(patch, tmp_path)
    hits = [f for f in verdict["findings"] if f["rule"] == rule_id]
    if patch.name.startswith("bad_"):
        assert hits, f"{rule_id} did not fire on {patch.name}: {verdict['findings']}"
        rule = RULES[rule_id]
        for hit in hits:
            assert (hit["category"], hit["question"]) == (rule.category, str(rule.question))
            assert hit["message"]
        assert verdict["verdict"] == str(hits[0]["level"]) or verdict["verdict"] == "ask"
    else:
        assert not hits, f"{rule_id} fired on {patch.name}: {hits}"


def test_every_rule_is_documented_listed_and_has_both_fixtures(tmp_path: Path) -> None:
    listed = run_guard("rules", cwd=tmp_path)
    assert listed.code == 0
    ids = [line.split()[0] for line in listed.out.splitlines() if line.strip()]
    assert len(ids) == len(set(ids)) == len(RULES) >= 20
    for rule in RULES.values():
        assert rule.id in ids
        assert rule.id == rule.id.lower() and " " not in rule.id and "_" not in rule.id
        assert rule.summary
        for section in ("## What it does", "## Why it matters", "## Example", "## Options"):
            assert section in rule.doc, f"{rule.id}: no {section}"
        names = [p.name for p in (RULES_DIR / rule.id).glob("*.patch")]
        assert any(n.startswith("bad_") for n in names), f"{rule.id}: no bad_ fixture"
        assert any(n.startswith("ok_") for n in names), f"{rule.id}: no ok_ fixture"
        explained = run_guard("explain", rule.id, cwd=tmp_path)
        assert explained.code == 0 and rule.doc.splitlines()[0] in explained.out

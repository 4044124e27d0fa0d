"""Fixture diffs for the outbound, dependency, ownership, policy and sensitive rules:
every `bad_*.patch` in fixtures/rules/<rule-id>/ must produce that rule, every `ok_*.patch` must not.
Judged from a bare patch outside any repository (no config, no CODEOWNERS), as an agent's change."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, run_guard

RULE_IDS = (
    "outbound-ci", "outbound-deploy", "outbound-release", "outbound-infra", "outbound-infra-destroy",
    "outbound-dns", "outbound-messaging", "outbound-schedule", "dependency-manifest",
    "dependency-lockfile", "codeowners-owned", "codeowners-edited", "policy-config", "policy-hooks",
    "policy-ci", "sensitive-governance", "sensitive-path",
)
CASES = sorted(p for rule in RULE_IDS for p in (FIXTURES / "rules" / rule).glob("*.patch"))


@pytest.mark.parametrize("patch", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(patch: Path, tmp_path: Path) -> None:
    rule = patch.parent.name
    result = run_guard("diff", "--patch", str(patch), "--format", "json", "--assume-ai", cwd=tmp_path)
    assert result.code in (0, 1), result.err
    found = [f for f in result.json["findings"] if f["rule"] == rule]
    if patch.name.startswith("bad_"):
        assert found, f"{rule} did not fire: {[f['rule'] for f in result.json['findings']]}"
        assert result.code == 1
        assert all(f["message"] for f in found)
    else:
        assert not found, found


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_rule_has_bad_and_ok_fixtures(rule: str) -> None:
    folder = FIXTURES / "rules" / rule
    assert list(folder.glob("ok_*.patch")), f"{rule} has no ok_ fixture"
    # Rules that need a repository (CODEOWNERS, config) explain why in a README instead.
    assert list(folder.glob("bad_*.patch")) or (folder / "README").is_file(), f"{rule} has no bad_ fixture"


def test_rules_are_listed_and_documented(tmp_path: Path) -> None:
    listed = run_guard("rules", cwd=tmp_path)
    assert listed.code == 0
    ids = {line.split()[0] for line in listed.out.splitlines()}
    for rule in RULE_IDS:
        assert rule in ids
        doc = run_guard("explain", rule, cwd=tmp_path)
        assert doc.code == 0, doc.err
        for heading in ("## What it does", "## Why it matters", "## Example", "## Options"):
            assert heading in doc.out, (rule, heading)

"""The policy that judges a change is the one before it: loosening or deleting guard's config
in a change does not loosen the judgement of that change, and asks as `policy` itself."""
from __future__ import annotations

import pytest
from conftest import Repo

STRICT = '[rules]\nsize-medium = "ask"\n'
LOOSE = '[rules]\nsize-medium = "off"\npolicy-config = "off"\n'
HUNDRED_LINES = "".join(f"VALUE_{n} = {n}\n" for n in range(100))


@pytest.fixture
def strict(repo: Repo) -> Repo:
    repo.write(".guard.toml", STRICT)
    repo.write("app/main.py", "print('hi')\n")
    repo.add()
    repo.commit("strict policy")
    return repo


def rules_of(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f["rule"] for f in result.json["findings"]}


@pytest.mark.parametrize("edit", ["loosen", "delete"])
def test_a_range_that_loosens_or_deletes_the_config_is_judged_by_the_old_one(strict: Repo, edit: str) -> None:
    base = strict.git("rev-parse", "HEAD").strip()
    if edit == "loosen":
        strict.write(".guard.toml", LOOSE)
    else:
        strict.git("rm", "-q", ".guard.toml")
    strict.write("app/table.py", HUNDRED_LINES)
    strict.add()
    head = strict.commit("bigger table, easier rules")
    result = strict.guard("diff", f"{base}..{head}", "--format", "json", "--assume-ai")
    assert result.code == 1
    assert {"size-medium", "policy-config"} <= rules_of(result)
    as_commit = strict.guard("diff", head, "--format", "json", "--assume-ai")
    assert {"size-medium", "policy-config"} <= rules_of(as_commit)


def test_a_staged_loosening_does_not_apply_to_itself(strict: Repo) -> None:
    strict.write(".guard.toml", LOOSE)
    strict.write("app/table.py", HUNDRED_LINES)
    strict.add()
    result = strict.guard("diff", "--format", "json", "--assume-ai")
    assert result.code == 1
    assert {"size-medium", "policy-config"} <= rules_of(result)
    # Once committed, the looser policy is the one that applies to what comes next.
    strict.commit("looser")
    strict.write("app/other.py", HUNDRED_LINES)
    strict.add()
    after = strict.guard("diff", "--format", "json", "--assume-ai")
    assert "size-medium" not in rules_of(after)

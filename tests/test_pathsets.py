"""Path sets answer through the union of every set's patterns first; that shortcut must never
hide a match, including for a set made after the union was built."""
from __future__ import annotations

from guard.rules.pathsets import PathSet


def test_each_set_matches_its_own_patterns_through_the_union() -> None:
    terraform = PathSet("*.tf", "infra/**", "Dockerfile", "deploy-*.yml")
    assert terraform.matches("modules/net/main.tf") and terraform.matches("infra/dns/zone.json")
    assert terraform.matches("svc/Dockerfile") and terraform.matches("deploy-prod.yml")
    assert not terraform.matches("src/main.py") and not terraform.matches("docs/infra.md")


def test_a_set_made_later_is_not_hidden_by_an_earlier_answer() -> None:
    early = PathSet("*.tfvars")
    path = "config/unusual-name.cfg"
    assert not early.matches(path)  # the union, as it stood, said no
    late = PathSet("unusual-name.cfg")
    assert late.matches(path) and not early.matches(path)

"""Per-rule levels (`[rules]`) and per-path overrides (`[[overrides]]`) from the committed config,
end to end in real repositories, plus Config.level_for's precedence directly."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, Result, make_repo

from guard.config import load_text
from guard.model import Level
from guard.rules import rule_ids

TF = 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n'


def setup(tmp_path: Path, config: str) -> Repo:
    repo = make_repo(tmp_path / "repo")
    repo.write(".guard.toml", config)
    repo.write(".github/workflows/ci.yml", "on: push\njobs: {}\n")
    for folder in ("infra/dev", "infra/prod", "services/api", "."):
        repo.write(f"{folder}/requirements.txt", "django==4.2\n")
        repo.write(f"{folder}/main.tf", TF)
    repo.add()
    repo.commit("base")
    return repo


def judge(repo: Repo, *paths: str) -> Result:
    for path in paths:
        text = (repo.path / path).read_text()
        repo.write(path, text.replace("django==4.2", "django==5.0").replace('"jobs"\n}', '"jobs-v2"\n}'))
    repo.add()
    result = repo.guard("diff", "--format", "json", "--assume-ai")
    assert result.code in (0, 1), result.err
    return result


def levels(result: Result, rule: str) -> dict[str, str]:
    return {f["path"]: f["level"] for f in result.json["findings"] if f["rule"] == rule}


def test_rule_set_off_disappears(tmp_path: Path) -> None:
    repo = setup(tmp_path, '[rules]\noutbound-ci = "off"\n')
    repo.write(".github/workflows/ci.yml", "on: [push]\njobs: {}\n")
    repo.add()
    result = repo.guard("diff", "--format", "json", "--assume-ai")
    assert result.code == 0, result.out
    assert result.json["verdict"] == "ship"
    assert not [f for f in result.json["findings"] if f["rule"] == "outbound-ci"]


def test_rule_set_report_downgrades(tmp_path: Path) -> None:
    repo = setup(tmp_path, '[rules]\ndependency-manifest = "report"\n')
    result = judge(repo, "requirements.txt")
    assert result.code == 0
    assert result.json["verdict"] == "report"
    assert levels(result, "dependency-manifest") == {"requirements.txt": "report"}


def test_per_path_override_wins_over_rules(tmp_path: Path) -> None:
    repo = setup(tmp_path, """[rules]
dependency-manifest = "report"

[[overrides]]
paths = ["services/api/**"]
rules = { dependency-manifest = "ask" }
""")
    result = judge(repo, "requirements.txt", "services/api/requirements.txt")
    assert levels(result, "dependency-manifest") == {"requirements.txt": "report",
                                                     "services/api/requirements.txt": "ask"}
    assert result.code == 1


def test_most_specific_pattern_wins_whatever_the_order(tmp_path: Path) -> None:
    repo = setup(tmp_path, """[[overrides]]
paths = ["infra/prod/**"]
level = "ask"

[[overrides]]
paths = ["infra/**"]
level = "report"
""")
    result = judge(repo, "infra/dev/main.tf", "infra/prod/main.tf")
    assert levels(result, "outbound-infra") == {"infra/dev/main.tf": "report", "infra/prod/main.tf": "ask"}


def test_exclusion_beats_inclusion(tmp_path: Path) -> None:
    repo = setup(tmp_path, """[[overrides]]
paths = ["infra/prod/main.tf", "infra/**", "!infra/prod/**"]
level = "off"
""")
    result = judge(repo, "infra/dev/main.tf", "infra/prod/main.tf")
    # Excluded even though a more specific pattern of the same override includes it.
    assert levels(result, "outbound-infra") == {"infra/prod/main.tf": "ask"}


def test_unknown_rule_in_config_is_a_usage_error(tmp_path: Path) -> None:
    repo = setup(tmp_path, '[rules]\noutbound-cii = "off"\n')
    result = repo.guard("diff")
    assert result.code == 2
    assert 'did you mean "outbound-ci"' in result.err


@pytest.mark.parametrize(("path", "expected"), [
    ("infra/prod/db.tf", Level.ASK),       # most specific override
    ("infra/dev/db.tf", Level.REPORT),     # broader override beats [rules]
    ("infra/legacy/db.tf", Level.SHIP),    # excluded from the broad override: [rules]
    ("app/main.tf", Level.SHIP),           # only [rules]
])
def test_level_for_precedence(path: str, expected: Level) -> None:
    config = load_text("""
[rules]
outbound-infra = "ship"

[[overrides]]
paths = ["infra/**", "!infra/legacy/"]
level = "report"

[[overrides]]
paths = ["infra/prod/*.tf"]
rules = { outbound-infra = "ask" }
""", ".guard.toml", rule_ids())
    assert config.level_for("outbound-infra", path, Level.ASK) is expected
    # An override's `rules` table only speaks for the rules it names: the broader one applies.
    assert config.level_for("dependency-manifest", "infra/prod/x.tf", Level.ASK) is Level.REPORT
    assert config.level_for("dependency-manifest", "app/x.tf", Level.ASK) is Level.ASK

"""Declared scope: `--scope GLOB` and `scope = [...]`; edits outside it ask (scope-undeclared)."""
from __future__ import annotations

from pathlib import Path

from conftest import Repo, base_project, clean_env

AGENT = clean_env(CLAUDECODE="1")


project = base_project


def edit(repo: Repo, path: str) -> None:
    repo.write(path, (repo.path / path).read_text() + "\n# touched\n")
    repo.add(path)


def test_edit_outside_the_declared_scope_asks(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    edit(repo, "src/client/retry.py")
    edit(repo, "README.md")
    result = repo.guard("diff", "--scope", "src/client/**", "--format", "json", env=AGENT)
    assert result.code == 1
    [finding] = result.json["findings"]
    assert finding["rule"] == "scope-undeclared" and finding["category"] == "scope"
    assert finding["path"] == "README.md" and "outside the declared scope (src/client/**)" in finding["message"]
    hook = repo.guard("hook", "pre-commit", "--scope", "src/client/**", "--scope", "README.md", env=AGENT)
    assert hook.code == 0, hook.out


def test_edits_inside_the_scope_or_without_one_do_not(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    edit(repo, "src/client/retry.py")
    assert repo.guard("diff", "--scope", "src/**", env=AGENT).code == 0
    assert repo.guard("diff", env=AGENT).code == 0


def test_config_scope_and_exclusions_and_renames(tmp_path: Path) -> None:
    repo = project(tmp_path / "p", config='scope = ["src/**", "!src/client/legacy_importer.py"]\n')
    edit(repo, "src/client/retry.py")
    assert repo.guard("diff", env=AGENT).code == 0
    repo.git("mv", "src/client/legacy_importer.py", "src/client/importer.py")
    result = repo.guard("diff", "--format", "json", env=AGENT)
    assert result.code == 1
    assert [f["message"] for f in result.json["findings"]] == [
        "renames src/client/legacy_importer.py -> src/client/importer.py, outside the declared scope "
        "(src/**, !src/client/legacy_importer.py)"]


def test_the_rule_is_documented(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    result = repo.guard("explain", "scope-undeclared")
    assert result.code == 0
    for section in ("## What it does", "## Why it matters", "## Example", "## Options"):
        assert section in result.out
    assert "scope-undeclared" in repo.guard("rules").out

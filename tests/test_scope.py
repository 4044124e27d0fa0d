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


def test_areas_are_the_nearest_package_roots_at_the_revision_or_on_disk(tmp_path: Path) -> None:
    """A folder with a package manifest is an area of its own, read from the judged revision
    (a range) or the work tree (staged); a folder that only holds a manifest-named folder is not."""
    from conftest import make_repo

    repo = make_repo(tmp_path / "r")
    repo.write("svc/api/pyproject.toml", "[project]\nname = 'api'\n")
    repo.write("svc/web/package.json", "{}\n")
    repo.write("svc/web/src/b.js", "b\n")
    repo.write("svc/api/src/a.py", "a\n")
    repo.write("tools/package.json/readme.txt", "a folder, not a manifest\n")
    repo.write("tools/run.py", "run\n")
    repo.add(".")
    repo.commit("base")
    for path in ("svc/api/src/a.py", "svc/web/src/b.js", "tools/run.py"):
        repo.write(path, (repo.path / path).read_text() + "more\n")
    repo.add(".")
    staged = repo.guard("diff", "--staged", "--format", "json", env=AGENT)
    repo.commit("change")
    ranged = repo.guard("diff", "HEAD~1..HEAD", "--format", "json", env=AGENT)
    for result in (staged, ranged):
        assert sorted(result.json["stats"]["areas"]) == ["svc/api", "svc/web", "tools"], result.out


def test_areas_in_a_sha256_repository(tmp_path: Path) -> None:
    """Tree entries hold 32-byte ids there, not 20: the folder listing must still parse."""
    import subprocess

    from conftest import Repo as TestRepo

    path = tmp_path / "r"
    subprocess.run(["git", "init", "-q", "-b", "main", "--object-format=sha256", str(path)],
                   check=True, env=clean_env())
    repo = TestRepo(path)
    repo.write("svc/api/pyproject.toml", "[project]\n")
    repo.write("svc/api/a.py", "a\n")
    repo.write("lib/b.py", "b\n")
    repo.add(".")
    repo.commit("base")
    repo.write("svc/api/a.py", "a\nmore\n")
    repo.write("lib/b.py", "b\nmore\n")
    repo.add(".")
    repo.commit("change")
    result = repo.guard("diff", "HEAD~1..HEAD", "--format", "json", env=AGENT)
    assert sorted(result.json["stats"]["areas"]) == ["lib", "svc/api"], result.out


def test_files_at_the_top_are_an_area_said_in_words(tmp_path: Path) -> None:
    """JSON keeps `.`, the machine's name for it; a reader sees "the top level"."""
    repo = project(tmp_path / "p")
    for path in ("setup.cfg", "src/client/retry.py", "tools/a.py", "web/b.py"):
        repo.write(path, "x = 1\n")
        repo.add(path)
    text = repo.guard("diff", env=AGENT).out
    assert "under the top level, src, tools and 1 more" in text.splitlines()[0], text
    assert "4 areas (the top level, src, tools, web)" in text, text
    data = repo.guard("diff", "--format", "json", env=AGENT).json
    assert "." in data["stats"]["areas"]
    assert "spans 4 areas (the top level, src, tools, web)" in [f["message"] for f in data["findings"]][0]

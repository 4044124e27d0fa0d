"""`guard diff` on every source, in real repositories."""
from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, Repo, run_guard


def test_staged_retry_fix_ships_and_names_the_function(project: Repo) -> None:
    project.apply(FIXTURES / "retry-fix.patch")
    result = project.guard("diff")
    assert result.code == 0, result.err
    assert result.out.startswith("ship · 12 lines in src/client/retry.py (retry_with_backoff) + its test")
    assert result.out.count("\n") == 1


def test_retry_fix_ships_as_commit_range_and_stdin_patch(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    project.apply(FIXTURES / "retry-fix.patch")
    head = project.commit("retry: cap the delay")
    for args in ([head], [f"{base}..{head}"], [f"{base}...{head}"], ["HEAD"]):
        result = project.guard("diff", *args, "--format", "json")
        assert result.code == 0, (args, result.err)
        assert result.json["verdict"] == "ship"
        assert result.json["stats"]["changed_lines"] == 12
        assert "retry_with_backoff" in result.json["stats"]["symbols"]
    patch = (FIXTURES / "retry-fix.patch").read_bytes()
    piped = project.guard("diff", "--patch", "-", stdin=patch)
    assert piped.code == 0 and piped.out.startswith("ship")


def test_staged_deletion_asks(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--assume-ai", "--format", "json")
    assert result.code == 1
    findings = result.json["findings"]
    assert [f["category"] for f in findings] == ["deletion"]
    assert findings[0]["path"] == "src/client/legacy_importer.py"
    assert findings[0]["question"] == "reversible"


def test_pure_rename_is_not_a_deletion(project: Repo) -> None:
    project.git("mv", "src/client/legacy_importer.py", "src/client/crm_import.py")
    result = project.guard("diff", "--assume-ai", "--format", "json")
    assert result.code == 0, result.out
    assert result.json["findings"] == []
    assert result.json["files"][0]["status"] == "renamed"


def test_600_line_file_asks_for_size(project: Repo) -> None:
    project.apply(FIXTURES / "large-change.patch")
    result = project.guard("diff", "--assume-ai", "--format", "json")
    assert result.code == 1
    assert result.json["stats"]["changed_lines"] == 600
    assert [f["category"] for f in result.json["findings"]] == ["size"]


def test_worktree_sees_unstaged_edits(project: Repo) -> None:
    project.git("rm", "-q", "--cached", "src/client/legacy_importer.py")
    project.git("reset", "-q")
    (project.path / "src/client/legacy_importer.py").unlink()
    assert project.guard("diff").code == 0  # nothing staged
    result = project.guard("diff", "--worktree", "--assume-ai", "--format", "json")
    assert result.code == 1 and result.json["findings"][0]["rule"] == "file-deleted"


def test_initial_commit_is_judged_against_the_empty_tree(repo: Repo) -> None:
    repo.write("hello.py", "def hello():\n    return 'hi'\n")
    repo.add()
    sha = repo.commit("first")
    result = repo.guard("diff", sha, "--format", "json")
    assert result.code == 0
    assert result.json["stats"]["changed_lines"] == 2


def test_empty_repository_with_staged_files(repo: Repo) -> None:
    repo.write("a.txt", "one\n")
    repo.add()
    result = repo.guard("diff", "--format", "json")
    assert result.code == 0 and result.json["stats"]["added"] == 1


def test_bare_repository_judges_ranges_only(tmp_path: Path, project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    project.git("rm", "-q", "src/client/legacy_importer.py")
    head = project.commit("remove the importer")
    bare = tmp_path / "server.git"
    project.git("clone", "-q", "--bare", str(project.path), str(bare))
    ranged = run_guard("diff", f"{base}..{head}", "--assume-ai", cwd=bare)
    assert ranged.code == 1 and "deletes src/client/legacy_importer.py" in ranged.out
    staged = run_guard("diff", cwd=bare)
    assert staged.code == 2 and "bare repository" in staged.err


def test_clone_without_checkout(tmp_path: Path, project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    project.apply(FIXTURES / "retry-fix.patch")
    head = project.commit("fix")
    clone = tmp_path / "nocheckout"
    project.git("clone", "-q", "--no-checkout", str(project.path), str(clone))
    result = run_guard("diff", f"{base}..{head}", cwd=clone)
    assert result.code == 0 and result.out.startswith("ship")


def test_outside_a_repository_is_one_clear_line(tmp_path: Path) -> None:
    result = run_guard("diff", cwd=tmp_path)
    assert result.code == 2
    assert result.err.strip().count("\n") == 0
    assert "not a git repository" in result.err


def test_unknown_revision_is_exit_2(project: Repo) -> None:
    result = project.guard("diff", "nope..HEAD")
    assert result.code == 2 and "Traceback" not in result.err
    assert "nope" in result.err


def test_patch_file_outside_a_repository(tmp_path: Path) -> None:
    result = run_guard("diff", "--patch", str(FIXTURES / "delete-file.patch"), "--assume-ai", cwd=tmp_path)
    assert result.code == 1 and "deletes src/client/legacy_importer.py" in result.out


def test_version_and_module_entry_point(tmp_path: Path) -> None:
    result = run_guard("--version", cwd=tmp_path)
    assert result.code == 0 and result.out.startswith("guard ")

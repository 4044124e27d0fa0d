"""guard fails closed, changes nothing in a repository, and never runs what a diff contains."""
from __future__ import annotations

import ast
import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Repo, clean_env, make_repo, run_guard

# Every read-only command guard has, with arguments that make sense in the test repository.
COMMANDS: list[list[str]] = [
    ["diff"], ["diff", "--staged", "--format", "json"], ["diff", "--worktree"],
    ["diff", "HEAD"], ["diff", "HEAD~1..HEAD"], ["diff", "HEAD~1...HEAD"],
    ["diff", "--format", "handoff", "--assume-ai"], ["diff", "--scope", "src/**"],
    ["diff", "--patch", str(FIXTURES / "delete-file.patch")],
    ["log", "HEAD~1..HEAD"], ["log", "HEAD~1..HEAD", "--format", "json"],
    ["ci", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown"],
    ["hook", "pre-commit"], ["hook", "commit-msg"], ["hook", "pre-push"],
    ["approve"], ["calibrate"], ["rules"], ["explain", "file-deleted"], ["diff", "no-such-rev"],
]


def snapshot(repo: Path) -> dict[str, str]:
    """Every file of the work tree and of .git except guard's own state, by content hash."""
    seen = {}
    for path in sorted(repo.rglob("*")):
        relative = path.relative_to(repo).as_posix()
        if relative == ".git/guard" or relative.startswith(".git/guard/") or not path.is_file():
            continue
        seen[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def project_with_staged_and_unstaged_work(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path / "project")
    shutil.copytree(FIXTURES / "base", repo.path, dirs_exist_ok=True)
    repo.add()
    repo.commit("base")
    repo.apply(FIXTURES / "retry-fix.patch")
    repo.commit("fix")
    repo.git("rm", "-q", "src/client/legacy_importer.py")  # staged
    repo.write("README.md", "# client\n\nunstaged edit\n")  # unstaged
    repo.write("notes.txt", "untracked\n")
    # A tracked file whose content is unchanged but whose time is new: a porcelain `git diff`
    # would refresh the index for it, and so write .git/index.
    unchanged = next(path for path in sorted((repo.path / "src").rglob("*.py")))
    os.utime(unchanged, (unchanged.stat().st_atime + 5, unchanged.stat().st_mtime + 5))
    return repo


def test_no_command_changes_the_repository(tmp_path: Path) -> None:
    repo = project_with_staged_and_unstaged_work(tmp_path)
    before = snapshot(repo.path)
    staged = repo.git("diff", "--cached")
    repo.write(".git/COMMIT_EDITMSG", "fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    before = snapshot(repo.path)  # git itself writes COMMIT_EDITMSG; guard only reads it
    for command in COMMANDS:
        result = repo.guard(*command, stdin=b"")
        assert result.code in (0, 1, 2), (command, result.err)
        assert "Traceback" not in result.err, command
    assert snapshot(repo.path) == before
    assert repo.git("diff", "--cached") == staged


@pytest.mark.parametrize("argv", [["diff"], ["hook", "pre-commit"]])
def test_an_internal_error_blocks_with_one_line_and_a_log(tmp_path: Path, argv: list[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.write("a.py", "print('hi')\n")
    repo.add()
    # Force a fault inside a rule: the process below replaces one check with one that raises.
    code = ("import guard.rules.deletion as d\n"
            "def broken(change, context):\n    raise RuntimeError('rule exploded')\n"
            "d.check_file = broken\n"
            f"from guard.cli import main\nraise SystemExit(main({argv!r}))\n")
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], cwd=repo.path, env=clean_env(),
                          capture_output=True, text=True)
    assert done.returncode == 3
    assert len(done.stderr.strip().splitlines()) == 1
    assert "rule exploded" in done.stderr and "blocked" in done.stderr
    log = repo.path / ".git" / "guard" / "crash.log"
    assert str(log) in done.stderr
    assert "Traceback" in log.read_text() and "RuntimeError" in log.read_text()


def test_the_package_never_evaluates_or_shells_out() -> None:
    """No eval/exec, no shell=True, no os.system: nothing from a diff can run."""
    for source in (ROOT / "guard").rglob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                assert name not in {"eval", "exec", "system", "popen"}, f"{source}:{node.lineno}"
                for keyword in node.keywords:
                    if keyword.arg == "shell":
                        assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, \
                            f"{source}:{node.lineno}"


def test_a_file_in_the_diff_named_like_an_option_is_only_a_name(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.write("--output=pwned", "x\n")
    repo.write("$(touch pwned)", "x\n")
    repo.git("add", "--", "--output=pwned", "$(touch pwned)")
    result = run_guard("diff", "--format", "json", cwd=repo.path)
    assert result.code == 0
    assert not (repo.path / "pwned").exists()
    assert {f["path"] for f in result.json["files"]} == {"--output=pwned", "$(touch pwned)"}

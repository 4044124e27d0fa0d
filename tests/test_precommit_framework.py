"""The real pre-commit framework, with this repository as the hook repository.

The hook repository is a git repository made from the files of this checkout (committed, so
pre-commit can clone it at a rev), and the hooks are installed once per module under a shared
PRE_COMMIT_HOME: building guard's virtualenv is the slow part.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, Repo, clean_env, make_repo
from integration_helpers import CLAUDE_TRAILER, head, project

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = clean_env(PRE_COMMIT_HOME=str(home), **extra)
    env.pop("PYTHONPATH")  # the hooks must run the guard pre-commit installed, not this checkout
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's files (tracked and new, not ignored) committed in a scratch repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    source = tmp_path_factory.mktemp("hook-repo") / "guard"
    repo = make_repo(source)
    for name in filter(None, (raw.decode() for raw in listed)):
        if (ROOT / name).is_file():
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    repo.add()
    return source, repo.commit("guard at this checkout")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _config(hook_repo: tuple[Path, str]) -> str:
    path, rev = hook_repo
    return yaml.safe_dump({"repos": [{
        "repo": str(path), "rev": rev,
        "hooks": [
            {"id": "guard"},
            {"id": "guard-commit-msg"},
            {"id": "guard-pre-push"},
        ],
    }]}, sort_keys=False)


@pytest.fixture
def scratch(tmp_path: Path, hook_repo: tuple[Path, str], home: Path) -> Iterator[Repo]:
    repo = project(tmp_path / "scratch")
    repo.write(".pre-commit-config.yaml", _config(hook_repo))
    repo.add()
    repo.commit("use guard through pre-commit")
    subprocess.run([*PRE_COMMIT, "install", "--hook-type", "pre-commit", "--hook-type", "commit-msg",
                    "--hook-type", "pre-push"], cwd=repo.path, env=_env(home), check=True,
                   capture_output=True)
    yield repo


def _commit(repo: Repo, home: Path, message: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=repo.path, env=_env(home, **env),
                          capture_output=True, text=True)


def test_manifest_is_what_pre_commit_expects() -> None:
    done = subprocess.run([*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"guard", "guard-commit-msg", "guard-pre-push"}
    assert {h["id"]: h["stages"] for h in hooks.values()} == {
        "guard": ["pre-commit"], "guard-commit-msg": ["commit-msg"], "guard-pre-push": ["pre-push"]}
    for hook in hooks.values():
        assert hook["entry"].startswith("guard hook ") and hook["language"] == "python"
        assert hook["always_run"] is True and hook["require_serial"] is True
    # Only the message file, at the commit-msg stage; never the staged files.
    assert {h["id"]: h["pass_filenames"] for h in hooks.values()} == {
        "guard": False, "guard-commit-msg": True, "guard-pre-push": False}


def test_agents_deletion_is_refused_and_head_does_not_move(scratch: Repo, home: Path) -> None:
    before = head(scratch)
    scratch.git("rm", "-q", "src/client/legacy_importer.py")
    done = _commit(scratch, home, "remove the importer", CLAUDECODE="1")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "guard (ship, report or ask)" in output and "Failed" in output
    assert "deletes src/client/legacy_importer.py" in output
    assert "guard approve" in output and "guard:approved" in output  # how a human approves
    assert head(scratch) == before


def test_the_handoff_names_a_guard_the_human_can_run(scratch: Repo, home: Path) -> None:
    """pre-commit installs guard in a virtualenv of its own, on the hook's PATH only: the plain
    `guard approve` it used to print is 'command not found' in the human's shell."""
    import re

    scratch.git("rm", "-q", "src/client/legacy_importer.py")
    done = _commit(scratch, home, "remove the importer", CLAUDECODE="1")
    output = done.stdout + done.stderr
    command = re.search(r"runs `(.+) approve` at a terminal", output)
    assert command is not None and command.group(1) != "guard", output
    script = Path(command.group(1))
    assert script.is_absolute() and script.name == "guard" and str(home) in str(script), script
    env = _env(home)
    env["PATH"] = "/usr/bin:/bin"  # the human's shell: no pre-commit virtualenv on it
    version = subprocess.run([str(script), "--version"], env=env, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("guard "), version


def test_the_retry_fix_commits(scratch: Repo, home: Path) -> None:
    before = head(scratch)
    scratch.apply(FIXTURES / "retry-fix.patch")
    done = _commit(scratch, home, f"retry: cap the delay\n\n{CLAUDE_TRAILER}", CLAUDECODE="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert head(scratch) != before
    assert scratch.git("log", "-1", "--format=%s").strip() == "retry: cap the delay"


def test_a_claude_trailer_is_refused_at_the_commit_msg_stage(scratch: Repo, home: Path) -> None:
    before = head(scratch)
    scratch.git("rm", "-q", "src/client/legacy_importer.py")
    done = _commit(scratch, home, f"remove the importer\n\n{CLAUDE_TRAILER}")  # no agent variable
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    stage_lines = [line for line in output.splitlines() if line.startswith("guard (")]
    assert any(line.startswith("guard (ship, report or ask)") and line.endswith("Passed")
               for line in stage_lines), stage_lines  # no agent in the environment: reported
    assert any(line.startswith("guard (commit message and trailers)") and line.endswith("Failed")
               for line in stage_lines), stage_lines
    assert "deletes src/client/legacy_importer.py" in output
    assert head(scratch) == before


def test_a_merge_is_judged_with_its_own_message_not_the_last_commits(scratch: Repo, home: Path) -> None:
    scratch.git("checkout", "-q", "-b", "feature")
    scratch.git("rm", "-q", "src/client/legacy_importer.py")
    scratch.git("commit", "-q", "--no-verify", "-m", "remove the importer")
    scratch.git("checkout", "-q", "main")
    scratch.write("README.md", "# shop\n\nMore.\n")
    scratch.add("README.md")
    # The last message git wrote (COMMIT_EDITMSG) has an agent's trailer; the merge's is a human's.
    scratch.git("commit", "-q", "--no-verify", "-m", f"readme\n\n{CLAUDE_TRAILER}")
    done = subprocess.run(["git", "merge", "--no-ff", "--no-edit", "feature"], cwd=scratch.path,
                          env=_env(home), capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output  # a human's merge deleting a file: reported, not refused
    assert "guard (commit message and trailers)" in output and "written by an AI agent" not in output
    assert scratch.git("log", "-1", "--format=%P").count(" ") == 1  # the merge was made


def test_pre_push_judges_the_pushed_commits(scratch: Repo, home: Path, tmp_path: Path) -> None:
    server = make_repo(tmp_path / "server.git", bare=True)
    scratch.git("remote", "add", "origin", str(server.path))
    scratch.git("push", "-q", "--no-verify", "origin", "main")
    scratch.git("rm", "-q", "src/client/legacy_importer.py")
    scratch.git("commit", "-q", "--no-verify", "-m", f"remove the importer\n\n{CLAUDE_TRAILER}")
    done = subprocess.run(["git", "push", "origin", "main"], cwd=scratch.path, env=_env(home),
                          capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "guard (pushed commits)" in output and "(remove the importer)" in output
    assert server.git("rev-parse", "main").strip() != head(scratch)


def test_hook_ids_are_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert f"`{hook['id']}`" in readme, f"hook id {hook['id']} is not documented in README.md"

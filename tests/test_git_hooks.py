"""The shell shims in hooks/ wired with core.hooksPath, and a bare server's pre-receive hook."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Repo, make_repo
from integration_helpers import CLAUDE_TRAILER, HOOKS, head, hook_env, project


def _git(repo: Repo, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo.path, env=env, capture_output=True, text=True)


def test_shims_are_executable_in_git_and_hand_over_to_guard() -> None:
    listed = subprocess.run(["git", "ls-files", "-s", "hooks"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    modes = {line.split("\t")[1]: line.split()[0] for line in listed}
    for name in ("pre-commit", "commit-msg", "pre-push", "pre-receive", "claude-pretooluse.sh"):
        assert modes.get(f"hooks/{name}") == "100755", (name, modes)
        text = (HOOKS / name).read_text()
        assert text.startswith("#!/bin/sh\n") and "exec guard hook" in text and "python3 -m guard" in text


@pytest.fixture
def hooked(tmp_path: Path) -> Repo:
    repo = project(tmp_path / "project")
    repo.git("config", "core.hooksPath", str(HOOKS))
    return repo


def test_plain_pre_commit_hook_refuses_an_agents_deletion(hooked: Repo) -> None:
    before = head(hooked)
    hooked.git("rm", "-q", "src/client/legacy_importer.py")
    done = _git(hooked, "commit", "-m", "remove the importer", env=hook_env(CLAUDECODE="1"))
    assert done.returncode != 0
    assert "deletes src/client/legacy_importer.py" in done.stdout + done.stderr
    assert "guard approve" in done.stdout + done.stderr
    assert "not staged" not in done.stdout + done.stderr
    assert head(hooked) == before


def test_a_commit_of_unstaged_changes_says_to_stage_them_to_approve(hooked: Repo) -> None:
    (hooked.path / "src/client/legacy_importer.py").unlink()  # not staged
    done = _git(hooked, "commit", "-a", "-m", "remove the importer", env=hook_env(CLAUDECODE="1"))
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "deletes src/client/legacy_importer.py" in output
    assert "takes changes that are not staged" in output and "stage them with git add" in output


def test_plain_hooks_let_the_retry_fix_through(hooked: Repo) -> None:
    before = head(hooked)
    hooked.apply(FIXTURES / "retry-fix.patch")
    done = _git(hooked, "commit", "-m", f"retry: cap the delay\n\n{CLAUDE_TRAILER}",
                env=hook_env(CLAUDECODE="1"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert head(hooked) != before


def test_plain_commit_msg_hook_sees_the_message(tmp_path: Path) -> None:
    repo = project(tmp_path / "project")
    only_msg = tmp_path / "only-commit-msg"  # the commit-msg shim alone: no agent variable is set
    only_msg.mkdir()
    (only_msg / "commit-msg").symlink_to(HOOKS / "commit-msg")
    repo.git("config", "core.hooksPath", str(only_msg))
    before = head(repo)
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    done = _git(repo, "commit", "-m", f"remove the importer\n\n{CLAUDE_TRAILER}", env=hook_env())
    assert done.returncode != 0, done.stdout
    assert "deletes src/client/legacy_importer.py" in done.stdout + done.stderr
    assert head(repo) == before


@pytest.fixture
def server(tmp_path: Path) -> tuple[Repo, Repo]:
    """A bare server whose pre-receive hook is guard's shim, and a clone to push from."""
    seed = project(tmp_path / "seed")
    bare = make_repo(tmp_path / "server.git", bare=True)
    seed.git("push", "-q", str(bare.path), "main")
    (bare.path / "hooks" / "pre-receive").symlink_to(HOOKS / "pre-receive")
    clone = Repo(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", str(bare.path), str(clone.path)], check=True, env=hook_env())
    return bare, clone


def test_server_refuses_an_ai_authored_deletion(server: tuple[Repo, Repo]) -> None:
    bare, clone = server
    before = head(bare, "main")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    clone.commit(f"remove the importer\n\n{CLAUDE_TRAILER}")
    done = _git(clone, "push", "origin", "main", env=hook_env())
    assert done.returncode != 0
    assert "remote: " in done.stderr and "deletes src/client/legacy_importer.py" in done.stderr
    assert "pre-receive hook declined" in done.stderr
    assert "guard approve" not in done.stderr  # an approval cannot reach the server
    assert head(bare, "main") == before
    # The same deletion on a new branch is refused too (its commits are new to the server).
    done = _git(clone, "push", "origin", "HEAD:refs/heads/agent/cleanup", env=hook_env())
    assert done.returncode != 0 and "deletes src/client/legacy_importer.py" in done.stderr
    assert "agent/cleanup" not in bare.git("branch", "--list")


def test_server_accepts_a_harmless_push_new_branches_and_deletions(server: tuple[Repo, Repo]) -> None:
    bare, clone = server
    clone.apply(FIXTURES / "retry-fix.patch")
    sha = clone.commit(f"retry: cap the delay\n\n{CLAUDE_TRAILER}")
    done = _git(clone, "push", "origin", "main", env=hook_env())
    assert done.returncode == 0, done.stderr
    assert "ship · 12 lines in src/client/retry.py" in done.stderr
    assert head(bare, "main") == sha
    assert _git(clone, "push", "origin", "main:refs/heads/topic", env=hook_env()).returncode == 0
    deleted = _git(clone, "push", "origin", ":refs/heads/topic", env=hook_env())
    assert deleted.returncode == 0, deleted.stderr
    assert "topic" not in bare.git("branch", "--list")


def test_plain_pre_push_hook_judges_the_pushed_commits(server: tuple[Repo, Repo]) -> None:
    bare, clone = server
    clone.git("config", "core.hooksPath", str(HOOKS))
    (bare.path / "hooks" / "pre-receive").unlink()  # the client-side hook alone
    clone.apply(FIXTURES / "retry-fix.patch")
    clone.git("commit", "-q", "--no-verify", "-m", "retry fix")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    clone.git("commit", "-q", "--no-verify", "-m", f"remove the importer\n\n{CLAUDE_TRAILER}")
    before = head(bare, "main")
    done = _git(clone, "push", "origin", "main", env=hook_env())
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert "(2 commits), as a whole" in out and "(remove the importer)" in out and "(retry fix)" in out
    assert f"refs/heads/main {before[:10]}...{head(clone)[:10]} (2 commits), as a whole:\n" in out, out
    assert head(bare, "main") == before
    pushed = _git(clone, "push", "origin", "HEAD:refs/heads/agent/cleanup", env=hook_env())
    assert "new refs/heads/agent/cleanup (2 commits), as a whole:\n" in pushed.stdout, pushed.stdout


def _agent(repo: Repo, command: str, tool: str = "Bash") -> subprocess.CompletedProcess[str]:
    payload = {"session_id": "abc", "transcript_path": "/tmp/t.jsonl", "cwd": str(repo.path),
               "hook_event_name": "PreToolUse", "tool_name": tool,
               "tool_input": {"command": command, "description": "Commit the change"}}
    return subprocess.run([str(HOOKS / "claude-pretooluse.sh")], input=json.dumps(payload),
                          cwd=repo.path, env=hook_env(CLAUDECODE="1"), capture_output=True, text=True)


def test_agent_hook_blocks_a_risky_commit_and_says_why(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    done = _agent(repo, 'git commit -m "remove the importer"')
    assert done.returncode == 2
    assert "deletes src/client/legacy_importer.py" in done.stderr
    assert "guard approve" in done.stderr and done.stdout == ""


def test_agent_hook_lets_safe_commits_and_other_tools_through(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    repo.apply(FIXTURES / "retry-fix.patch")
    assert _agent(repo, 'git commit -m "retry: cap the delay"').returncode == 0
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    assert _agent(repo, "git status && git diff --cached").returncode == 0
    assert _agent(repo, "git commit -m x", tool="Read").returncode == 0


def test_agent_hook_sees_what_git_add_and_commit_a_will_stage(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    (repo.path / "src/client/legacy_importer.py").unlink()  # not staged yet
    assert _agent(repo, "git add -A && git commit -m cleanup").returncode == 2
    assert _agent(repo, "git -C . commit -am cleanup").returncode == 2
    assert _agent(repo, "git commit -m cleanup").returncode == 0  # nothing staged: nothing to judge
    assert _agent(repo, "git commit -av -m cleanup").returncode == 2
    assert _agent(repo, "git commit -m cleanup src/client/legacy_importer.py").returncode == 2  # a path


def test_agent_hook_judges_the_repository_the_commit_runs_in(tmp_path: Path) -> None:
    here = project(tmp_path / "here")  # where the agent is: nothing staged
    other = project(tmp_path / "other")
    other.git("rm", "-q", "src/client/legacy_importer.py")
    for command in ("cd ../other && git commit -m x", "git -C ../other commit -m x",
                    f"cd {tmp_path} && git -C other commit -m x"):
        done = _agent(here, command)
        assert done.returncode == 2, command
        assert "deletes src/client/legacy_importer.py" in done.stderr
    assert _agent(here, "git commit -m x").returncode == 0


def test_agent_hook_blocks_when_guard_cannot_judge(tmp_path: Path) -> None:
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    payload = {"tool_name": "Bash", "tool_input": {"command": "git commit -m x"}, "cwd": str(outside)}
    done = subprocess.run([str(HOOKS / "claude-pretooluse.sh")], input=json.dumps(payload),
                          cwd=outside, env=hook_env(), capture_output=True, text=True)
    assert done.returncode == 2 and "not a git repository" in done.stderr


def test_pre_push_without_stdin_at_a_terminal_is_not_needed(tmp_path: Path) -> None:
    repo = project(tmp_path / "p")
    done = subprocess.run([str(HOOKS / "pre-push"), "origin", "url"], input="", cwd=repo.path,
                          env=hook_env(), capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == ""
    assert os.access(HOOKS / "pre-push", os.X_OK)


def test_the_agent_hook_says_why_it_judged_the_work_tree(tmp_path: Path) -> None:
    """`git add -A && git commit` is not `git commit -a`: the note fits the command, and neither
    says 'stage them with git add, then commit without them' (without the changes?)."""
    repo = project(tmp_path / "p")
    (repo.path / "src/client/legacy_importer.py").unlink()
    added = _agent(repo, "git add -A && git commit -m cleanup").stderr
    assert "stages it with `git add -u`,\n  then runs `guard approve` at a terminal" in added, added
    assert added.rstrip().endswith("The command stages changes before it commits (git add), so guard judged "
                                   "them as they are in the work tree: once the user has staged and approved "
                                   "them, run it again."), added
    assert "git commit -a" not in added
    every = _agent(repo, "git commit -am cleanup").stderr
    assert every.rstrip().endswith("stage them with git add, run `guard approve`, then commit without -a or "
                                   "file names."), every

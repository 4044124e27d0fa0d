"""`guard approve` at a real pseudo-terminal, its refusals, and approvals bound to the diff."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, Repo, clean_env, make_repo
from integration_helpers import CLAUDE_TRAILER, HOOKS, at_terminal, head, hook_env

from guard.git import EMPTY_TREE

pytestmark = pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")


def state(repo: Repo) -> tuple[str, str]:
    """The work tree status and the index's bytes: approving must change neither."""
    index = hashlib.sha256((repo.path / ".git" / "index").read_bytes()).hexdigest()
    return repo.git("status", "--porcelain"), index


def test_refuses_without_a_terminal(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("approve", stdin=b"yes\n")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "not a terminal" in result.err
    assert not (project.path / ".git" / "guard" / "approvals").exists()


def test_refuses_inside_an_agent_even_at_a_terminal(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    code, out = at_terminal(project, None, env=clean_env(CLAUDECODE="1"))
    assert code == 2
    assert "refusing to approve where an AI agent runs (environment CLAUDECODE=1)" in out and "Type yes" not in out
    assert not (project.path / ".git" / "guard" / "approvals").exists()


def test_approval_at_a_terminal_passes_exactly_that_diff(project: Repo) -> None:
    agent = clean_env(CLAUDECODE="1")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    assert project.guard("hook", "pre-commit", env=agent).code == 1
    before = state(project)

    code, out = at_terminal(project, "yes")
    assert code == 0, out
    assert "Can it be undone?" in out and "deletes src/client/legacy_importer.py" in out
    assert "Approved by Test Author <author@example.com>" in out
    assert state(project) == before  # nothing written to the work tree or the index

    result = project.guard("diff", "--format", "json", env=agent)
    assert result.code == 0, result.out
    approval = result.json["approval"]
    assert approval["by"] == "Test Author <author@example.com>"
    assert approval["at"].endswith("Z") and len(approval["fingerprint"]) == 64
    assert result.json["findings"][0]["rule"] == "file-deleted"  # still reported
    hook = project.guard("hook", "pre-commit", env=agent)
    assert hook.code == 0 and "Approved by Test Author" in hook.out

    # Any further change to the diff asks again.
    project.write("src/client/retry.py", (project.path / "src/client/retry.py").read_text() + "\n# more\n")
    project.add("src/client/retry.py")
    again = project.guard("diff", "--format", "json", env=agent)
    assert again.code == 1 and again.json["approval"] is None


def test_anything_but_yes_records_nothing(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    code, out = at_terminal(project, "no")
    assert code == 1 and "Not approved" in out
    assert project.guard("diff", env=clean_env(CLAUDECODE="1")).code == 1


def test_nothing_staged_and_nothing_to_ask(project: Repo) -> None:
    code, out = at_terminal(project, None)
    assert code == 2 and "nothing is staged" in out
    project.apply(FIXTURES / "retry-fix.patch")
    code, out = at_terminal(project, "yes")
    assert code == 0 and "does not ask about this change as judged here" in out
    # The hook declared a scope the approver did not: the approval binds the diff, not the rules.
    hook = project.guard("hook", "pre-commit", "--scope", "docs/**", env=clean_env(CLAUDECODE="1"))
    assert hook.code == 0 and "Approved by" in hook.out


def test_already_approved(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    assert at_terminal(project, "yes")[0] == 0
    code, out = at_terminal(project, None)
    assert code == 0 and "Already approved by Test Author" in out
    lines = (project.path / ".git" / "guard" / "approvals").read_text().splitlines()
    assert len(lines) == 1


def test_the_approval_follows_the_change_into_its_commit(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    assert at_terminal(project, "yes")[0] == 0
    base = project.git("rev-parse", "HEAD").strip()
    project.commit("Remove the importer\n\nCo-authored-by: Claude <noreply@anthropic.com>")
    for target in ("HEAD", f"{base}..HEAD"):
        result = project.guard("diff", target, "--format", "json")
        assert result.json["authorship"]["ai"] is True
        assert result.code == 0 and result.json["approval"]["by"] == "Test Author <author@example.com>"


@pytest.fixture
def pushing(tmp_path: Path) -> tuple[Repo, Repo]:
    """A clone with guard's plain hooks (core.hooksPath), and the bare repository it pushes to."""
    from conftest import base_project

    seed = base_project(tmp_path / "seed")
    bare = make_repo(tmp_path / "server.git", bare=True)
    seed.git("push", "-q", str(bare.path), "main")
    clone = Repo(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", str(bare.path), str(clone.path)], check=True, env=clean_env())
    clone.git("config", "core.hooksPath", str(HOOKS))
    return bare, clone


def _push(repo: Repo, *refs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "push", "origin", *(refs or ("main",))], cwd=repo.path,
                          env=hook_env(), capture_output=True, text=True)


def test_a_change_approved_before_its_commit_is_not_asked_about_again_when_pushed(
        pushing: tuple[Repo, Repo]) -> None:
    bare, clone = pushing
    agent = hook_env(CLAUDECODE="1")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    assert clone.guard("hook", "pre-commit", env=agent).code == 1
    assert at_terminal(clone, "yes")[0] == 0
    # The agent commits (the pre-commit and commit-msg hooks find the approval), then pushes.
    clone.git("commit", "-q", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}", env=agent)
    done = _push(clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Approved by Test Author <author@example.com>" in done.stdout
    assert head(bare, "main") == head(clone)
    log = clone.guard("log", "HEAD~1..HEAD", "--format", "json")
    assert log.code == 0 and log.json["commits"][0]["approval"]["by"] == "Test Author <author@example.com>"
    assert log.json["whole"]["approval"] is not None  # one commit: the whole is the same diff


def test_a_push_passes_when_what_it_asks_about_was_approved_in_its_commit(
        pushing: tuple[Repo, Repo]) -> None:
    bare, clone = pushing
    agent = hook_env(CLAUDECODE="1")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    assert at_terminal(clone, "yes")[0] == 0
    clone.git("commit", "-q", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}", env=agent)
    clone.apply(FIXTURES / "retry-fix.patch")  # a harmless commit on top: it ships
    clone.git("commit", "-q", "-m", f"Cap the retry delay\n\n{CLAUDE_TRAILER}", env=agent)
    done = _push(clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert head(bare, "main") == head(clone)
    whole = done.stdout.split("commit by commit:")[0]
    assert "report · " in whole and "Approved by Test Author <author@example.com>" in whole
    assert "(Remove the importer)  approved by Test Author <author@example.com>" in done.stdout


def test_what_only_the_whole_asks_about_is_not_covered_by_its_commits() -> None:
    from guard.commands.log import approved_in_commits
    from guard.model import (
        Approval,
        ChangeSet,
        Finding,
        Level,
        Question,
        Stats,
        Verdict,
    )

    def verdict(*asks: tuple[str, str], approval: Approval | None = None, says: str = "m") -> Verdict:
        findings = tuple(Finding(rule=rule, category="c", question=Question.CARE, level=Level.ASK,
                                 path=path, line=None, message=says) for rule, path in asks)
        return Verdict(Level.REPORT if approval else Level.ASK, "", Stats(0, 0, 0, 0, (), ()), findings,
                       ChangeSet(files=()), approval=approval)

    yes = Approval(by="Jane", at="2026-01-01T00:00:00Z", fingerprint="f")
    commits = [(None, verdict(("file-deleted", "a.py"), approval=yes)), (None, verdict())]
    assert approved_in_commits(verdict(("file-deleted", "a.py")), commits) is not None  # type: ignore[arg-type]
    assert approved_in_commits(verdict(("file-deleted", "b.py")), commits) is None  # type: ignore[arg-type]
    assert approved_in_commits(verdict(("file-deleted", "a.py"), ("size-large", "")), commits) is None  # type: ignore[arg-type]
    unapproved = [(None, verdict(("file-deleted", "a.py")))]
    assert approved_in_commits(verdict(("file-deleted", "a.py")), unapproved) is None  # type: ignore[arg-type]
    # The same rule on the same file saying more (a merge removed two more assertions) is new.
    assert approved_in_commits(verdict(("test-deleted", "a.py"), says="removes 3 assertions"),  # type: ignore[arg-type]
                               [(None, verdict(("test-deleted", "a.py"), approval=yes, says="removes 1 assertion"))]) is None
    covered = approved_in_commits(verdict(("file-deleted", "a.py")), commits)  # type: ignore[arg-type]
    assert covered is not None and covered.fingerprint == "" and "in its own commit" in covered.by


def test_approving_what_a_push_publishes_at_a_terminal(pushing: tuple[Repo, Repo]) -> None:
    bare, clone = pushing
    before = head(bare, "main")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    clone.git("commit", "-q", "--no-verify", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}")
    clone.apply(FIXTURES / "retry-fix.patch")
    clone.git("commit", "-q", "--no-verify", "-m", f"Cap the retry delay\n\n{CLAUDE_TRAILER}")
    refused = _push(clone)
    assert refused.returncode != 0 and head(bare, "main") == before
    # The handoff names the exact command; it is the one that works.
    command = re.search(r"runs `guard approve ([0-9a-f]{12}\.\.[0-9a-f]{12})` at a terminal", refused.stdout)
    assert command is not None, refused.stdout
    spec = command[1]
    assert spec == f"{before[:12]}..{head(clone)[:12]}"
    code, out = at_terminal(clone, "yes", None, spec)
    assert code == 0, out
    assert "(2 commits), as a whole:" in out and "Approve exactly these 2 commits and their whole?" in out
    assert "To go ahead" not in out  # no instructions to do what is being done
    approvals = [json.loads(line) for line in (clone.path / ".git" / "guard" / "approvals").open()]
    # The whole and each commit; the deletion counts once for calibration, with the whole.
    assert [record["rules"] for record in approvals] == [["file-deleted"], [], []]
    assert at_terminal(clone, None, None, spec) == (0, f"Already approved: {spec} passes as it is.\n")
    done = _push(clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert head(bare, "main") == head(clone)
    # A further commit is a new diff: its push asks again, and names the new range.
    clone.git("rm", "-q", "src/client/retry.py")
    clone.git("commit", "-q", "--no-verify", "-m", f"Remove retry\n\n{CLAUDE_TRAILER}")
    again = _push(clone)
    assert again.returncode != 0
    assert f"guard approve {head(bare, 'main')[:12]}..{head(clone)[:12]}" in again.stdout


def test_a_new_branch_names_the_range_from_its_oldest_commits_parent(pushing: tuple[Repo, Repo]) -> None:
    _, clone = pushing
    base = head(clone)
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    clone.git("commit", "-q", "--no-verify", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}")
    refused = _push(clone, "HEAD:refs/heads/agent/cleanup")
    assert refused.returncode != 0
    assert f"runs `guard approve {base[:12]}..{head(clone)[:12]}` at a terminal" in refused.stdout


def test_approving_a_range_refuses_what_it_cannot_do(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.commit(f"Remove the importer\n\n{CLAUDE_TRAILER}")
    for args, env, problem in (
            (("HEAD~1..HEAD",), clean_env(), "not a terminal"),
            (("HEAD~1..HEAD", "--scope", "src/**"), clean_env(), "--scope is for the staged change"),
            (("HEAD~1..HEAD",), clean_env(CLAUDECODE="1"), "where an AI agent runs (environment CLAUDECODE=1)")):
        result = project.guard("approve", *args, env=env, stdin=b"yes\n")
        assert result.code == 2, (args, result.out)
        assert result.err.count("\n") == 1 and problem in result.err, result.err
    code, out = at_terminal(project, None, None, "HEAD..HEAD")
    assert code == 2 and "HEAD..HEAD has no commits" in out
    code, out = at_terminal(project, None, None, "nope..HEAD")
    assert code == 2 and "unknown revision 'nope'" in out
    assert not (project.path / ".git" / "guard" / "approvals").exists()


def test_the_first_push_of_a_history_is_approved_from_the_empty_tree(tmp_path: Path) -> None:
    from conftest import base_project

    repo = base_project(tmp_path / "new")
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    repo.git("commit", "-q", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}")
    bare = make_repo(tmp_path / "server.git", bare=True)
    repo.git("remote", "add", "origin", str(bare.path))
    repo.git("config", "core.hooksPath", str(HOOKS))
    refused = _push(repo)
    assert refused.returncode != 0 and "ask · " in refused.stdout
    # Its whole starts from nothing: the range starts from the empty tree.
    spec = f"{EMPTY_TREE}..{head(repo)[:12]}"
    assert f"runs `guard approve {spec}` at a terminal" in refused.stdout
    assert at_terminal(repo, "yes", None, spec)[0] == 0
    done = _push(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert head(bare, "main") == head(repo)


def test_an_agent_that_pushes_is_asked_about_what_it_publishes(pushing: tuple[Repo, Repo]) -> None:
    bare, clone = pushing
    before = head(bare, "main")
    clone.git("rm", "-q", "src/client/legacy_importer.py")
    clone.git("commit", "-q", "--no-verify", "-m", "Remove the importer")  # no trailer, no agent
    refused = subprocess.run(["git", "push", "origin", "main"], cwd=clone.path, env=hook_env(CLAUDECODE="1"),
                             capture_output=True, text=True)
    assert refused.returncode != 0 and head(bare, "main") == before
    assert "environment CLAUDECODE=1" in refused.stdout
    done = _push(clone)  # the human pushes it: reported, not refused
    assert done.returncode == 0 and "No sign of an AI author" in done.stdout


def test_an_approval_holds_in_every_worktree_of_the_repository(pushing: tuple[Repo, Repo], tmp_path: Path) -> None:
    _, clone = pushing
    clone.git("worktree", "add", "-q", str(tmp_path / "wt"), "-b", "agent/cleanup")
    worktree = Repo(tmp_path / "wt")
    worktree.git("rm", "-q", "src/client/legacy_importer.py")
    assert at_terminal(worktree, "yes")[0] == 0
    worktree.git("commit", "-q", "-m", f"Remove the importer\n\n{CLAUDE_TRAILER}", env=hook_env(CLAUDECODE="1"))
    assert (clone.path / ".git" / "guard" / "approvals").is_file()  # kept by the repository
    done = _push(clone, "agent/cleanup")  # pushed from the main checkout
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Approved by Test Author" in done.stdout


def test_approving_a_range_with_a_merge_of_its_base(project: Repo) -> None:
    project.git("checkout", "-q", "-b", "agent/cleanup")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.commit(f"Remove the importer\n\n{CLAUDE_TRAILER}")
    project.git("checkout", "-q", "main")
    project.write("README.md", "# client\n\nNews.\n")
    project.add("README.md")
    project.commit("news")
    project.git("checkout", "-q", "agent/cleanup")
    project.git("merge", "-q", "--no-edit", "main")  # passed over: the base's own work
    spec = "main..agent/cleanup"
    assert at_terminal(project, "yes", None, spec)[0] == 0
    records = [json.loads(line) for line in (project.path / ".git" / "guard" / "approvals").open()]
    assert records and all(record["fingerprint"] for record in records)
    assert at_terminal(project, None, None, spec) == (0, f"Already approved: {spec} passes as it is.\n")


def test_the_handoff_of_a_commit_or_the_work_tree_names_what_approves_it(project: Repo) -> None:
    """`guard approve` alone binds the staged change: for `guard diff HEAD` the handoff names the
    commit, and for `--worktree` it stages the change first. Doing what it says passes."""
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.commit("Remove the importer")
    asked = project.guard("diff", "HEAD", "--assume-ai")
    assert asked.code == 1 and "runs `guard approve HEAD` at a terminal" in asked.out, asked.out
    handoff = project.guard("diff", "HEAD", "--assume-ai", "--format", "handoff").out
    assert "run `guard approve HEAD` in your terminal" in handoff, handoff
    assert at_terminal(project, "yes", None, "HEAD")[0] == 0
    assert project.guard("diff", "HEAD", "--assume-ai").code == 0

    (project.path / "src/client/retry.py").unlink()
    worktree = project.guard("diff", "--worktree", "--assume-ai")
    assert "stages it with `git add -u`,\n  then runs `guard approve` at a terminal" in worktree.out, worktree.out
    project.git("add", "-u")
    assert at_terminal(project, "yes")[0] == 0
    assert project.guard("diff", "--worktree", "--assume-ai").code == 0


def test_the_handoff_of_a_patch_applies_it_to_the_index_first(project: Repo, tmp_path: Path) -> None:
    """A patch file is in no index: the handoff says to apply it there, and doing so passes."""
    project.git("rm", "-q", "src/client/legacy_importer.py")
    patch = tmp_path / "cleanup.patch"
    patch.write_bytes(project.git("diff", "--cached").encode())
    project.git("reset", "-q", "--hard")
    asked = project.guard("diff", "--patch", str(patch), "--assume-ai")
    assert asked.code == 1
    assert f"stages it with `git apply --index {patch}`,\n  then runs `guard approve` at a terminal" in asked.out
    handoff = project.guard("diff", "--patch", "-", "--assume-ai", "--format", "handoff", stdin=patch.read_bytes()).out
    assert "stage it with `git apply --index`, then run `guard approve` in your terminal" in handoff, handoff
    project.git("apply", "--index", str(patch))
    assert at_terminal(project, "yes")[0] == 0
    assert project.guard("diff", "--assume-ai").code == 0

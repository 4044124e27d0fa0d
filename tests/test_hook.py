"""`guard hook pre-commit` and `guard hook commit-msg MSGFILE`, called directly and from real git
hooks during real commits."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, Repo, clean_env

CLAUDE = "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"


def message_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_pre_commit_blocks_an_agent_deletion_in_plain_text(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("hook", "pre-commit", env=clean_env(CLAUDECODE="1"))
    assert result.code == 1
    assert "\x1b[" not in result.out
    lines = result.out.splitlines()
    assert lines[0].startswith("ask · ")
    assert "environment CLAUDECODE=1" in lines[1]
    assert "  Can it be undone?" in lines
    assert "    - src/client/legacy_importer.py: deletes src/client/legacy_importer.py" in result.out
    assert "guard approve" in result.out and "guard:approved" in result.out


def test_pre_commit_informs_a_human_and_is_silent_when_it_ships(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("hook", "pre-commit")
    assert result.code == 0 and result.out.startswith("report · ")
    project.git("reset", "-q", "--hard")
    project.apply(FIXTURES / "retry-fix.patch")
    quiet = project.guard("hook", "pre-commit", env=clean_env(CLAUDECODE="1"))
    assert quiet.code == 0 and quiet.out == ""


def test_commit_msg_blocks_with_a_claude_trailer_and_not_without(project: Repo, tmp_path: Path) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    with_trailer = message_file(tmp_path, f"Remove the importer\n\nUnused.\n\n{CLAUDE}\n"
                                          "# Please enter the commit message\n")
    blocked = project.guard("hook", "commit-msg", with_trailer, "--format", "json")
    assert blocked.code == 1
    assert blocked.json["authorship"]["signals"] == [f"trailer {CLAUDE}"]
    without = message_file(tmp_path, "Remove the importer\n\nUnused.\n")
    assert project.guard("hook", "commit-msg", without).code == 0


def test_commit_msg_ignores_comments_and_the_scissors(project: Repo, tmp_path: Path) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    text = (f"Remove the importer\n\n# {CLAUDE}\n# ------------------------ >8 ------------------------\n"
            f"diff --git a/x b/x\n\n{CLAUDE}\n")
    assert project.guard("hook", "commit-msg", message_file(tmp_path, text)).code == 0


def test_commit_msg_needs_a_readable_file(project: Repo, tmp_path: Path) -> None:
    result = project.guard("hook", "commit-msg", str(tmp_path / "missing"))
    assert result.code == 2 and "commit message" in result.err


def install(repo: Repo, name: str, *args: str) -> None:
    hook = repo.path / ".git" / "hooks" / name
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m guard hook {" ".join(args)}\n')
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


@pytest.mark.skipif(os.name == "nt", reason="shell hook")
def test_real_git_commit_through_the_hooks(project: Repo) -> None:
    install(project, "commit-msg", "commit-msg", '"$1"')
    install(project, "pre-commit", "pre-commit")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    head = project.git("rev-parse", "HEAD")
    with pytest.raises(subprocess.CalledProcessError):
        project.git("commit", "-q", "-m", f"Remove the importer\n\n{CLAUDE}")
    assert project.git("rev-parse", "HEAD") == head  # blocked at commit-msg
    project.git("commit", "-q", "-m", "Remove the importer")  # a human's commit is reported
    assert project.git("rev-parse", "HEAD") != head
    journal = (project.path / ".git" / "guard" / "journal.jsonl").read_text().splitlines()
    assert len(journal) == 4  # pre-commit + commit-msg, twice


def test_aider_identity_exported_to_the_hook_is_a_signal(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    env = clean_env(GIT_AUTHOR_NAME="Paul Gauthier (aider)", GIT_AUTHOR_EMAIL="paul@aider.chat")
    result = project.guard("hook", "pre-commit", "--format", "json", env=env)
    assert result.code == 1
    assert result.json["authorship"]["signals"] == ["author Paul Gauthier (aider) <paul@aider.chat>"]


def test_handoff_format_is_a_message_to_relay(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--format", "handoff", env=clean_env(CLAUDECODE="1"))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "guard stopped this change and needs your review before it goes ahead."
    assert lines[1].startswith("What changed: ")
    assert "- Can it be undone? src/client/legacy_importer.py: deletes src/client/legacy_importer.py" in result.out
    assert "`guard approve`" in lines[-1] and "guard:approved" in lines[-1]
    assert len(lines) == 5
    human = project.guard("diff", "--format", "handoff")
    assert human.code == 0 and human.out.startswith("guard let this change through")
    project.git("reset", "-q", "--hard")
    project.apply(FIXTURES / "retry-fix.patch")
    ship = project.guard("diff", "--format", "handoff", env=clean_env(CLAUDECODE="1"))
    assert ship.code == 0 and ship.out.startswith("guard: ship · ") and ship.out.count("\n") == 1


def test_commit_msg_defaults_to_commit_editmsg(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    (project.path / ".git" / "COMMIT_EDITMSG").write_text(f"Remove the importer\n\n{CLAUDE}\n")
    assert project.guard("hook", "commit-msg").code == 1
    (project.path / ".git" / "COMMIT_EDITMSG").write_text("Remove the importer\n")
    assert project.guard("hook", "commit-msg").code == 0


def test_the_pre_commit_fast_path_matches_the_parser() -> None:
    from guard import cli

    for argv, fast in cli.FAST_PATHS.items():
        parsed = cli._parser(list(argv)).parse_args(list(argv))
        assert vars(parsed) == fast


def test_push_hooks_refuse_the_options_only_a_staged_change_has(project: Repo) -> None:
    """A scope is declared for the staged change, and a handoff relays one change: neither
    means anything for pushed refs, so both are errors rather than silently ignored."""
    for hook in ("pre-push", "pre-receive"):
        for args in (("--scope", "src/**"), ("--format", "handoff")):
            result = project.guard("hook", hook, *args, stdin=b"")
            assert result.code == 2 and f"see `guard hook {hook} --help`" in result.err, (hook, args, result.err)

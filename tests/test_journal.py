"""The journal of verdicts and approvals, and `guard calibrate` reading it."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

from conftest import FIXTURES, Repo, clean_env, run_guard

from guard import state
from guard.calibrate import format_report, tally


def journal(repo: Repo) -> list[dict]:
    path = repo.path / ".git" / "guard" / "journal.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_every_verdict_is_journalled(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.guard("diff", env=clean_env(CLAUDECODE="1"))
    assert len(journal(project)) == 1
    project.guard("diff")
    project.guard("hook", "pre-commit")
    entries = journal(project)
    assert [e["command"] for e in entries] == ["diff", "diff", "hook pre-commit"]
    assert [e["verdict"] for e in entries] == ["ask", "report", "report"]
    assert entries[0]["signals"] == ["environment CLAUDECODE=1"]
    assert entries[0]["ask_rules"] == ["file-deleted"]
    assert len({e["fingerprint"] for e in entries}) == 1
    assert project.git("status", "--porcelain").splitlines() == ["D  src/client/legacy_importer.py"]


def test_no_journal_outside_a_repository(tmp_path: Path) -> None:
    result = run_guard("diff", "--patch", str(FIXTURES / "delete-file.patch"), cwd=tmp_path)
    assert result.code in (0, 1), result.err
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_journal_never_fails_the_verdict(project: Repo) -> None:
    (project.path / ".git" / "guard").write_text("not a folder")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--format", "json", env=clean_env(CLAUDECODE="1"))
    assert result.code == 1 and result.err == ""
    assert project.guard("diff").code == 0


def test_calibrate_reports_per_rule_and_suggests(project: Repo) -> None:
    git_dir = str(project.path / ".git")
    empty = project.guard("calibrate")
    assert empty.code == 0 and "empty" in empty.out
    for n in range(3):
        fingerprint = f"{n:064x}"
        state.journal(git_dir, {"event": "verdict", "verdict": "ask", "fingerprint": fingerprint,
                                "ask_rules": ["file-deleted", "size-large"]})
        state.journal(git_dir, {"event": "verdict", "verdict": "ask", "fingerprint": fingerprint,
                                "ask_rules": ["file-deleted", "size-large"]})  # commit-msg: same change
        if n < 3:
            state.journal(git_dir, {"event": "approval", "fingerprint": fingerprint, "by": "x", "rules": ["file-deleted"]})
    state.journal(git_dir, {"event": "verdict", "verdict": "ask", "fingerprint": "f" * 64, "ask_rules": ["size-large"]})
    config_before = project.git("status", "--porcelain")
    result = project.guard("calibrate", "--min", "3")
    assert result.code == 0, result.err
    rows = {line.split()[0]: line.split()[1:] for line in result.out.splitlines() if line.startswith(("file-", "size-")) and "=" not in line}
    assert rows["file-deleted"][:2] == ["3", "3"]
    assert rows["size-large"][:2] == ["4", "3"]
    snippet = result.out[result.out.index("[rules]"):]
    assert tomllib.loads(snippet) == {"rules": {"file-deleted": "report"}}
    assert project.git("status", "--porcelain") == config_before  # never edits config
    assert "No change suggested" in project.guard("calibrate", "--min", "4").out


def test_calibrate_from_real_verdicts_and_approvals(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.guard("hook", "pre-commit", env=clean_env(CLAUDECODE="1"))
    git_dir = str(project.path / ".git")
    fingerprint = journal(project)[0]["fingerprint"]
    state.record_approval(git_dir, state.Approval(by="Test Author", at=state.now(), fingerprint=fingerprint),
                          ["file-deleted"])
    assert project.guard("diff", env=clean_env(CLAUDECODE="1")).code == 0
    stats, verdicts, approvals = tally(state.read(git_dir, state.JOURNAL))
    assert (verdicts, approvals) == (2, 1)
    assert [(s.rule, s.asked, s.approved) for s in stats] == [("file-deleted", 1, 1)]
    assert 'file-deleted = "report"' in format_report(stats, verdicts, approvals, 1, "j")

"""`guard log RANGE`: every commit and the whole, from one git log stream."""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, Repo, clean_env
from integration_helpers import CLAUDE_TRAILER, head, project


@pytest.fixture
def proj(tmp_path: Path) -> Repo:
    return project(tmp_path / "project")


def _small_commits(repo: Repo, count: int, lines: int) -> None:
    """A large feature split into small commits, each adding `lines` lines to its own file."""
    for index in range(count):
        body = "".join(f"VALUE_{index}_{n} = {n}\n" for n in range(lines))
        repo.write(f"src/client/part_{index}.py", body)
        repo.add()
        repo.commit(f"part {index}")


def test_small_commits_do_not_make_a_large_change_small(proj: Repo) -> None:
    base = head(proj)
    _small_commits(proj, count=6, lines=40)
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 1, result.err
    data = result.json
    assert [c["verdict"] for c in data["commits"]] == ["ship"] * 6  # 40 lines each
    assert data["whole"]["verdict"] == "ask"
    assert data["whole"]["stats"]["changed_lines"] == 240
    assert data["verdict"] == "ask"
    assert [c["subject"] for c in data["commits"]] == [f"part {i}" for i in range(6)]


def test_each_commit_and_the_whole_in_text(proj: Repo) -> None:
    base = head(proj)
    proj.apply(FIXTURES / "retry-fix.patch")
    proj.commit("retry: cap the delay")
    proj.git("rm", "-q", "src/client/legacy_importer.py")
    proj.commit("remove the old importer")
    result = proj.guard("log", f"{base}..HEAD", "--assume-ai")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == f"{base}..HEAD (2 commits), as a whole:"
    assert "deletes src/client/legacy_importer.py" in result.out
    commit_lines = [line for line in lines if line.startswith("  ") and "·" in line and "(" in line[-40:]]
    assert any("ship · 12 lines in src/client/retry.py" in line and "(retry: cap the delay)" in line
               for line in commit_lines)
    assert any(" ask · " in line and "(remove the old importer)" in line for line in commit_lines)


def test_a_harmless_range_ships(proj: Repo) -> None:
    base = head(proj)
    proj.apply(FIXTURES / "retry-fix.patch")
    proj.commit("retry: cap the delay")
    result = proj.guard("log", f"{base}...HEAD", "--format", "json", "--assume-ai")
    assert result.code == 0, result.out
    assert result.json["verdict"] == "ship"
    assert "retry_with_backoff" in result.json["whole"]["stats"]["symbols"]


def test_one_git_log_process_for_the_whole_range(proj: Repo, tmp_path: Path) -> None:
    """A real git behind a recording wrapper: guard must not start a process per commit."""
    base = head(proj)
    _small_commits(proj, count=8, lines=3)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "calls"
    real_git = next(Path(p) / "git" for p in os.environ["PATH"].split(os.pathsep)
                    if (Path(p) / "git").is_file())
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {record}\nexec {real_git} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai", env=env)
    assert result.code == 0, result.err
    assert len(result.json["commits"]) == 8
    calls = record.read_text().splitlines()
    assert sum(" log " in f" {c} " for c in calls) == 1, calls
    assert len(calls) <= 6, calls  # rev-parse, cat-file --batch, notes check, log, diff


def test_messages_that_look_like_patches_do_not_confuse_the_split(proj: Repo) -> None:
    base = head(proj)
    proj.write("a.txt", "one\n")
    proj.add()
    proj.commit("add a\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-x\n+y\n\n" + CLAUDE_TRAILER)
    proj.write("b.txt", "two\n")
    proj.add()
    proj.commit("add b")
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 0, result.err
    commits = result.json["commits"]
    assert [c["subject"] for c in commits] == ["add a", "add b"]
    assert [[f["path"] for f in c["files"]] for c in commits] == [["a.txt"], ["b.txt"]]


def test_merge_commits_are_judged_against_their_first_parent(proj: Repo) -> None:
    base = head(proj)
    proj.git("checkout", "-q", "-b", "side")
    proj.write("side.txt", "side\n")
    proj.add()
    proj.commit("side work")
    proj.git("checkout", "-q", "main")
    proj.write("main.txt", "main\n")
    proj.add()
    proj.commit("main work")
    proj.git("merge", "-q", "--no-ff", "-m", "merge side", "side", env=clean_env())
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 0, result.err
    merge = next(c for c in result.json["commits"] if c["merge"])
    assert [f["path"] for f in merge["files"]] == ["side.txt"]
    assert len(result.json["commits"]) == 3
    # Named on its own, the merge is judged by what it brought, not passed over as the base's.
    alone = proj.guard("log", "HEAD", "--format", "json", "--assume-ai")
    (commit,) = alone.json["commits"]
    assert commit["merge"] and [f["path"] for f in commit["files"]] == ["side.txt"]
    assert "outside the range" not in commit["summary"]


def test_config_comes_from_the_base_not_from_the_range(tmp_path: Path) -> None:
    repo = project(tmp_path / "p", config='[rules]\nfile-deleted = "report"\n')
    base = head(repo)
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    repo.commit("remove the importer")
    reported = repo.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert reported.code == 0 and reported.json["verdict"] == "report"
    # A range that loosens the policy itself is judged by the policy before it.
    base = head(repo)
    repo.write(".guard.toml", '[rules]\nfile-deleted = "off"\n')
    repo.git("rm", "-q", "src/client/retry.py")
    repo.add()
    repo.commit("quietly remove retry")
    result = repo.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert "file-deleted" in [f["rule"] for f in result.json["whole"]["findings"]]


def test_a_single_commit_and_bad_ranges(proj: Repo) -> None:
    proj.git("rm", "-q", "src/client/legacy_importer.py")
    sha = proj.commit("remove")
    single = proj.guard("log", sha, "--format", "json", "--assume-ai")
    assert single.code == 1 and len(single.json["commits"]) == 1
    # git names the range it was given (the whole's `nope...HEAD`); guard names the bad end.
    for spec in ("nope..HEAD", "HEAD...nope"):
        bad = proj.guard("log", spec)
        assert bad.code == 2 and bad.err == "guard: unknown revision 'nope': check the revision names\n"


def test_without_an_ai_signal_asks_become_reports(proj: Repo) -> None:
    base = head(proj)
    proj.git("rm", "-q", "src/client/legacy_importer.py")
    proj.commit("remove the importer")
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-human")
    assert result.code == 0 and result.json["verdict"] == "report"


def test_merging_the_base_back_in_is_not_blamed_on_the_branch(proj: Repo) -> None:
    """main deletes a file (reviewed there); the agent's branch merges main back in. The merge's
    first-parent diff is main's deletion, which is not the branch's work; the whole shows none."""
    base_before = head(proj)
    proj.git("checkout", "-q", "-b", "agent/retry")
    proj.apply(FIXTURES / "retry-fix.patch")
    proj.commit("retry: cap the delay")
    proj.git("checkout", "-q", "main")
    proj.git("rm", "-q", "src/client/legacy_importer.py")
    proj.commit("remove the importer (reviewed on main)")
    base = head(proj)
    proj.git("checkout", "-q", "agent/retry")
    proj.git("merge", "-q", "--no-edit", "main", env=clean_env())
    result = proj.guard("log", f"{base}...agent/retry", "--format", "json", "--assume-ai")
    assert result.code == 0, result.out
    merge = next(c for c in result.json["commits"] if c["merge"])
    assert merge["verdict"] == "ship" and merge["findings"] == []
    assert "judged in the whole" in merge["summary"]
    assert result.json["whole"]["findings"] == []
    # Over a range that holds main's deletion itself, the deletion is judged where it was made.
    wide = proj.guard("log", f"{base_before}..agent/retry", "--format", "json", "--assume-ai")
    assert wide.code == 1
    asking = [c["subject"] for c in wide.json["commits"] if c["verdict"] == "ask"]
    assert "remove the importer (reviewed on main)" in asking  # (the merge bringing it, too)


def _drain(patch) -> bytes:  # type: ignore[no-untyped-def]
    out = b""
    while piece := patch.read():
        out += piece
    return out


def test_the_stream_carries_identities_messages_and_git_ai_notes(proj: Repo) -> None:
    import subprocess

    from guard.logstream import LOG_OPTIONS, split

    proj.write("a.txt", "one\n")
    proj.add()
    sha = proj.commit(f"add a\n\nbody line\n\n{CLAUDE_TRAILER}")
    proj.git("notes", "--ref=ai", "add", "-m", "a.txt\n  s_0123456789abcd 1-1\n---\n{}", sha)
    proj.git("commit", "-q", "--allow-empty", "-m", "empty")
    stream = subprocess.run(["git", *LOG_OPTIONS, "--notes=ai", "-2"], cwd=proj.path,
                            env=clean_env(), capture_output=True, check=True).stdout
    commits = [(logged, _drain(patch).splitlines(keepends=True)) for logged, patch in split(io.BytesIO(stream))]
    (empty, no_patch), (added, patch) = commits
    assert empty.subject == "empty" and not any(line.startswith(b"diff") for line in no_patch)
    assert added.info.sha == sha and added.info.author_email == "author@example.com"
    assert added.info.message == f"add a\n\nbody line\n\n{CLAUDE_TRAILER}"
    assert added.info.note.startswith("a.txt\n  s_0123456789abcd 1-1\n---")
    assert [line for line in patch if line.strip()][0].startswith(b"diff --git a/a.txt b/a.txt")
    # guard log reads the notes ref when it exists, and still judges both commits.
    result = proj.guard("log", "HEAD~2..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 0 and len(result.json["commits"]) == 2


def test_each_commit_names_the_packages_it_touches(proj: Repo) -> None:
    """A range looks up its commits' folders together: each commit still gets its own areas."""
    for package, manifest in (("packages/web", "package.json"), ("services/api", "pyproject.toml")):
        proj.write(f"{package}/{manifest}", "{}\n" if manifest.endswith("json") else "[project]\n")
    proj.add()
    proj.commit("two packages")
    base = head(proj)
    proj.write("packages/web/src/app.js", "export const answer = 42;\n")
    proj.add()
    proj.commit("web: the answer")
    proj.write("services/api/handlers/ping.py", "def ping():\n    return 'pong'\n")
    proj.add()
    proj.commit("api: ping")
    result = proj.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 0, result.err
    data = result.json
    assert [c["stats"]["areas"] for c in data["commits"]] == [["packages/web"], ["services/api"]]
    assert data["whole"]["stats"]["areas"] == ["packages/web", "services/api"]

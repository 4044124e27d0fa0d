"""Unusual and hostile input, each in a real repository: a defined answer, never a traceback."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Repo, clean_env, make_repo, run_guard


def judged(repo: Repo, *args: str, env: dict[str, str] | None = None) -> dict:
    result = repo.guard("diff", *args, "--format", "json", env=env)
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    return result.json


def one_clear_line(result) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.err
    assert 1 <= len(result.err.strip().splitlines()) <= 3, result.err


def test_merge_commit_is_judged_against_its_first_parent(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    repo.add()
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("b.txt", "b\n")
    repo.add()
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("c.txt", "c\n")
    repo.add()
    repo.commit("main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    data = judged(repo, "HEAD")
    assert [f["path"] for f in data["files"]] == ["b.txt"]


def test_detached_head(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    repo.add()
    repo.commit("one")
    repo.git("checkout", "-q", "--detach")
    repo.write("a.txt", "a\nb\n")
    repo.add()
    assert judged(repo)["stats"]["added"] == 1


def test_non_utf8_content_and_names(repo: Repo) -> None:
    repo.write("base.txt", "x\n")
    repo.add()
    repo.commit("base")
    name = b"caf\xe9-\xff.txt"
    (repo.path / os.fsdecode(name)).write_bytes(b"\xff\xfe latin1 \xe9\n")
    repo.add()
    data = judged(repo)
    assert data["stats"]["added"] == 1
    assert data["files"][0]["path"].startswith("caf")


def test_names_with_spaces_quotes_newlines_and_unicode(repo: Repo) -> None:
    repo.write("base.txt", "x\n")
    repo.add()
    repo.commit("base")
    names = ["with space.py", 'quote"d.py', "new\nline.py", "ünï cödé.py", "tab\there.py"]
    for name in names:
        repo.write(name, "one\n")
    repo.add()
    data = judged(repo)
    assert sorted(f["path"] for f in data["files"]) == sorted(names)
    repo.commit("names")
    repo.git("rm", "-q", "--", *names)
    data = judged(repo)
    assert sorted(f["path"] for f in data["findings"] if f["rule"] == "file-deleted") == sorted(names)
    # Folders with such names: guard asks git about each folder (is it a package?), by name.
    repo.git("reset", "-q", "--hard")
    folders = ["my dir/a.py", "new\nline dir/b.py", "sp ace/and more/c.py"]
    for name in folders:
        repo.write(name, "one\n")
    repo.add()
    assert sorted(f["path"] for f in judged(repo)["files"]) == sorted(folders)  # the index
    repo.commit("folders")
    result = repo.guard("diff", "HEAD", "--format", "json")  # a revision's trees
    assert result.code in (0, 1) and sorted(f["path"] for f in result.json["files"]) == sorted(folders)


def test_bare_carriage_return_is_content_not_a_line_break(repo: Repo) -> None:
    repo.write("a.txt", "x\n")
    repo.add()
    repo.commit("base")
    repo.write("a.txt", "x\none\rstill one\n")
    repo.add()
    assert judged(repo)["stats"]["added"] == 1


def test_crlf_files(repo: Repo) -> None:
    repo.write("win.txt", b"one\r\ntwo\r\n")
    repo.add()
    repo.commit("base")
    repo.write("win.txt", b"one\r\nTWO\r\nthree\r\n")
    repo.add()
    data = judged(repo)
    assert (data["stats"]["added"], data["stats"]["removed"]) == (2, 1)


def test_binary_added_and_modified(repo: Repo) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    repo.write("logo.png", png)
    repo.add()
    data = judged(repo)
    assert data["files"][0]["binary"] is True
    assert data["stats"]["excluded"] == [{"path": "logo.png", "reason": "binary"}]
    repo.commit("logo")
    repo.write("logo.png", png[::-1])
    repo.add()
    assert judged(repo)["files"][0]["binary"] is True


def test_binary_patch_with_full_index(repo: Repo, tmp_path: Path) -> None:
    repo.write("blob.bin", bytes(range(256)))
    repo.add()
    patch = tmp_path / "binary.patch"
    patch.write_bytes(subprocess.run(["git", "diff", "--cached", "--binary"], cwd=repo.path,
                                     capture_output=True, check=True, env=clean_env()).stdout)
    result = run_guard("diff", "--patch", str(patch), "--format", "json", cwd=tmp_path)
    assert result.code in (0, 1) and result.json["files"][0]["binary"] is True


def test_symlinks_inside_and_outside(repo: Repo) -> None:
    repo.write("target.txt", "t\n")
    repo.add()
    repo.commit("base")
    os.symlink("target.txt", repo.path / "inside")
    os.symlink("/etc/passwd", repo.path / "outside")
    repo.add()
    data = judged(repo)
    assert {f["path"] for f in data["files"]} == {"inside", "outside"}
    repo.commit("links")
    repo.git("rm", "-q", "inside")
    assert "symlink" in judged(repo)["findings"][0]["message"]


def test_mode_only_change(repo: Repo) -> None:
    repo.write("run.sh", "echo hi\n")
    repo.add()
    repo.commit("base")
    repo.git("update-index", "--chmod=+x", "run.sh")
    data = judged(repo)
    assert data["files"][0]["status"] == "modified"
    assert data["stats"]["changed_lines"] == 0


def test_submodule_added_and_moved(tmp_path: Path) -> None:
    sub = make_repo(tmp_path / "sub")
    sub.write("lib.txt", "lib\n")
    sub.add()
    sub.commit("lib")
    repo = make_repo(tmp_path / "main")
    repo.write("a.txt", "a\n")
    repo.add()
    repo.commit("base")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.path), "vendor/lib")
    data = judged(repo)
    assert "vendor/lib" in {f["path"] for f in data["files"]}
    repo.commit("add submodule")
    (repo.path / "third").mkdir()
    repo.git("mv", "vendor/lib", "third/lib")
    data = judged(repo)
    assert "third/lib" in {f["path"] for f in data["files"]}


def test_five_megabyte_single_line(repo: Repo) -> None:
    repo.write("a.txt", "x\n")
    repo.add()
    repo.commit("base")
    repo.write("data.min.js", "var a=" + "1," * (5 << 19) + "0;\n")
    repo.add()
    data = judged(repo)
    assert data["files"][0]["added"] == 1


def test_hundred_thousand_lines_are_counted_exactly(repo: Repo) -> None:
    repo.write("a.txt", "x\n")
    repo.add()
    repo.commit("base")
    repo.write("big.py", "".join(f"value_{n} = {n}\n" for n in range(100_000)))
    repo.add()
    data = judged(repo, "--assume-ai")
    assert data["stats"]["changed_lines"] == 100_000
    assert data["verdict"] == "ask"


@pytest.mark.parametrize("patch", [
    b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n+b\n",  # hunk cut short
    b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n?garbage\n",
    b"@@ -1 +1 @@\n-a\n+b\n",  # a hunk with no file
    b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -one +1 @@\n",
    b"this is not a patch at all\n",
])
def test_malformed_patch_is_exit_2(tmp_path: Path, patch: bytes) -> None:
    result = run_guard("diff", "--patch", "-", cwd=tmp_path, stdin=patch)
    one_clear_line(result)
    assert "patch" in result.err or "diff" in result.err


def test_empty_patch_ships(tmp_path: Path) -> None:
    result = run_guard("diff", "--patch", "-", cwd=tmp_path, stdin=b"")
    assert result.code == 0 and result.out.startswith("ship · no changes")


def test_missing_patch_file(tmp_path: Path) -> None:
    one_clear_line(run_guard("diff", "--patch", str(tmp_path / "nope.patch"), cwd=tmp_path))


def test_config_syntax_error_and_unknown_key(repo: Repo) -> None:
    repo.write(".guard.toml", "thresholds = [\n")
    repo.add()
    repo.commit("broken config")
    result = repo.guard("diff")
    one_clear_line(result)
    assert ".guard.toml" in result.err and "TOML" in result.err
    repo.write(".guard.toml", "[thresholds.ship]\nlnes = 10\n")
    repo.add()
    repo.commit("typo")
    result = repo.guard("diff")
    one_clear_line(result)
    assert "thresholds.ship.lnes" in result.err and 'did you mean "lines"' in result.err
    # The committed copy applies, to the commit that fixes it too: the error says how through.
    assert "git commit --no-verify" in result.err and "--config .guard.toml" in result.err


def test_bad_config_value_names_the_key(repo: Repo) -> None:
    repo.write(".guard.toml", "[thresholds.ship]\nlines = \"many\"\n")
    repo.add()
    repo.commit("bad value")
    result = repo.guard("diff")
    one_clear_line(result)
    assert "thresholds.ship.lines" in result.err
    repo.write(".guard.toml", 'approval-label = " "\n')  # no label could be added: nothing approves
    repo.add()
    repo.commit("empty label")
    result = repo.guard("diff")
    one_clear_line(result)
    assert "approval-label" in result.err and "empty" in result.err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="gives the repository to another user")
def test_a_repository_owned_by_another_user(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.add()
    for path in (repo.path, *repo.path.rglob("*")):
        os.lchown(path, 65534, 65534)  # nobody, as a CI container's checkout is to its user
    result = repo.guard("diff")
    one_clear_line(result)
    assert "dubious ownership" in result.err and f"safe.directory {repo.path}" in result.err


def test_git_missing_from_path(repo: Repo) -> None:
    env = clean_env(PATH=str(Path(shutil.which("python3") or "/usr/bin/python3").parent.parent / "nonexistent"))
    result = repo.guard("diff", env=env)
    one_clear_line(result)
    assert "git" in result.err


def test_shallow_clone_missing_the_base(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    for n in range(3):
        origin.write("a.txt", f"{n}\n")
        origin.add()
        origin.commit(f"c{n}")
    first = origin.git("rev-list", "--max-parents=0", "HEAD").strip()
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.path}", str(clone)],
                   check=True, env=clean_env())
    result = run_guard("diff", f"{first}..HEAD", cwd=clone)
    one_clear_line(result)
    assert "shallow" in result.err and "fetch-depth" in result.err


def test_a_warning_for_every_file_does_not_stall_guard(repo: Repo) -> None:
    """With core.autocrlf, git warns once per file on stderr while it writes the diff: more
    than a pipe holds, which must be read as it comes, not after the diff."""
    import sys

    for n in range(1200):
        repo.write(f"notes/n{n}.txt", "line\n")
    repo.add()
    repo.commit("base")
    repo.git("config", "core.autocrlf", "true")
    for n in range(1200):
        repo.write(f"notes/n{n}.txt", "line\nmore\n")
    done = subprocess.run([sys.executable, "-m", "guard", "diff", "--worktree", "--format", "json"],
                          cwd=repo.path, env=clean_env(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b'"files": 1200' in done.stdout


@pytest.mark.parametrize("args", [("ci", "--format", "xml"), ("frobnicate",), ("log",), ("diff", "--no-such")])
def test_a_bad_command_line_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_guard(*args, cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("guard: ") and "--help" in result.err


def test_what_is_not_counted_still_says_how_big_it_is(repo: Repo) -> None:
    repo.write("pkg/a.py", "x = 1\n")
    repo.add()
    repo.commit("base")
    repo.write("pkg/a.py", "x = 2\n")
    repo.write("pkg/zz_generated.deepcopy.go", "".join(f"// line {i}\n" for i in range(3000)))
    repo.add()
    result = repo.guard("diff", "--format", "json")
    assert "+ 1 not counted (generated: 3000 lines)" in result.json["summary"]

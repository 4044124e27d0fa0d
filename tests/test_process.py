"""guard.process spawns git without the subprocess module, and with it where posix_spawn is
missing: both ways must behave the same."""
from __future__ import annotations

import os

import pytest
from conftest import Repo, clean_env

from guard.process import spawn_git


@pytest.fixture(params=["posix_spawn", "subprocess"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "subprocess":
        monkeypatch.delattr(os, "posix_spawn")
    return str(request.param)


def test_output_code_and_folder(repo: Repo, way: str) -> None:
    (repo.path / "sub").mkdir()
    child = spawn_git(["rev-parse", "--show-prefix"], str(repo.path / "sub"), clean_env(), stdin_pipe=False)
    assert child.communicate() == (b"sub/\n", b"")
    assert child.wait() == 0


def test_failure_keeps_its_code_and_message(repo: Repo, way: str) -> None:
    child = spawn_git(["rev-parse", "--verify", "no-such-branch"], str(repo.path), clean_env(), stdin_pipe=False)
    out, err = child.communicate()
    assert child.wait() == 128
    assert b"no-such-branch" in err or b"fatal" in err


def test_questions_on_stdin_and_a_kill(repo: Repo, way: str) -> None:
    repo.write("a.txt", "hello\n")
    repo.add()
    repo.commit()
    child = spawn_git(["cat-file", "--batch-check"], str(repo.path), clean_env(), stdin_pipe=True)
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(b"HEAD:a.txt\n")
    child.stdin.flush()
    assert child.stdout.readline().split()[1:] == [b"blob", b"6"]
    child.kill()  # still waiting for the next question
    assert child.wait() == -9


def test_git_missing(repo: Repo, way: str) -> None:
    with pytest.raises(FileNotFoundError):
        spawn_git(["status"], str(repo.path), clean_env(PATH=str(repo.path / "nowhere")), stdin_pipe=False)


def test_git_dies_of_sigpipe_when_guard_stops_reading(repo: Repo, way: str) -> None:
    repo.write("big.txt", "line\n" * 200_000)
    repo.add()
    repo.commit()
    child = spawn_git(["cat-file", "-p", "HEAD:big.txt"], str(repo.path), clean_env(), stdin_pipe=False)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(5) == b"line\n"
    child.stdout.close()
    child.stderr.read()
    assert child.wait() == -13  # SIGPIPE, as with subprocess


NOISY = "!python3 -c 'import sys; sys.stderr.write(\"x\" * 300000); print(\"done\")'"


def test_a_child_that_fills_stderr_does_not_block_it(repo: Repo, way: str) -> None:
    import signal

    def deadlocked(*_: object) -> None:
        raise TimeoutError("communicate() is still waiting after 30 s")

    previous = signal.signal(signal.SIGALRM, deadlocked)  # fail the test, do not hang the suite
    signal.alarm(30)
    try:
        child = spawn_git(["-c", f"alias.noisy={NOISY}", "noisy"], str(repo.path), clean_env(), stdin_pipe=False)
        out, err = child.communicate()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert (out, len(err), child.wait()) == (b"done\n", 300000, 0)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists descriptors in /proc")
def test_only_the_pipes_reach_git(repo: Repo, way: str) -> None:
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)  # as a parent process may hand one down
    try:
        child = spawn_git(["-c", "alias.fds=!ls /proc/$$/fd", "fds"], str(repo.path), clean_env(), stdin_pipe=False)
        out, _ = child.communicate()
    finally:
        os.close(read_end)
        os.close(write_end)
    assert str(write_end) not in out.decode().split()


def test_a_child_nobody_holds_is_ended_and_reaped(repo: Repo) -> None:
    child = spawn_git(["cat-file", "--batch"], str(repo.path), clean_env(), stdin_pipe=True)
    pid = child.pid  # type: ignore[attr-defined]
    del child
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)

"""git processes with pipes, for guard.git.

Importing `subprocess` costs 4 ms (it brings threading, signal, selectors and locale): nearly a
tenth of a pre-commit hook run, which starts three git processes and needs none of that. Where
`os.posix_spawn` exists (Linux, macOS, the BSDs) git is spawned with it directly; elsewhere
`subprocess.Popen`, which offers the same few members, stands in.

git may write any amount to either pipe: `communicate` reads both as they come, and a stream
(guard.git.Repo.stream) drains stderr while it reads stdout.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import select


class Child(Protocol):
    stdin: IO[bytes] | None
    stdout: IO[bytes] | None
    stderr: IO[bytes] | None

    def wait(self) -> int: ...

    def kill(self) -> None: ...

    def communicate(self) -> tuple[bytes, bytes]: ...


class _Spawned:
    """What guard uses of a `subprocess.Popen`, for a child made by posix_spawn."""

    def __init__(self, pid: int, stdin: int | None, stdout: int, stderr: int) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = None if stdin is None else os.fdopen(stdin, "wb")
        self.stdout: IO[bytes] | None = os.fdopen(stdout, "rb")
        self.stderr: IO[bytes] | None = os.fdopen(stderr, "rb")
        self.returncode: int | None = None

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, 9)  # SIGKILL; the signal module is not imported for one number

    def __del__(self) -> None:
        # A child nobody can read any more (an early start the run never used) is ended and
        # reaped, not left a zombie for as long as the caller lives.
        if self.returncode is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass

    def communicate(self) -> tuple[bytes, bytes]:
        """All of stdout and stderr, each read as it comes (Output)."""
        assert self.stdout is not None and self.stderr is not None
        if self.stdin is not None:
            self.stdin.close()
        with self.stdout, self.stderr:
            output = Output(self.stdout, self.stderr)
            out = b"".join(iter(lambda: output.read(1 << 16), b""))
            err = output.all_stderr()
        self.wait()
        return out, err


class Output:
    """A child's stdout a chunk at a time, as it comes, with its stderr drained meanwhile:
    read one after the other, a child that fills its stderr pipe while the reader waits on
    stdout would block them both (git warns once per file with core.autocrlf)."""

    def __init__(self, stdout: IO[bytes], stderr: IO[bytes] | None) -> None:
        self._out = stdout.fileno()
        self._stderr = stderr
        self._err = -1 if stderr is None else stderr.fileno()
        self._kept: list[bytes] = []
        self._poller: select.poll | None = None
        if stderr is not None:
            import select  # a C module; subprocess's selectors and threading are what cost

            if hasattr(select, "poll"):  # not on Windows, whose pipes select cannot watch
                self._poller = select.poll()
                self._poller.register(self._out, select.POLLIN)
                self._poller.register(self._err, select.POLLIN)

    def read(self, size: int) -> bytes:
        """Up to `size` bytes of stdout, as soon as there are any; b"" at its end."""
        while self._poller is not None:
            ready = {fd for fd, _ in self._poller.poll()}
            if self._err in ready:
                if data := os.read(self._err, 1 << 16):
                    self._kept.append(data)
                else:  # the child closed its stderr: from now on stdout alone
                    self._poller = None
            if self._out in ready:
                break
        return os.read(self._out, size)

    def all_stderr(self) -> bytes:
        """What was kept of stderr while stdout was read, then the rest of it."""
        return b"".join(self._kept) + (self._stderr.read() if self._stderr is not None else b"")


def spawn_git(args: Sequence[str], cwd: str | None, env: Mapping[str, str], stdin_pipe: bool) -> Child:
    """Start git with `args` in `cwd`, stdout and stderr piped, and stdin too if asked (else
    inherited). Raises FileNotFoundError when git is not on PATH."""
    if not hasattr(os, "posix_spawn"):
        return _popen(["git", *args], cwd, env, stdin_pipe)
    # posix_spawn has no working folder before Python 3.13; git's -C is the same as starting there.
    argv = ["git", *(("-C", cwd) if cwd is not None else ()), *args]
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    in_read, in_write = os.pipe() if stdin_pipe else (None, None)
    actions: list[tuple[int, ...]] = [(os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)]
    if in_read is not None:
        actions.append((os.POSIX_SPAWN_DUP2, in_read, 0))
    # Like subprocess: no other descriptor reaches git (guard's own are not inheritable, but
    # what guard's parent handed down may be), and SIGPIPE and SIGXFSZ, which Python ignores,
    # are back at their defaults (13 and 25 on Linux, macOS and the BSDs; signal is not imported).
    actions.extend((os.POSIX_SPAWN_CLOSE, fd) for fd in _inherited())
    try:
        pid = os.posix_spawn(_on_path("git", env), argv, env, file_actions=actions, setsigdef=(13, 25))
    except OSError:
        for fd in (out_read, err_read, in_write):
            if fd is not None:
                os.close(fd)
        raise
    finally:  # the child's ends: the child has its own copies now
        for fd in (out_write, err_write, in_read):
            if fd is not None:
                os.close(fd)
    return _Spawned(pid, in_write, out_read, err_read)


def _inherited() -> list[int]:
    """Descriptors above stderr that a child would inherit."""
    try:
        listed = os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd")
    except OSError:
        return []
    found = []
    for name in listed:
        fd = int(name)
        try:
            if fd > 2 and os.get_inheritable(fd):
                found.append(fd)
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return found


def _on_path(program: str, env: Mapping[str, str]) -> str:
    """Where `program` is on the PATH the child gets, as subprocess looks for it (posix_spawnp
    would search guard's own PATH instead)."""
    for folder in env.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(program)


def _popen(argv: Sequence[str], cwd: str | None, env: Mapping[str, str], stdin_pipe: bool) -> Child:
    import subprocess

    return subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=subprocess.PIPE if stdin_pipe else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

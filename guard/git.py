"""The only module that runs git. Everything here reads; nothing writes to the repository.

GitPython is not used on this path: importing it costs more than a whole small hook run, and
the few plumbing calls guard needs stream better through pipes of its own (guard.process).
"""
from __future__ import annotations

from typing import IO, TYPE_CHECKING, BinaryIO, NamedTuple, cast

if TYPE_CHECKING:
    import queue

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from guard.errors import GuardError
from guard.process import Child, Output, spawn_git

# Settings that would change git's output format are pinned, whatever the user's config says.
_PINNED = (
    "-c", "core.quotePath=true", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
    "-c", "diff.relative=false", "-c", "color.ui=never", "-c", "diff.external=",
)
DIFF_OPTIONS = (
    "-p", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
    "-M", "--submodule=short",
)
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DISCOVER = ("rev-parse", "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository",
            "--git-common-dir")
STAGED = ("diff", "--cached", *DIFF_OPTIONS, "--")
CAT_FILE = ("cat-file", "--batch")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # A plain `git diff` may refresh the index's stat cache, which writes .git/index.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env.pop("GIT_EXTERNAL_DIFF", None)
    return env


# Processes started before the code that reads them was imported (start_early), by their
# arguments; each is taken once, and only in the folder it started in.
_early: dict[tuple[str, ...], tuple[str, Child]] = {}


def start_early(*commands: tuple[str, ...]) -> None:
    """Start git commands a run is sure to need, so git answers while Python imports the code
    that will ask (a pre-commit hook imports for longer than git takes to answer it)."""
    cwd = os.getcwd()
    for args in commands:
        _early[args] = (cwd, _spawn(args, cwd, stdin_pipe=args == CAT_FILE))


def _popen(args: Sequence[str], cwd: str | None, stdin_pipe: bool = False) -> Child:
    early = _early.pop(tuple(args), None)
    if early is not None:
        if early[0] == (cwd or os.getcwd()):
            return early[1]
        early[1].kill()  # started in another folder: not the answer asked for
        early[1].wait()
    return _spawn(args, cwd, stdin_pipe)


def _spawn(args: Sequence[str], cwd: str | None, stdin_pipe: bool) -> Child:
    try:
        return spawn_git([*_PINNED, *args], cwd, _env(), stdin_pipe)
    except FileNotFoundError:
        raise GuardError("git was not found on PATH", "install git, or give a patch with --patch FILE") from None


def run(args: Sequence[str], cwd: str | None = None) -> tuple[int, bytes, str]:
    proc = _popen(args, cwd)
    out, err = proc.communicate()
    return proc.wait(), out, err.decode("utf-8", "replace")


REVISION_FIX = "check the revision names"
NOT_A_REPOSITORY_FIX = "run guard inside a repository"
SHALLOW_FIX = ("this is a shallow clone without that commit: fetch full history "
               "(GitHub: actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: 0)")


def git_failure(args: Sequence[str], stderr: str, shallow: bool = False) -> GuardError:
    """Turn git's complaint into one line that says what to do."""
    first = next((line for line in stderr.splitlines() if line.strip()), "git failed")
    first = first.removeprefix("fatal: ").removeprefix("error: ")
    lowered = stderr.lower()
    if "unknown revision" in lowered or "bad revision" in lowered or "bad object" in lowered \
            or "no merge base" in lowered or "invalid object name" in lowered or "ambiguous argument" in lowered \
            or "invalid revision range" in lowered:  # `git log A..B` (authorship) with A missing
        fix = REVISION_FIX
        if shallow:
            fix = SHALLOW_FIX
        return GuardError(first, fix)
    if "dubious ownership" in lowered:  # a CI container's checkout belongs to another user
        where = first.rpartition(" at ")[2].strip("'") or "."
        return GuardError(first, f"if it is yours to trust, run `git config --global --add safe.directory {where}`")
    return GuardError(f"git {args[0]} failed: {first}", "check the repository and the arguments")


class Repo(NamedTuple):
    cwd: str
    git_dir: str
    bare: bool
    shallow: bool
    # Where guard keeps its files (guard.state): the repository's own git folder, which a linked
    # worktree shares, so an approval given in one worktree holds when another pushes.
    state_dir: str

    @staticmethod
    def discover(cwd: str | None = None) -> Repo:
        code, out, err = run(DISCOVER, cwd)
        if code != 0:
            if "not a git repository" in err.lower():
                raise GuardError("not a git repository", NOT_A_REPOSITORY_FIX)
            raise git_failure(["rev-parse"], err)
        git_dir, bare, shallow, common = out.decode("utf-8", "surrogateescape").splitlines()[:4]
        where = cwd or os.getcwd()
        return Repo(cwd=where, git_dir=git_dir, bare=bare == "true", shallow=shallow == "true",
                    state_dir=os.path.normpath(os.path.join(where, common)))  # common may be relative

    @contextmanager
    def stream(self, args: Sequence[str]) -> Iterator[BinaryIO]:
        """Yield git's stdout as a binary stream; raise GuardError afterwards if git failed."""
        proc = _popen(args, self.cwd)
        assert proc.stdout is not None and proc.stderr is not None
        reader = _Prefetch(proc.stdout, thread=not _widen(proc.stdout), errors=proc.stderr)
        try:
            yield cast(BinaryIO, reader)
        finally:
            proc.stdout.close()
            err = reader.output.all_stderr().decode("utf-8", "replace")
            proc.stderr.close()
            code = proc.wait()
        if code != 0:
            raise self._named(git_failure(args, err, self.shallow), args)

    def _named(self, failure: GuardError, args: Sequence[str]) -> GuardError:
        """A range git could not resolve, said with the end that names no commit: git names
        the range it was given, which for a pull request's whole is `A...B` where the user
        wrote `A..B`. Runs only on the way out of a failure."""
        if failure.fix not in (REVISION_FIX, SHALLOW_FIX):
            return failure
        if "HEAD" in failure.problem and run(["rev-parse", "-q", "--verify", "HEAD"], self.cwd)[0]:
            # `--worktree` compares with HEAD, which the user may not have typed.
            return GuardError("this repository has no commits yet, so HEAD names none",
                              "commit first; until then `guard diff` judges the staged change")
        for arg in args:
            if arg.startswith("-") or ".." not in arg:
                continue
            for end in arg.replace("...", "..").split("..", 1):
                if end and run(["rev-parse", "-q", "--verify", "--end-of-options", f"{end}^{{commit}}"], self.cwd)[0]:
                    return GuardError(f"unknown revision {end!r}", failure.fix)
        return failure

    def author_emails(self, base: str | None, head: str | None) -> tuple[str, ...]:
        """Who authored the change: the commits' author e-mails for a revision range or one
        commit (`base` = `head^`), else the identity git would commit staged changes with."""
        if head:
            spec = ["-1", head] if base == f"{head}^" else [f"{base}..{head}"] if base else ["-1", head]
            code, out, _ = run(["log", "--format=%ae", *spec, "--"], self.cwd)
        else:
            code, out, _ = run(["var", "GIT_AUTHOR_IDENT"], self.cwd)
            out = out.split(b"<", 1)[-1].split(b">", 1)[0] if b"<" in out else b""
        if code != 0:
            return ()
        return tuple(dict.fromkeys(e for e in out.decode("utf-8", "replace").split() if "@" in e))

    def blobs(self) -> BlobReader:
        return BlobReader(self)


def _widen(pipe: IO[bytes]) -> bool:
    """Let git write up to a megabyte ahead of guard (Linux; a pipe holds 64 KB by default)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _Prefetch.CHUNK)
        return True
    except (ImportError, AttributeError, OSError):  # another system, or over the user's quota
        return False


class _Prefetch:
    """Reads git's output a chunk at a time, as it comes. With a pipe of 64 KB, git would stall
    whenever guard is busy with a chunk, and the two would take turns instead of working side
    by side: where the pipe cannot be widened, a thread drains it, past the first INLINE bytes
    (most hook runs never start it). The thread's queue is bounded, so memory stays bounded.
    A widened pipe needs no thread: on a 25 MB diff the thread's waits for the GIL cost more
    than they saved (620 ms against 520 ms). git's stderr (`errors`) is drained meanwhile
    (guard.process.Output)."""

    CHUNK = 1 << 20
    DEPTH = 8
    INLINE = 1 << 18

    def __init__(self, pipe: IO[bytes], thread: bool = True, errors: IO[bytes] | None = None) -> None:
        self.output = Output(pipe, errors)
        self._seen = 0
        self._queue: queue.Queue[bytes] | None = None
        self._done = False
        self._inline = self.INLINE if thread else float("inf")

    def _chunk(self) -> bytes:
        return self.output.read(self.CHUNK)

    def _drain(self) -> None:
        assert self._queue is not None
        try:
            while chunk := self._chunk():
                self._queue.put(chunk)
        except (OSError, ValueError):
            pass  # the reader went away early; the caller reports why
        self._queue.put(b"")

    def read(self, size: int = -1) -> bytes:
        if self._done:
            return b""
        if self._queue is None:
            chunk = self._chunk()
            self._seen += len(chunk)
            if self._seen > self._inline:
                import queue
                import threading

                self._queue = queue.Queue(self.DEPTH)
                threading.Thread(target=self._drain, daemon=True).start()
        else:
            chunk = self._queue.get()
        self._done = not chunk
        return chunk


def _file_names(tree: bytes, hash_length: int) -> list[str]:
    """The names of the files (blobs and symlinks, not folders or submodules) in a raw tree
    object: entries of `MODE NAME\\0HASH`, the hash `hash_length` bytes long (20 for SHA-1,
    32 for SHA-256)."""
    names, pos = [], 0
    while (nul := tree.find(b"\0", pos)) != -1:
        mode, _, name = tree[pos:nul].partition(b" ")
        if mode.startswith((b"100", b"120")):
            names.append(name.decode("utf-8", "surrogateescape"))
        pos = nul + 1 + hash_length
    return names


class BlobReader:
    """One `git cat-file --batch` for every file guard reads at a revision (config, CODEOWNERS,
    package manifests), instead of a process each."""

    BATCH = 64  # requests per round trip: well under a pipe's 64 KB even with long paths

    def __init__(self, repo: Repo) -> None:
        self._proc = _popen(CAT_FILE, repo.cwd, stdin_pipe=True)

    def read(self, specs: Sequence[str]) -> list[bytes | None]:
        """The contents of each `REV:path` (None when missing), in order."""
        return [found[1] if found else None for found in self._objects(specs, b"blob")]

    def files_in(self, folders: Sequence[str]) -> list[frozenset[str]]:
        """The names of the files directly in each `REV:folder` (empty when it is missing): one
        read per folder, where asking for each name that might be there would take one each."""
        # A tree's id in hex is twice as long as the hashes inside it.
        return [frozenset(_file_names(found[1], len(found[0]) // 2)) if found else frozenset()
                for found in self._objects(folders, b"tree")]

    def _objects(self, specs: Sequence[str], kind: bytes) -> list[tuple[bytes, bytes] | None]:
        """(id, contents) of each object of type `kind`; None when missing or of another type.
        Asked in batches that fit a pipe's buffer: written all at once, git would block
        writing answers nobody reads yet while guard blocks writing questions."""
        out: list[tuple[bytes, bytes] | None] = []
        for start in range(0, len(specs), self.BATCH):
            out.extend(self._read_batch(specs[start:start + self.BATCH], kind))
        return out

    def _read_batch(self, specs: Sequence[str], kind: bytes) -> list[tuple[bytes, bytes] | None]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        if not specs:
            return []
        # One request per line: a name with a newline in it cannot be asked for (it is missing).
        asked = [s for s in specs if "\n" not in s]
        self._proc.stdin.write(b"".join(s.encode("utf-8", "surrogateescape") + b"\n" for s in asked))
        self._proc.stdin.flush()
        found: dict[str, tuple[bytes, bytes] | None] = {}
        for spec in asked:
            # `<id> <type> <size>`, or the name as asked followed by `missing` or `ambiguous`:
            # a name may hold spaces, so the answer is told by its end, not by its word count.
            header = self._proc.stdout.readline()
            if header.endswith((b" missing\n", b" ambiguous\n")):
                found[spec] = None
                continue
            object_id, object_type, size = header.split()
            data = self._proc.stdout.read(int(size) + 1)[:-1]
            found[spec] = (object_id, data) if object_type == kind else None
        return [found.get(spec) for spec in specs]

    def close(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()
        self._proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Split one `git log -p` stream into commits, each with its patch as a lazy line iterator.

One process for a whole range (not one per commit): the format below puts a header line that no
patch line can start with (`\\x1e` at column 0) before each commit's identity and message, so the
stream is cut without buffering any commit's patch. Pure: the caller opens the stream.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from guard.authorship import CommitInfo
from guard.git import DIFF_OPTIONS

MARK = b"\x1eguard-commit "
# Header line: sha and parents; then identities; then the message, ended by \x1d; then the
# git-ai note (if --notes was given), ended by \x1c. Message and note may span many lines.
FORMAT = "--format=%x1eguard-commit %H %P%n%an%x1f%ae%x1f%cn%x1f%ce%n%B%x1d%N%x1c"
# A merge is shown as its diff against the first parent: what it brought to the branch.
LOG_OPTIONS = ("log", *DIFF_OPTIONS, "--diff-merges=first-parent", FORMAT)


@dataclass(frozen=True)
class LoggedCommit:
    info: CommitInfo
    parents: tuple[str, ...]

    @property
    def subject(self) -> str:
        return self.info.message.split("\n", 1)[0].strip()

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


class _Stream:
    def __init__(self, lines: Iterable[bytes]) -> None:
        self._lines = iter(lines)
        self._header: bytes | None = None  # a header line read ahead while draining a patch

    def _next_header(self) -> bytes | None:
        if self._header is not None:
            header, self._header = self._header, None
            return header
        for line in self._lines:
            if line.startswith(MARK):
                return line
        return None

    def _block(self) -> bytes:
        """The identity, message and note: every line up to the one holding the final \\x1c."""
        chunks = []
        for line in self._lines:
            index = line.find(b"\x1c")
            if index >= 0:
                chunks.append(line[:index])
                break
            chunks.append(line)
        return b"".join(chunks)

    def _patch(self) -> Iterator[bytes]:
        for line in self._lines:
            if line.startswith(MARK):
                self._header = line
                return
            yield line

    def commits(self) -> Iterator[tuple[LoggedCommit, Iterator[bytes]]]:
        while (header := self._next_header()) is not None:
            shas = _text(header[len(MARK):]).split()
            block = _text(self._block())
            first, _, rest = block.partition("\n")
            ident = first.split("\x1f") + [""] * 4
            message, _, note = rest.partition("\x1d")
            note = note.strip("\n")
            info = CommitInfo(sha=shas[0], author_name=ident[0], author_email=ident[1],
                              committer_name=ident[2], committer_email=ident[3],
                              message=message.rstrip("\n"), note=note)
            patch = self._patch()
            yield LoggedCommit(info, tuple(shas[1:])), patch
            for _ in patch:  # the caller may stop early; skip to the next header
                pass


def split(lines: Iterable[bytes]) -> Iterator[tuple[LoggedCommit, Iterator[bytes]]]:
    """Each commit of a stream produced with LOG_OPTIONS, newest first, with its patch lines."""
    return _Stream(lines).commits()

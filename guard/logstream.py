"""Split one `git log -p` stream into commits, each with its patch as a stream of its own.

One process for a whole range (not one per commit): the format below puts a header line that no
patch line can start with (`\\x1e` at column 0) before each commit's identity and message, so the
stream is cut without buffering any commit's patch. Pure: the caller opens the stream.
"""

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple, cast

from guard.authorship import CommitInfo
from guard.git import DIFF_OPTIONS

MARK = b"\x1eguard-commit "
# Header line: sha and parents; then identities; then the message, ended by \x1d; then the
# git-ai note (if --notes was given), ended by \x1c. Message and note may span many lines.
FORMAT = "--format=%x1eguard-commit %H %P%n%an%x1f%ae%x1f%cn%x1f%ce%n%B%x1d%N%x1c"
# A merge is shown as its diff against the first parent: what it brought to the branch.
LOG_OPTIONS = ("log", *DIFF_OPTIONS, "--diff-merges=first-parent", FORMAT)


class LoggedCommit(NamedTuple):
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


CHUNK = 1 << 20
_BOUNDARY = b"\n" + MARK


class _Stream:
    """Cuts the log into commits over one buffer: each commit's patch is handed to the parser
    as a stream of its own that ends at the next header, so no patch is held whole."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buf = b""
        self._pos = 0
        self._eof = False
        self._section_open = False

    def _fill(self) -> bool:
        if self._eof:
            return False
        data = self._stream.read(CHUNK)
        if not data:
            self._eof = True
            return False
        self._buf = self._buf[self._pos:] + data
        self._pos = 0
        return True

    def _until(self, delimiter: bytes) -> bytes | None:
        """Everything up to and without `delimiter`, consumed; None at the end of input."""
        while (index := self._buf.find(delimiter, self._pos)) == -1:
            if not self._fill():
                if self._pos >= len(self._buf):
                    return None
                rest, self._pos = self._buf[self._pos:], len(self._buf)
                return rest
        found, self._pos = self._buf[self._pos:index], index + len(delimiter)
        return found

    def read(self, size: int = -1) -> bytes:
        """The current commit's patch, a piece at a time (the parser's stream interface)."""
        while self._section_open:
            index = self._buf.find(_BOUNDARY, self._pos)
            if index != -1:
                piece, self._pos = self._buf[self._pos:index + 1], index + 1
                self._section_open = False
                return piece
            # Hold back a possible partial boundary at the end of the buffer.
            cut = max(self._pos, len(self._buf) - len(_BOUNDARY))
            if cut > self._pos and not self._eof:
                piece, self._pos = self._buf[self._pos:cut], cut
                return piece
            if not self._fill():
                piece, self._pos = self._buf[self._pos:], len(self._buf)
                self._section_open = False
                return piece
        return b""

    def commits(self) -> Iterator[tuple[LoggedCommit, BinaryIO]]:
        if self._until(MARK) is None:
            return
        while True:
            header = self._until(b"\n")
            if header is None:
                return
            shas = _text(header).split()
            block = _text(self._until(b"\x1c") or b"")
            first, _, rest = block.partition("\n")
            ident = first.split("\x1f") + [""] * 4
            message, _, note = rest.partition("\x1d")
            info = CommitInfo(sha=shas[0], author_name=ident[0], author_email=ident[1],
                              committer_name=ident[2], committer_email=ident[3],
                              message=message.rstrip("\n"), note=note.strip("\n"))
            self._section_open = True
            yield LoggedCommit(info, tuple(shas[1:])), cast(BinaryIO, self)
            while self.read():  # the caller may stop early; skip to the next header
                pass
            if self._until(MARK) is None:
                return


def split(stream: BinaryIO) -> Iterator[tuple[LoggedCommit, BinaryIO]]:
    """Each commit of a stream produced with LOG_OPTIONS, newest first, with its patch."""
    return _Stream(stream).commits()

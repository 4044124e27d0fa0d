"""A streaming parser for unified diffs, git's extended format included.

It reads bytes line by line (split on `\\n` only, so a bare `\\r` stays content), yields one
`FileChange` per file as soon as the file ends, and keeps exact counts for every line while
holding at most `keep_bytes` of line text per file. Header grammar comes from unidiff's regexes;
unidiff's own `PatchSet` is not used because it holds the whole patch in memory.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from unidiff.constants import (
    RE_DIFF_GIT_HEADER,
    RE_HUNK_HEADER,
    RE_PATCH_FILE_PREFIX,
    RE_SOURCE_FILENAME,
    RE_TARGET_FILENAME,
)

from guard.errors import GuardError
from guard.model import FileChange, Hunk, Line, Status
from guard.symbols import definition

KEEP_BYTES = 4 << 20
DEV_NULL = "/dev/null"
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def unquote(path: str) -> str:
    """Undo git's C-style quoting (core.quotePath): `"caf\\303\\251"` is `café`."""
    if len(path) < 2 or path[0] != '"' or path[-1] != '"':
        return path
    body = path[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        if byte != 92 or i + 1 == len(body):
            out.append(byte)
            i += 1
            continue
        nxt = chr(body[i + 1])
        if nxt in "01234567" and i + 3 < len(body) + 1 and body[i + 1 : i + 4].isdigit():
            out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(nxt, body[i + 1]))
            i += 2
    return decode(bytes(out))


def _strip_prefix(path: str) -> str:
    path = unquote(path)
    if path == DEV_NULL:
        return path
    return RE_PATCH_FILE_PREFIX.sub("", path, count=1)


def _git_header_paths(rest: str) -> tuple[str, str]:
    """Paths from `diff --git a/X b/Y`; unquoted names with spaces are split where both halves agree."""
    if rest.startswith('"') or rest.endswith('"'):
        match = RE_DIFF_GIT_HEADER.match("diff --git " + rest)
        if match:
            return _strip_prefix(match["source"]), _strip_prefix(match["target"])
    half = (len(rest) - 1) // 2
    old, new = rest[:half], rest[half + 1 :]
    if old[2:] == new[2:]:
        return _strip_prefix(old), _strip_prefix(new)
    match = RE_DIFF_GIT_HEADER.match("diff --git " + rest)
    if match:
        return _strip_prefix(match["source"]), _strip_prefix(match["target"])
    old, _, new = rest.partition(" b/")
    return _strip_prefix(old), new


class _File:
    """The mutable state of the file being parsed; frozen into a FileChange when it ends."""

    def __init__(self, old_path: str, new_path: str, git: bool, keep_bytes: int) -> None:
        self.keep_bytes = keep_bytes
        self.old_path = old_path
        self.new_path = new_path
        self.git = git
        self.status = Status.MODIFIED
        self.old_mode = ""
        self.new_mode = ""
        self.binary = False
        self.similarity: int | None = None
        self.added = 0
        self.removed = 0
        self.hunks: list[Hunk] = []
        self.lines: list[Line] = []
        self.kept = 0
        self.dropped = 0
        self.symbols: dict[str, None] = {}
        self.seen_hunk = False

    def keep(self, kind: str, number: int, raw: bytes) -> None:
        if self.kept + len(raw) > self.keep_bytes:
            self.dropped += 1
            return
        self.kept += len(raw)
        self.lines.append(Line(kind, number, decode(raw)))

    def freeze(self) -> FileChange:
        old, new = self.old_path, self.new_path
        status = self.status
        if old == DEV_NULL:
            status, old = Status.ADDED, new
        elif new == DEV_NULL:
            status, new = Status.DELETED, old
        return FileChange(
            path=new,
            old_path=old,
            status=status,
            added=self.added,
            removed=self.removed,
            old_mode=self.old_mode,
            new_mode=self.new_mode,
            binary=self.binary,
            similarity=self.similarity,
            hunks=tuple(self.hunks),
            lines=tuple(self.lines),
            symbols=tuple(self.symbols),
            lines_dropped=self.dropped,
        )


class _HunkState:
    __slots__ = ("old_left", "new_left", "old_no", "new_no", "enclosing")

    def __init__(self, old_start: int, old_count: int, new_start: int, new_count: int) -> None:
        self.old_left = old_count
        self.new_left = new_count
        self.old_no = old_start
        self.new_no = new_start
        self.enclosing = ""  # the definition the next changed line sits in


def parse(lines: Iterable[bytes], keep_bytes: int = KEEP_BYTES) -> Iterator[FileChange]:
    """Yield each file of a unified diff. Raises GuardError on a malformed patch."""
    current: _File | None = None
    hunk: _HunkState | None = None
    skipping_binary = False
    pending_source: str | None = None
    saw_any = False
    number = 0

    for number, raw in enumerate(lines, 1):
        if raw.endswith(b"\n"):
            raw = raw[:-1]

        if hunk is not None:
            first = raw[:1]
            if first == b"+" and hunk.new_left:
                current.added += 1  # type: ignore[union-attr]
                current.keep("+", hunk.new_no, raw[1:])  # type: ignore[union-attr]
                _note_change(current, hunk, raw[1:])  # type: ignore[arg-type]
                hunk.new_no += 1
                hunk.new_left -= 1
            elif first == b"-" and hunk.old_left:
                current.removed += 1  # type: ignore[union-attr]
                current.keep("-", hunk.old_no, raw[1:])  # type: ignore[union-attr]
                _note_change(current, hunk, raw[1:])  # type: ignore[arg-type]
                hunk.old_no += 1
                hunk.old_left -= 1
            elif (first == b" " or raw == b"") and hunk.old_left and hunk.new_left:
                text = raw[1:]
                current.keep(" ", hunk.new_no, text)  # type: ignore[union-attr]
                name = definition(decode(text))
                if name:
                    hunk.enclosing = name
                hunk.old_no += 1
                hunk.new_no += 1
                hunk.old_left -= 1
                hunk.new_left -= 1
            elif first == b"\\":
                continue
            else:
                raise GuardError(
                    f"malformed patch: line {number} does not fit the hunk it is in "
                    f"({_name(current)})",
                    "check that the patch is complete and was not edited by hand",
                )
            if not hunk.old_left and not hunk.new_left:
                hunk = None
            continue

        if raw.startswith(b"diff --git "):
            if current is not None:
                yield current.freeze()
            rest = decode(raw[len(b"diff --git ") :])
            old, new = _git_header_paths(rest)
            current = _File(old, new, git=True, keep_bytes=keep_bytes)
            skipping_binary = False
            pending_source = None
            saw_any = True
            continue
        if raw.startswith((b"diff --cc ", b"diff --combined ")):
            raise GuardError(
                f"line {number} is a combined (merge) diff, which guard does not judge",
                "give the merge as a single commit (guard diff SHA judges it against its first parent)",
            )
        if skipping_binary:
            continue
        if raw.startswith(b"@@ "):
            if current is None:
                raise GuardError(
                    f"malformed patch: line {number} starts a hunk before any file header",
                    "give a unified diff such as the output of `git diff`",
                )
            match = RE_HUNK_HEADER.match(decode(raw))
            if not match:
                raise GuardError(
                    f"malformed patch: line {number} is not a valid hunk header",
                    "check that the patch is complete and was not edited by hand",
                )
            old_start, old_count, new_start, new_count = (
                int(match[1]),
                int(match[2] or 1),
                int(match[3]),
                int(match[4] or 1),
            )
            current.seen_hunk = True
            current.hunks.append(Hunk(old_start, old_count, new_start, new_count, match[5].strip()))
            hunk = _HunkState(old_start, old_count, new_start, new_count)
            hunk.enclosing = definition(match[5])
            if not old_count and not new_count:
                hunk = None
            continue
        if raw.startswith(b"--- ") and (current is None or not current.git or not current.seen_hunk):
            source = RE_SOURCE_FILENAME.match(decode(raw))
            if current is not None and current.git and not current.seen_hunk:
                current.old_path = _strip_prefix(source["filename"]) if source else current.old_path
            else:
                pending_source = _strip_prefix(source["filename"]) if source else ""
            continue
        if raw.startswith(b"+++ "):
            target = RE_TARGET_FILENAME.match(decode(raw))
            path = _strip_prefix(target["filename"]) if target else ""
            if pending_source is not None:
                if current is not None:
                    yield current.freeze()
                current = _File(pending_source, path, git=False, keep_bytes=keep_bytes)
                pending_source = None
                saw_any = True
            elif current is not None and not current.seen_hunk:
                current.new_path = path
            continue
        if current is None or current.seen_hunk:
            continue  # preamble (a commit message) or trailer (a format-patch signature)
        _extended_header(current, decode(raw))
        if current.binary and raw.startswith(b"GIT binary patch"):
            skipping_binary = True

    if hunk is not None:
        raise GuardError(
            f"malformed patch: it ends in the middle of a hunk in {_name(current)}",
            "the patch is truncated; produce it again",
        )
    if current is not None:
        yield current.freeze()
    elif number and not saw_any:
        raise GuardError(
            "the input is not a unified diff (no file headers found)",
            "give the output of `git diff` or `diff -u`",
        )


def _name(current: _File | None) -> str:
    if current is None:
        return "?"
    return current.new_path if current.new_path != DEV_NULL else current.old_path


def _note_change(current: _File, hunk: _HunkState, text: bytes) -> None:
    """Record the symbol a changed line touches: the one it defines, or the one it sits in."""
    name = definition(decode(text))
    if name:
        current.symbols[name] = None
        hunk.enclosing = name
    elif hunk.enclosing:
        current.symbols[hunk.enclosing] = None


def _extended_header(current: _File, line: str) -> None:
    key, _, value = line.partition(" ")
    if line.startswith("new file mode "):
        current.status = Status.ADDED
        current.new_mode = line.rsplit(" ", 1)[1]
        current.old_path = DEV_NULL
    elif line.startswith("deleted file mode "):
        current.status = Status.DELETED
        current.old_mode = line.rsplit(" ", 1)[1]
        current.new_path = DEV_NULL
    elif key == "old" and value.startswith("mode "):
        current.old_mode = value[5:]
    elif key == "new" and value.startswith("mode "):
        current.new_mode = value[5:]
    elif line.startswith("rename from "):
        current.status = Status.RENAMED
        current.old_path = unquote(line[len("rename from ") :])
    elif line.startswith("rename to "):
        current.status = Status.RENAMED
        current.new_path = unquote(line[len("rename to ") :])
    elif line.startswith("copy from "):
        current.status = Status.COPIED
        current.old_path = unquote(line[len("copy from ") :])
    elif line.startswith("copy to "):
        current.status = Status.COPIED
        current.new_path = unquote(line[len("copy to ") :])
    elif line.startswith("similarity index "):
        current.similarity = int(line[len("similarity index ") :].rstrip("%") or 0)
    elif key == "index":
        parts = value.split(" ")
        if len(parts) == 2 and not current.old_mode and not current.new_mode:
            current.old_mode = current.new_mode = parts[1]
    elif line.startswith("Binary files ") or line.startswith("GIT binary patch"):
        current.binary = True

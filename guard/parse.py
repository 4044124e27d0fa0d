"""A streaming parser for unified diffs, git's extended format included.

It reads bytes (lines end at `\\n` only, so a bare `\\r` stays content), yields one
`FileChange` per file as soon as the file ends, and keeps exact counts for every line while
holding at most `keep_bytes` of raw hunk text per file (decoded only when a rule reads it).
The lines every file has (`@@`, `---`, `+++`) are read with plain string operations; git's
quoted or ambiguous `diff --git` names use unidiff's grammar for that line, held here (a test
pins it to unidiff's): importing unidiff compiled its sixteen regexes, a tenth of a small hook
run, and a guard run without it failed on the first renamed file. unidiff's `PatchSet` holds
the whole patch as objects; the tests use it as the oracle for the counts. Hunk bodies are the
bulk of a 25 MB diff, so they are counted a run of lines at a time with `bytes.count`, not line
by line in Python.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from guard.errors import GuardError
from guard.model import FileChange, Hunk, Status
from guard.symbols import symbols_in

KEEP_BYTES = 4 << 20
CHUNK = 1 << 20
# Symbols name a change in its summary; past this much hunk text in one diff they add
# nothing a reader could use, and finding them is the costliest step of a huge diff.
SYMBOL_SCAN_BYTES = 2 << 20
# How much of a file's first hunk is read for a code generator's mark, when it starts at the
# top of the file (guard/generated.py): a file's first lines, however large the file.
HEAD_BYTES = 1024
DEV_NULL = "/dev/null"
_PREFIXES = frozenset("abciow12")  # a/ b/, mnemonic c/ i/ o/ w/, and --no-index's 1/ 2/
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
        octal = body[i + 1 : i + 4]
        if len(octal) == 3 and all(48 <= b <= 55 for b in octal):
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
    return path[2:] if path[1:2] == "/" and path[:1] in _PREFIXES else path


def _git_header_paths(rest: str) -> tuple[str, str]:
    """Paths from `diff --git a/X b/Y`; unquoted names with spaces are split where both halves agree."""
    if rest.startswith('"') or rest.endswith('"'):
        match = GIT_HEADER.match("diff --git " + rest)
        if match:
            return _strip_prefix(match["source"]), _strip_prefix(match["target"])
    half = (len(rest) - 1) // 2
    old, new = rest[:half], rest[half + 1 :]
    if old[2:] == new[2:]:
        return _strip_prefix(old), _strip_prefix(new)
    match = GIT_HEADER.match("diff --git " + rest)
    if match:
        return _strip_prefix(match["source"]), _strip_prefix(match["target"])
    old, _, new = rest.partition(" b/")
    return _strip_prefix(old), new


# unidiff.constants.RE_DIFF_GIT_HEADER (tests/test_parse_properties.py checks it is the same).
GIT_HEADER = re.compile(r'^diff --git (?P<source>"?a/[^\t\n]+"?) (?P<target>"?b/[^\t\n]+"?)')


_HUNK_HEADER = re.compile(rb"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)", re.S)


def _hunk_header(line: bytes) -> tuple[int, int, int, int, str] | None:
    """`@@ -a[,b] +c[,d] @@ section` → (a, b, c, d, section); None when malformed."""
    match = _HUNK_HEADER.fullmatch(line)
    if match is None:
        return None
    old_start, old_count, new_start, new_count, section = match.groups()
    return (int(old_start), int(old_count or 1), int(new_start), int(new_count or 1),
            decode(section).strip())


def _file_name(line: str) -> str:
    """The name in a `--- NAME[\tTIMESTAMP]` or `+++ ...` line, unquoted, prefix dropped."""
    return _strip_prefix(line[4:].split("\t", 1)[0].rstrip("\r"))


class _File:
    """The file being parsed: header facts, exact counts, and the kept hunk text."""

    def __init__(self, old_path: str, new_path: str, git: bool) -> None:
        self.old_path = old_path
        self.new_path = new_path
        self.git = git
        self.status = Status.MODIFIED
        self.old_mode = ""
        self.new_mode = ""
        self.binary = False
        self.similarity: int | None = None
        self.hunks: list[Hunk] = []
        self.added = self.removed = self.kept = self.dropped = 0
        self.body: list[bytes] = []

    def keep(self, text: bytes, lines: int, keep_bytes: int) -> None:
        if self.kept + len(text) <= keep_bytes:
            self.kept += len(text)
            self.body.append(text)
        else:
            self.dropped += lines

    def freeze(self, symbol_budget: int) -> FileChange:
        old, new = self.old_path, self.new_path
        status = self.status
        if old == DEV_NULL:
            status, old = Status.ADDED, new
        elif new == DEV_NULL:
            status, new = Status.DELETED, old
        body = b"".join(self.body)
        generated = False
        if self.hunks and (self.hunks[0].new_start == 1 or status is Status.DELETED):
            start = body.find(b"\n") + 1  # past the first hunk's "@@" line
            head = body[start:start + HEAD_BYTES]
            # Two scans in C of one kilobyte: nearly no file has the word in its first lines,
            # and only one that has is read line by line (nor is the reader imported before).
            if b"enerated" in head or b"ENERATED" in head:
                from guard.generated import says_generated

                generated = says_generated(head, b"+" if status is Status.DELETED else b"-")
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
            body=body,
            symbols=symbols_in(body[:symbol_budget]) if symbol_budget > 0 else (),
            lines_dropped=self.dropped,
            says_generated=generated,
        )


# The rest of a changed file's header in git's own output, when its names need no quoting.
_PLAIN_HEADER = re.compile(rb"index [0-9a-f]+\.\.[0-9a-f]+(?: ([0-7]{6}))?\n--- a/([^\n\t\"]*)\n\+\+\+ b/([^\n\t\"]*)\n")


def _plain_header(reader: _Reader, current: _File) -> None:
    """Read the index, --- and +++ lines of a changed file at once, if that is what follows
    and they name the file `diff --git` named: three lines a file that the main loop would
    otherwise read and test one at a time. Anything else is left to it."""
    match = _PLAIN_HEADER.match(reader.buf, reader.pos)
    if match is None or decode(match[2]) != current.old_path or decode(match[3]) != current.new_path:
        return
    if match[1]:
        current.old_mode = current.new_mode = match[1].decode()
    reader.pos = match.end()
    reader.number += 3


def _malformed(problem: str, fix: str = "check that the patch is complete and was not edited by hand") -> GuardError:
    return GuardError(f"malformed patch: {problem}", fix)


class _Reader:
    """Buffered reading in large blocks: lines one at a time for headers, and whole runs of
    hunk body at once, so that counting a 25 MB diff happens in C (`bytes.count`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.number = 0  # lines consumed, for error messages
        self.run_start = 0  # where the last body run began in `buf`

    def fill(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(CHUNK)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + data
        self.pos = 0
        return True

    def readline(self) -> bytes | None:
        """The next line without its `\\n`; None at the end."""
        while True:
            end = self.buf.find(b"\n", self.pos)
            if end != -1:
                line = self.buf[self.pos:end]
                self.pos = end + 1
                self.number += 1
                return line
            if not self.fill():
                if self.pos < len(self.buf):
                    line = self.buf[self.pos:]
                    self.pos = len(self.buf)
                    self.number += 1
                    return line
                return None

    def at_boundary(self) -> bool:
        """At a header, or at the end of the input: where a hunk's last run stops."""
        return self.buf.startswith((b"@@ ", b"diff "), self.pos) or (self.eof and self.pos >= len(self.buf))

    def body_run(self) -> bytes:
        """Complete lines from here up to the next line that starts a hunk or a file (git's
        own headers) or that no hunk line starts with, or to the end of the buffer; so only
        the first line of a run can be odd, and _count need not look for odd lines itself.
        Empty only at the end of input."""
        while True:
            buf, pos = self.buf, self.pos
            if buf.startswith((b"@@ ", b"diff "), pos):
                return b""
            header = _BREAK.search(buf, pos)
            if header:
                end = header.start() + 1
            else:
                end = buf.rfind(b"\n", pos) + 1
                if end == 0 or (end < len(buf) and not self.eof and len(buf) - pos < CHUNK):
                    if self.fill():
                        continue
                    if self.pos < len(self.buf):  # a last line without a newline
                        self.run_start = self.pos
                        run = self.buf[self.pos:] + b"\n"
                        self.pos = len(self.buf)
                        self.number += 1
                        return run
                    if end == 0:
                        return b""
            run = buf[pos:end]
            self.run_start, self.pos = pos, end
            return run


# Where a run of hunk lines ends: a header, or a line no hunk line starts like (an empty line
# is a context line whose space an editor stripped). One pass finds both.
_BREAK = re.compile(rb"\n(?:@@ |diff |[^-+ \\\n])")


def _count(run: bytes, rest: tuple[int, int] | None = None) -> tuple[int, int, int, int] | None:
    """(added, removed, context, lines) in a run from body_run, or None when its first line
    starts with something no hunk line does. Three passes in C; each pass costs, so no more.

    `rest` is (old, new) lines left in a hunk of git's own output when the run stops at a
    header or the end, so it should hold exactly the rest of the hunk: the header's counts
    then give the removed lines without a pass of their own, if the numbers close on the old
    side too. Otherwise, and for any patch from elsewhere, they are counted."""
    if run[:1] not in b"-+ \\\n":
        return None
    first = run[:1]
    lines = run.count(b"\n")
    plus = run.count(b"\n+") + (first == b"+")
    marker = run.count(b"\n\\") + (first == b"\\") if b"\\" in run else 0
    if rest is not None:
        old_left, new_left = rest
        context = new_left - plus
        minus = lines - marker - plus - context
        if context >= 0 and minus >= 0 and minus + context == old_left:
            return plus, minus, context, lines
    minus = run.count(b"\n-") + (first == b"-")
    return plus, minus, lines - plus - minus - marker, lines


def _consume_hunk(reader: _Reader, current: _File, old_left: int, new_left: int, keep_bytes: int,
                  trusted: bool) -> None:
    """Count and keep one hunk's body: whole runs at a time while the counts allow, line by
    line where a run holds more than the hunk (a patch file's trailer, a malformed hunk)."""
    while old_left or new_left:
        start_number = reader.number
        run = reader.body_run()
        if not run:
            raise _malformed(f"{_name(current)} ends before its hunk does",
                             "the patch is truncated; produce it again")
        counts = _count(run, (old_left, new_left) if trusted and reader.at_boundary() else None)
        if counts is not None and counts[0] + counts[2] <= new_left and counts[1] + counts[2] <= old_left:
            plus, minus, context, lines = counts
            old_left -= minus + context
            new_left -= plus + context
            current.added += plus
            current.removed += minus
            reader.number += lines
            current.keep(run, lines, keep_bytes)
            if (old_left or new_left) and reader.buf.startswith((b"@@ ", b"diff "), reader.pos):
                raise _malformed(f"a hunk in {_name(current)} has fewer lines than its header says "
                                 f"(line {reader.number})")
            continue
        reader.pos, reader.number = reader.run_start, start_number  # go line by line instead
        while old_left or new_left:
            raw = reader.readline()
            if raw is None:
                raise _malformed(f"{_name(current)} ends before its hunk does",
                                 "the patch is truncated; produce it again")
            first = raw[0] if raw else 32
            if first == 43 and new_left:
                new_left -= 1
                current.added += 1
            elif first == 45 and old_left:
                old_left -= 1
                current.removed += 1
            elif first == 32 and old_left and new_left:
                old_left -= 1
                new_left -= 1
            elif first == 92:
                continue
            else:
                raise _malformed(f"line {reader.number} does not fit the hunk it is in ({_name(current)})")
            current.keep(raw + b"\n", 1, keep_bytes)


def parse(stream: BinaryIO, keep_bytes: int = KEEP_BYTES, expect_diff: bool = True,
          trusted: bool = False) -> Iterator[FileChange]:
    """Yield each file of a unified diff read from a binary stream. Raises GuardError on a
    malformed patch, and on text with no diff in it unless `expect_diff` is False (a commit's
    section of `git log -p` may be only its message). `trusted` is for git's own output, whose
    hunks agree with their headers: their counts take one pass fewer over the text. A patch
    from anywhere else gets every check."""
    reader = _Reader(stream)
    current: _File | None = None
    symbol_budget = SYMBOL_SCAN_BYTES
    skipping_binary = False
    pending_source: str | None = None
    seen_hunk = False

    while (raw := reader.readline()) is not None:
        if raw[:1] == b"\\":
            continue  # "\ No newline at end of file" after the last line of a hunk
        if raw.startswith(b"diff --git "):
            if current is not None:
                yield current.freeze(symbol_budget)
                symbol_budget -= current.kept
            current = _File(*_git_header_paths(decode(raw[11:])), git=True)
            skipping_binary = seen_hunk = False
            pending_source = None
            if trusted:
                _plain_header(reader, current)
            continue
        if raw.startswith((b"diff --cc ", b"diff --combined ")):
            raise GuardError(
                f"line {reader.number} is a combined (merge) diff, which guard does not judge",
                "give the merge as a single commit (guard diff SHA judges it against its first parent)",
            )
        if skipping_binary:
            continue
        if raw.startswith(b"@@ "):
            if current is None:
                raise _malformed(f"line {reader.number} starts a hunk before any file header",
                                 "give a unified diff such as the output of `git diff`")
            header = _hunk_header(raw)
            if header is None:
                raise _malformed(f"line {reader.number} is not a valid hunk header")
            old_start, old_count, new_start, new_count, section = header
            current.hunks.append(Hunk(old_start, old_count, new_start, new_count, section))
            seen_hunk = True
            current.keep(raw + b"\n", 0, keep_bytes)
            _consume_hunk(reader, current, old_count, new_count, keep_bytes, trusted)
            continue
        if raw.startswith(b"--- ") and (current is None or not current.git or not seen_hunk):
            path = _file_name(decode(raw))
            if current is not None and current.git and not seen_hunk:
                current.old_path = path or current.old_path
            else:
                pending_source = path
            continue
        if raw.startswith(b"+++ "):
            path = _file_name(decode(raw))
            if pending_source is not None:
                if current is not None:
                    yield current.freeze(symbol_budget)
                    symbol_budget -= current.kept
                current = _File(pending_source, path, git=False)
                seen_hunk = False
                pending_source = None
            elif current is not None and not seen_hunk:
                current.new_path = path
            continue
        if current is None or seen_hunk:
            continue  # preamble (a commit message) or trailer (a format-patch signature)
        _extended_header(current, decode(raw))
        if raw.startswith(b"GIT binary patch"):
            skipping_binary = True

    if current is not None:
        yield current.freeze(symbol_budget)
    elif reader.number and expect_diff:
        raise GuardError("the input is not a unified diff (no file headers found)",
                         "give the output of `git diff` or `diff -u`")


def _name(current: _File | None) -> str:
    if current is None:
        return "?"
    return current.new_path if current.new_path != DEV_NULL else current.old_path


def _extended_header(current: _File, line: str) -> None:
    key, _, value = line.partition(" ")
    if key == "index":  # the one every file has: first
        parts = value.split(" ")
        if len(parts) == 2 and not current.old_mode and not current.new_mode:
            current.old_mode = current.new_mode = parts[1]
    elif line.startswith("new file mode "):
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
    elif line.startswith("Binary files ") or line.startswith("GIT binary patch"):
        current.binary = True

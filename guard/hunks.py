"""Decoding a FileChange's kept hunk text into numbered lines, only when a rule asks."""

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from guard.model import Line

_HEADER = re.compile(rb"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,(\d+))?")


@lru_cache(maxsize=8)
def lines_of(body: bytes) -> tuple[Line, ...]:
    """Every kept +, - and context line; `number` is in the new file for + and context lines,
    in the old file for - lines, whose `at` is the new file's line they were removed before
    (the hunk's last, at the end; 0 when the file is gone). Undecodable bytes survive as
    surrogate escapes."""
    out: list[Line] = []
    old_no = new_no = new_last = 0
    for raw in body.split(b"\n")[:-1]:
        first = raw[:1]
        if first == b"\\":
            continue  # "\ No newline at end of file"
        if first == b"@":
            match = _HEADER.match(raw)
            if match:
                old_no, new_no = int(match[1]), int(match[2])
                # A hunk of no new lines starts after its new_start (0: nothing is left).
                new_last = new_no + int(match[3] or 1) - 1 if match[3] != b"0" else new_no
            continue
        text = raw[1:].decode("utf-8", "surrogateescape")
        if first == b"+":
            out.append(Line("+", new_no, text))
            new_no += 1
        elif first == b"-":
            out.append(Line("-", old_no, text, min(new_no, new_last)))
            old_no += 1
        else:
            out.append(Line(" ", new_no, text))
            old_no += 1
            new_no += 1
    return tuple(out)


_ADDED = re.compile(rb"\n\+[^\n]*")


@lru_cache(maxsize=4)
def added_bytes(body: bytes) -> bytes:
    """Only the added lines of a hunk text, raw: what "is something new here?" gates scan.
    Starting the pattern with a literal newline keeps the scan at memchr speed."""
    return b"\n".join(match[1:] for match in _ADDED.findall(b"\n" + body))


class Joined(NamedTuple):
    """Lines joined into one text, so a rule's patterns run once over all of them; `index`
    maps an offset in `text` back to the line it falls in."""

    text: str
    starts: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def joined(lines: Sequence[Line]) -> Joined:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1
    return Joined("\n".join(line.text for line in lines), tuple(starts))


def normalized(text: str) -> str:
    """A line's text with its runs of whitespace made one space: what moving it may change."""
    return " ".join(text.split())


def new_lines(added: Sequence[Line], removed: Sequence[Line], indexes: Iterable[int]) -> Iterator[int]:
    """Those of `indexes` (into `added`), in order, whose line is new rather than moved: a
    line a removed line matches, whitespace aside, only moved, once per removed copy."""
    gone = Counter(normalized(line.text) for line in removed)
    for index in sorted(indexes):
        key = normalized(added[index].text)
        if gone[key]:
            gone[key] -= 1
            continue
        yield index

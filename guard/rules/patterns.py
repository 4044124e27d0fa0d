"""Regexes compiled on first use. The rule modules hold some two hundred patterns; compiling
them all at import cost a small hook run about 35 ms, while a typical change needs few of them
(the migration patterns only when a migration is in the diff)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from guard.hunks import added_bytes


class Lazy:
    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[Any] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search_bytes(self, data: bytes) -> re.Match[bytes] | None:
        """For a pattern given as bytes: search raw diff text without decoding it."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled.search(data)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.compiled.search(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text)


def lazy(pattern: str | bytes, flags: int = 0) -> Lazy:
    return Lazy(pattern, flags)


class Gate:
    """Could a file's hunk text hold what a rule looks for? A prefilter of literal byte strings,
    each a substring every real match must contain. A false "maybe" only means the rule decodes
    the lines and its real patterns decide.

    All case-sensitive gates share one scan per file (`_present`): which of every gate's
    literals occur in the hunk text, and which in its added lines. Each gate then only looks up
    its own. Case-insensitive gates test their few literals directly on lowered text."""

    __slots__ = ("_ids", "_literals", "ignore_case")

    def __init__(self, literals: tuple[bytes, ...], ignore_case: bool = False) -> None:
        self.ignore_case = ignore_case
        self._literals = tuple(lit.lower() for lit in literals) if ignore_case else literals
        self._ids = frozenset() if ignore_case else frozenset(_register(literals))

    def found(self, data: bytes) -> bool:
        """In any text (a path, a message, a file's head)."""
        if self.ignore_case:
            data = data.lower()
        return any(literal in data for literal in self._literals)

    def in_added(self, body: bytes) -> bool:
        """In the added lines of a file's hunk text."""
        if self.ignore_case:
            return self.found(added_bytes(body))
        return not self._ids.isdisjoint(_present(body, len(_LITERALS)).added)

    def in_body(self, body: bytes) -> bool:
        """Anywhere in a file's hunk text: added, removed or context lines."""
        if self.ignore_case:
            return self.found(body)
        return not self._ids.isdisjoint(_present(body, len(_LITERALS)).anywhere)


_LITERALS: dict[bytes, int] = {}  # every case-sensitive gate literal, numbered


def _register(literals: tuple[bytes, ...]) -> list[int]:
    return [_LITERALS.setdefault(literal, len(_LITERALS)) for literal in literals]


class Present(NamedTuple):
    anywhere: frozenset[int]
    added: frozenset[int]


# The automaton scans any text faster than `in` per literal, but importing and building it
# costs about a millisecond: a small hook run scans its few kilobytes directly.
_DIRECT_BUDGET = 1 << 16
_scanned = [0]


_last: tuple[bytes, int, Present] = (b"", -1, Present(frozenset(), frozenset()))


def _present(body: bytes, registered: int) -> Present:
    """Which registered literals occur in `body`. The gates ask about one file after another,
    so the last answer is kept, found by identity (hashing the text would read it all again);
    `registered` counts the literals known, so a gate made later is never answered without
    its own."""
    global _last
    if _last[0] is body and _last[1] == registered:
        return _last[2]
    _scanned[0] += len(body)
    found = present_directly(body) if _scanned[0] < _DIRECT_BUDGET else present_by_automaton(body)
    _last = (body, registered, found)
    return found


def present_directly(body: bytes) -> Present:
    added = added_bytes(body)
    return Present(frozenset(i for literal, i in _LITERALS.items() if literal in body),
                   frozenset(i for literal, i in _LITERALS.items() if literal in added))


def present_by_automaton(body: bytes) -> Present:
    """One pass over the text for all literals at once (Aho-Corasick in Rust): on a 25 MB diff
    the seventy literals cost 50 ms, where `in` per literal per file cost 350 ms. Each match
    is placed on its line to tell added lines from the rest."""
    anywhere: set[int] = set()
    added: set[int] = set()
    for index, start, _ in _automaton(len(_LITERALS)).find_matches_as_indexes(body, overlapping=True):
        anywhere.add(index)
        if index not in added and body[body.rfind(b"\n", 0, start) + 1] == 43:  # "+"
            added.add(index)
    return Present(frozenset(anywhere), frozenset(added))


@lru_cache(maxsize=1)
def _automaton(registered: int) -> Any:
    from ahocorasick_rs import BytesAhoCorasick, Implementation

    # The DFA searches fastest; with some seventy literals it is built in half a millisecond.
    return BytesAhoCorasick(list(_LITERALS), implementation=Implementation.DFA)

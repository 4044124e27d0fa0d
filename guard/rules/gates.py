"""Could a file's hunk text hold what a rule looks for? A gate is a prefilter of literal byte
strings, each a substring every real match must contain; a file that holds none of a rule's
literals is never decoded for it. A false "maybe" only means the rule reads the lines and its
real patterns decide.

All case-sensitive gates share one scan per file: which of every gate's literals occur in the
hunk text, and which in its added lines. Each gate then only looks up its own."""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from guard.hunks import added_bytes
from guard.model import FileChange


class Gate:
    __slots__ = ("_ids", "_literals", "ignore_case")

    def __init__(self, literals: tuple[bytes, ...], ignore_case: bool = False) -> None:
        # Case-insensitive gates test their few literals directly, on lowered text.
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
        return not self._ids.isdisjoint(_present(body).added)

    def in_body(self, body: bytes) -> bool:
        """Anywhere in a file's hunk text: added, removed or context lines."""
        if self.ignore_case:
            return self.found(body)
        return not self._ids.isdisjoint(_present(body).anywhere)


_LITERALS: dict[bytes, int] = {}  # every case-sensitive gate literal, numbered


def _register(literals: tuple[bytes, ...]) -> list[int]:
    assert not any(b"\n" in literal for literal in literals), "gates search within a line"
    return [_LITERALS.setdefault(literal, len(_LITERALS)) for literal in literals]


class Present(NamedTuple):
    anywhere: frozenset[int]
    added: frozenset[int]


NOTHING = Present(frozenset(), frozenset())

# The automaton scans any text faster than `in` per literal, but importing and building it
# costs about a millisecond: a small hook run scans its few kilobytes directly.
_DIRECT_BUDGET = 1 << 16
_scanned = [0]
# Answers worked out ahead by scan_ahead, by the identity of the text (hashing it would read
# it all again), with the number of literals they were made with: a gate made later is never
# answered without its own. The last answer is kept too: a file's gates ask one after another.
_ahead: dict[int, tuple[bytes, int, Present]] = {}
_last: tuple[bytes, int, Present] = (b"", -1, NOTHING)


def _present(body: bytes) -> Present:
    global _last
    registered = len(_LITERALS)
    if _last[0] is body and _last[1] == registered:
        return _last[2]
    known = _ahead.get(id(body))
    if known is not None and known[0] is body and known[1] == registered:
        found = known[2]
    else:
        _scanned[0] += len(body)
        found = present_directly(body) if _scanned[0] < _DIRECT_BUDGET else present_by_automaton([body])[0]
    _last = (body, registered, found)
    return found


def present_directly(body: bytes) -> Present:
    added = added_bytes(body)
    return Present(frozenset(i for literal, i in _LITERALS.items() if literal in body),
                   frozenset(i for literal, i in _LITERALS.items() if literal in added))


def present_by_automaton(bodies: list[bytes]) -> list[Present]:
    """One pass over the texts for all literals at once (Aho-Corasick, in Rust): on a 25 MB
    diff the seventy literals take 50 ms, where `in` per literal per file took 350 ms. The
    texts are joined by newlines, which no literal holds; each match is placed on its line to
    tell added lines from the rest, and in its text by offset."""
    text = bodies[0] if len(bodies) == 1 else b"\n".join(bodies)
    starts, offset = [], 0
    for body in bodies:
        starts.append(offset)
        offset += len(body) + 1
    anywhere: list[set[int]] = [set() for _ in bodies]
    added: list[set[int]] = [set() for _ in bodies]
    for index, start, _ in _automaton(len(_LITERALS)).find_matches_as_indexes(text, overlapping=True):
        which = bisect.bisect_right(starts, start) - 1 if len(bodies) > 1 else 0
        anywhere[which].add(index)
        if index not in added[which] and text[text.rfind(b"\n", 0, start) + 1] == 43:  # "+"
            added[which].add(index)
    return [Present(frozenset(a), frozenset(b)) if a else NOTHING for a, b in zip(anywhere, added)]


@lru_cache(maxsize=1)
def _automaton(registered: int) -> Any:
    from ahocorasick_rs import BytesAhoCorasick, Implementation

    # The DFA searches fastest; with some seventy literals it is built in half a millisecond.
    return BytesAhoCorasick(list(_LITERALS), implementation=Implementation.DFA)


BATCH = 1 << 20


def scan_ahead(files: Iterable[FileChange]) -> Iterator[FileChange]:
    """The files, unchanged and in order, with their gates answered ahead on a large change.
    The automaton runs without the GIL, so a thread can scan while the parser (which holds it)
    reads on: files are gathered into batches of about a megabyte, and each batch is yielded
    once the next one is being scanned. Smaller runs (every hook, each commit of `guard log`)
    never start the thread: their files are scanned when a gate first asks."""
    scanner: _Scanner | None = None
    batch: list[FileChange] = []
    size = 0
    waiting: list[FileChange] | None = None
    try:
        for change in files:
            if _scanned[0] + size < _DIRECT_BUDGET:
                yield change  # scanned directly when asked
                continue
            batch.append(change)
            size += len(change.body)
            if size < BATCH:
                continue
            scanner = scanner or _Scanner()
            scanner.submit([c.body for c in batch])
            _scanned[0] += size
            if waiting is not None:
                yield from _answered(waiting, scanner.result())
            waiting, batch, size = batch, [], 0
        if waiting is not None and scanner is not None:
            yield from _answered(waiting, scanner.result())
        yield from batch  # the last, small batch: scanned when asked
    finally:
        _ahead.clear()
        if scanner is not None:
            scanner.close()


class _Scanner:
    """One thread scanning batches in the order they are given (concurrent.futures would cost
    7 ms to import, logging with it)."""

    def __init__(self) -> None:
        import queue
        import threading

        self._jobs: queue.SimpleQueue[list[bytes] | None] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[list[Present] | BaseException] = queue.SimpleQueue()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while (bodies := self._jobs.get()) is not None:
            try:
                self._results.put(present_by_automaton(bodies))
            except BaseException as error:  # noqa: BLE001 - raised again where the answer is awaited
                self._results.put(error)

    def submit(self, bodies: list[bytes]) -> None:
        self._jobs.put(bodies)

    def result(self) -> list[Present]:
        """The answer to the oldest batch not yet collected."""
        answer = self._results.get()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        self._jobs.put(None)


def _answered(files: list[FileChange], answers: list[Present]) -> Iterator[FileChange]:
    registered = len(_LITERALS)
    for change, found in zip(files, answers):
        _ahead[id(change.body)] = (change.body, registered, found)
    for change in files:
        yield change
        _ahead.pop(id(change.body), None)  # files may share a text (b"" for binaries)

"""A named group of gitignore-style patterns, matched fast. Rules check every changed path
against a few hundred patterns, and compiling them all costs more than a small hook run: exact
names and `*.suffix` patterns are plain string tests (as in globs.pattern_set), and any other
pattern is compiled only once a cheap literal test (its leading folder, or its name's fixed start and end) says it might
match."""
from __future__ import annotations

import re
from functools import cache

from guard.globs import compile_glob

_WILD = re.compile(r"[*?\[]")


def _prefilter(pattern: str) -> tuple[str, str, str]:
    """(root folder the path must start with, name start, name end); "" means no constraint."""
    body = pattern.strip("/")
    if "/" in pattern.rstrip("/"):
        first = body.split("/", 1)[0]
        return ("" if _WILD.search(first) else first, "", "")
    parts = _WILD.split(body)
    return ("", parts[0], parts[-1] if len(parts) > 1 else "")


class PathSet:
    def __init__(self, *patterns: str, _union: bool = False) -> None:
        global _last
        self.patterns = patterns
        if not _union:
            _ALL_PATTERNS.update(dict.fromkeys(patterns))
            _union_set.cache_clear()  # rebuilt, with these, when next asked
            _last = (None, False)
        self._ready = False  # patterns are sorted by shape on first use: most sets never are
        self._seen: dict[str, bool] = {}  # guard log meets the same paths commit after commit

    def matches(self, path: str) -> bool:
        return _could_match(path) and self._remembered(path)

    def _remembered(self, path: str) -> bool:
        seen = self._seen.get(path)
        if seen is None:
            if len(self._seen) >= 4096:  # bounded: a 30,000-file diff must not grow it
                self._seen.clear()
            seen = self._seen[path] = self._matches(path)
        return seen

    def _sort(self) -> None:
        names, suffixes = set(), []
        rooted: dict[str, list[str]] = {}
        named: list[tuple[str, str, str]] = []
        free: list[str] = []
        for pattern in self.patterns:
            if "/" not in pattern and not _WILD.search(pattern):
                names.add(pattern)  # like the glob: that name at any depth, file or folder
            elif "/" not in pattern and pattern.startswith("*") and not _WILD.search(pattern[1:]):
                suffixes.append(pattern[1:])
            else:
                root, start, end = _prefilter(pattern)
                if root:
                    rooted.setdefault(root, []).append(pattern)
                elif start or end:
                    named.append((start, end, pattern))
                else:
                    free.append(pattern)
        self._names = frozenset(names)
        self._suffixes = tuple(suffixes)
        self._rooted = {root: tuple(group) for root, group in rooted.items()}
        self._named = tuple(named)
        # One C-level test per path segment rules out every named pattern at once.
        self._starts = tuple(start for start, _, _ in named if start)
        self._ends = tuple(end for start, end, _ in named if not start)
        self._free = tuple(free)
        self._ready = True

    def _matches(self, path: str) -> bool:
        if not self._ready:
            self._sort()
        segments = path.split("/")
        if self._names and not self._names.isdisjoint(segments):
            return True
        if self._suffixes and segments[-1].endswith(self._suffixes):
            return True
        for pattern in self._rooted.get(segments[0], ()):
            if compile_glob(pattern)(path):
                return True
        if self._named and any((self._starts and s.startswith(self._starts))
                               or (self._ends and s.endswith(self._ends)) for s in segments):
            for start, end, pattern in self._named:
                if any(s.startswith(start) and s.endswith(end) and len(s) >= len(start) + len(end)
                       for s in segments) and compile_glob(pattern)(path):
                    return True
        return any(compile_glob(pattern)(path) for pattern in self._free)


# Most changed paths are ordinary source files that no rule's paths name. One test against the
# union of every set's patterns rules them out for all sets at once (a 3,000-file diff: one
# test per path instead of one per set, some fifty). The rules ask about the same path one
# after another, so the last answer is kept at hand.
_ALL_PATTERNS: dict[str, None] = {}
_last: tuple[str | None, bool] = (None, False)


@cache
def _union_set() -> PathSet:
    return PathSet(*_ALL_PATTERNS, _union=True)


def _could_match(path: str) -> bool:
    global _last
    if _last[0] is not path:
        _last = (path, _union_set()._remembered(path))
    return _last[1]

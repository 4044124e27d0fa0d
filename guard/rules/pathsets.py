"""A named group of gitignore-style patterns, matched fast. Rules check every changed path
against a few hundred patterns, and compiling them all costs more than a small hook run: exact
names and `*.suffix` patterns are plain string tests (as in globs.pattern_set), and any other
pattern is compiled only once a cheap literal test (its leading folder, or its name's fixed start and end) says it might
match."""
from __future__ import annotations

import re

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
    def __init__(self, *patterns: str) -> None:
        self.patterns = patterns
        names, suffixes, rest = set(), [], []
        for pattern in patterns:
            if "/" not in pattern and not _WILD.search(pattern):
                names.add(pattern)  # like the glob: that name at any depth, file or folder
            elif "/" not in pattern and pattern.startswith("*") and not _WILD.search(pattern[1:]):
                suffixes.append(pattern[1:])
            else:
                rest.append((_prefilter(pattern), pattern))
        self._names = frozenset(names)
        self._suffixes = tuple(suffixes)
        self._rest = tuple(rest)

    def matches(self, path: str) -> bool:
        segments = path.split("/")
        if self._names and not self._names.isdisjoint(segments):
            return True
        if self._suffixes and segments[-1].endswith(self._suffixes):
            return True
        for (root, start, end), pattern in self._rest:
            if root and segments[0] != root:
                continue
            if (start or end) and not any(s.startswith(start) and s.endswith(end) and len(s) >= len(start) + len(end)
                                          for s in segments):
                continue
            if compile_glob(pattern)(path):
                return True
        return False

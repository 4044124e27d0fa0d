"""Gitignore-style path patterns, compiled to one regex each.

pathspec does this too, but importing it costs more than a whole small hook run, so the few
rules guard needs are here: `*` stays within a segment, `**` spans segments, a pattern without
a slash matches at any depth, a leading slash anchors it at the root, a trailing slash matches
everything under a directory.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

Matcher = Callable[[str], bool]
_WILD = frozenset("*?[")


@lru_cache(maxsize=None)
def compile_glob(pattern: str) -> Matcher:
    """A predicate for one pattern. The common shapes (`*.min.js`, `tests/`, `test_*.py`,
    `LICENSE`) are plain string tests: compiling ~50 default patterns as regexes cost more
    than the rest of a small hook run."""
    body = pattern.strip("/")
    if pattern.startswith("/") and not any(c in _WILD for c in body):  # anchored at the root
        under = f"{body}/"
        if pattern.endswith("/"):
            return lambda path: path.startswith(under)
        return lambda path: path == body or path.startswith(under)
    if "/" not in body and not pattern.startswith("/"):
        wild = [c for c in body if c in _WILD]
        if pattern.endswith("/") and not wild:
            needle = f"/{body}/"
            return lambda path: needle in f"/{path}"
        if not wild:
            return lambda path: body in path.split("/")
        if wild == ["*"] and "*" in body:
            head, _, tail = body.partition("*")
            if not pattern.endswith("/"):
                return lambda path: _basename_has(path, head, tail)
    regex = _regex(pattern)
    return lambda path: regex.fullmatch(path) is not None


def _basename_has(path: str, head: str, tail: str) -> bool:
    name = path.rpartition("/")[2]
    return len(name) >= len(head) + len(tail) and name.startswith(head) and name.endswith(tail)


def _regex(pattern: str) -> re.Pattern[str]:
    anchored = "/" in pattern.rstrip("/")
    directory = pattern.endswith("/")
    body = pattern.strip("/")
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[":
            end = body.find("]", i + 1)
            if end == -1:
                out.append(re.escape(body[i]))
                i += 1
            else:
                inner = body[i + 1 : end]
                if inner.startswith("!"):
                    inner = "^" + inner[1:]
                out.append(f"[{inner}]")
                i = end + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory else "(?:/.*)?"
    return re.compile(f"{prefix}{''.join(out)}{suffix}", re.S)


def matches(path: str, pattern: str) -> bool:
    return compile_glob(pattern)(path)


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return pattern_set(tuple(patterns))(path)


@lru_cache(maxsize=None)
def pattern_set(patterns: tuple[str, ...]) -> Matcher:
    """One predicate for a group of patterns: the simple shapes become set lookups and
    `str.endswith(tuple)` calls, the rest one combined regex, compiled on first use."""
    dirs: set[str] = set()
    names: set[str] = set()
    suffixes: list[str] = []
    prefixes: list[str] = []
    framed: list[tuple[str, str]] = []
    infixes: list[str] = []
    complex_patterns: list[str] = []
    for pattern in patterns:
        body = pattern.strip("/")
        wild = [c for c in body if c in _WILD]
        if (wild == ["*", "*"] and len(body) > 2 and body[0] == body[-1] == "*" and "/" not in body
                and not pattern.endswith("/")):
            infixes.append(body[1:-1])  # `*.test.*`: any segment, file or folder, holding `.test.`
        elif "/" in body or pattern.startswith("/") or (wild and wild != ["*"]):
            complex_patterns.append(pattern)
        elif not wild:
            (dirs if pattern.endswith("/") else names).add(body)
        elif pattern.endswith("/"):
            complex_patterns.append(pattern)
        elif body.startswith("*"):
            suffixes.append(body[1:])
        elif body.endswith("*"):
            prefixes.append(body[:-1])
        else:
            head, _, tail = body.partition("*")
            framed.append((head, tail))
    suffix_tuple, prefix_tuple, infix_needles = tuple(suffixes), tuple(prefixes), tuple(infixes)
    regex = re.compile("|".join(f"(?:{_regex(p).pattern})" for p in complex_patterns), re.S) \
        if complex_patterns else None

    @lru_cache(maxsize=8192)  # guard log meets the same paths commit after commit
    def match(path: str) -> bool:
        parts = path.split("/")
        name = parts[-1]
        if suffix_tuple and name.endswith(suffix_tuple):
            return True
        if prefix_tuple and name.startswith(prefix_tuple):
            return True
        if names and not names.isdisjoint(parts):
            return True
        if dirs and len(parts) > 1 and not dirs.isdisjoint(parts[:-1]):
            return True
        for head, tail in framed:
            if len(name) >= len(head) + len(tail) and name.startswith(head) and name.endswith(tail):
                return True
        for needle in infix_needles:  # no segment holds a "/", so the whole path can be searched
            if needle in path:
                return True
        return regex is not None and regex.fullmatch(path) is not None

    return match


def specificity(pattern: str) -> tuple[int, int]:
    """How narrowly a pattern picks files: more literal segments and characters is narrower."""
    literal = re.sub(r"\*\*|\*|\?|\[[^]]*\]", "", pattern)
    return (pattern.count("/") + (0 if "**" in pattern else 1), len(literal))

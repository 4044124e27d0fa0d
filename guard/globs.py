"""Gitignore-style path patterns, compiled to one regex each.

pathspec does this too, but importing it costs more than a whole small hook run, so the few
rules guard needs are here: `*` stays within a segment, `**` spans segments, a pattern without
a slash matches at any depth, a trailing slash matches everything under a directory.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=None)
def compile_glob(pattern: str) -> re.Pattern[str]:
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
    return compile_glob(pattern).fullmatch(path) is not None


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return any(compile_glob(p).fullmatch(path) for p in patterns)


def specificity(pattern: str) -> tuple[int, int]:
    """How narrowly a pattern picks files: more literal segments and characters is narrower."""
    literal = re.sub(r"\*\*|\*|\?|\[[^]]*\]", "", pattern)
    return (pattern.count("/") + (0 if "**" in pattern else 1), len(literal))

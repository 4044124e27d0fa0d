"""Regexes compiled on first use. The rule modules hold some two hundred patterns; compiling
them all at import cost a small hook run about 35 ms, while a typical change needs few of them
(the migration patterns only when a migration is in the diff)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class Lazy:
    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def _regex(self) -> re.Pattern[Any]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    @property
    def compiled(self) -> re.Pattern[str]:
        return self._regex()

    def search_bytes(self, data: bytes) -> re.Match[bytes] | None:
        """For a pattern given as bytes: search raw diff text without decoding it."""
        return self._regex().search(data)

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

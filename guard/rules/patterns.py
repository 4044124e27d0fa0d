"""Regexes compiled on first use. The rule modules hold some two hundred patterns; compiling
them all at import cost a small hook run about 35 ms, while a typical change needs few of them
(the migration patterns only when a migration is in the diff)."""
from __future__ import annotations

import re
from collections.abc import Iterator


class Lazy:
    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.compiled.search(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)


def lazy(pattern: str, flags: int = 0) -> Lazy:
    return Lazy(pattern, flags)

"""How guard says a count and a list in its messages: `1 line`, `3 files`; `a, b, c and 2 more`."""
from __future__ import annotations

from collections.abc import Sequence


def counted(count: int, word: str) -> str:
    """`1 line`, `3 lines`: the count and the word, plural unless the count is one."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def fold(items: Sequence[str], limit: int = 4, separator: str = ", ") -> str:
    """The first `limit` items, then how many more: `a, b, c, d and 2 more`."""
    shown = separator.join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"

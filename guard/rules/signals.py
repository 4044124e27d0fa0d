"""Content signals: regexes over a file's added (or removed) lines that name a risky detail."""

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from guard.model import FileChange
from guard.rules.patterns import Lazy

Label = str | Callable[[re.Match[str]], str]


class Signal(NamedTuple):
    pattern: Lazy  # compiled on first use: most runs never look at a workflow
    label: Label
    kinds: str = "+"  # "+" added lines, "-" removed lines, "+-" either


def signal(regex: str, label: Label, kinds: str = "+") -> Signal:
    return Signal(Lazy(regex, re.I), label, kinds)


def scan(change: FileChange, signals: Iterable[Signal]) -> list[tuple[str, int]]:
    """(label, line in the new file) of each distinct detail, in file order (0: a line of a
    deleted file). A removed line that is added back (reindented, moved) removes nothing."""
    found: dict[str, int] = {}
    readded = {line.text.strip() for line in change.lines if line.kind == "+"}
    for line in change.lines:
        if line.kind == " " or (line.kind == "-" and line.text.strip() in readded):
            continue
        for sig in signals:
            if line.kind not in sig.kinds:
                continue
            match = sig.pattern.search(line.text)
            if match:
                label = sig.label(match) if callable(sig.label) else sig.label
                found.setdefault(label, line.place or 0)
    return sorted(found.items(), key=lambda item: item[1])


def first_line(found: list[tuple[str, int]]) -> int | None:
    """The line of the first thing found (0 stands for none: a line of a deleted file)."""
    return (found[0][1] or None) if found else None

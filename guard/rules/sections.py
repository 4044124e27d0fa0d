"""Where a changed line sits in a structured file: its TOML/INI table and key, its JSON
object path, or its XML element path. Lets rules tell a `[project] dependencies` edit from a
`[tool.ruff]` one, and a pom.xml's own `<version>` from a dependency's.

The new side's full text, when the command layer can read it, gives exact answers; from a bare
patch only the hunk itself is known, so the walk starts from the hunk header or "?" (unknown).
"""

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from guard.model import FileChange, Line
from guard.rules.patterns import lazy

UNKNOWN = "?"
_HEADER = lazy(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:[#;].*)?$")
_KEY = lazy(r"""^\s*([A-Za-z0-9_.\-"']+)\s*=(?!=)""")
_JSON_OPEN = lazy(r'^(\s*)"([^"]+)"\s*:\s*[\[{]\s*$')
_JSON_CLOSE = lazy(r"^(\s*)[\]}]\s*,?\s*$")

# A tag (not `<?xml`, `<!--` or `<![CDATA[`): closing, name, self-closing.
_XML_TAG = lazy(r"<(/?)([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")
_XML_COMMENT = lazy(r"<!--.*?-->")

# A state is an immutable tuple; its path is what rules match on.
TomlState = tuple[str, str]  # (table, key)
JsonState = tuple[tuple[int, str], ...]  # stack of (indent, key)
XmlState = tuple[tuple[str, ...], str]  # (open elements, the element a line opens and closes)


def _toml_step(state: TomlState, text: str) -> TomlState:
    header = _HEADER.match(text)
    if header:
        name = re.sub(r"\s*\.\s*", ".", header.group(1))
        return (name.replace('"', "").replace("'", ""), "")
    key = _KEY.match(text)
    return (state[0], key.group(1).strip("\"'")) if key else state


def _toml_path(state: TomlState) -> str:
    table, key = state
    return f"{table}.{key}" if table and key else table or key


def _json_step(state: JsonState, text: str) -> JsonState:
    opened = _JSON_OPEN.match(text)
    if opened:
        return (*state, (len(opened.group(1)), opened.group(2)))
    closed = _JSON_CLOSE.match(text)
    if closed and state:
        indent = len(closed.group(1))
        stack = list(state)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        return tuple(stack)
    return state


def _json_path(state: JsonState) -> str:
    return ".".join(key for _, key in state)


def _xml_step(state: XmlState, text: str) -> XmlState:
    """The elements open after the line, and the one it holds whole (`<version>1.2</version>`)."""
    stack, leaf = list(state[0]), ""
    opened: list[str] = []  # opened on this line and still open
    for closing, name, empty in _XML_TAG.findall(_XML_COMMENT.compiled.sub("", text)):
        if empty:
            leaf = leaf or name
        elif not closing:
            stack.append(name)
            opened.append(name)
        elif name in stack:
            if opened and opened[-1] == name:
                opened.pop()
                leaf = name  # the last one closed is the outermost
            while stack and stack.pop() != name:
                pass
    return tuple(stack), leaf


def _xml_path(state: XmlState) -> str:
    stack, leaf = state
    return ".".join((*stack, leaf) if leaf else stack)


class _Style(NamedTuple):
    step: Callable[[Any, str], Any]  # (state, line text) -> state after the line
    path: Callable[[Any], str]
    top: Any  # the state at the top of a file
    unknown: Any  # the state where a hunk starts when nothing above it is known


STYLES = {
    "toml": _Style(_toml_step, _toml_path, ("", ""), (UNKNOWN, "")),
    "json": _Style(_json_step, _json_path, (), ((-1, UNKNOWN),)),
    "xml": _Style(_xml_step, _xml_path, ((), ""), ((UNKNOWN,), "")),
}


def _hunk_lines(change: FileChange) -> Iterator[list[Line]]:
    """Split the flat line list back into hunks using each hunk's old/new counts."""
    lines = iter(change.lines)
    for hunk in change.hunks:
        old = new = 0
        group: list[Line] = []
        while old < hunk.old_count or new < hunk.new_count:
            line = next(lines, None)
            if line is None:
                break
            group.append(line)
            old += line.kind in "- "
            new += line.kind in "+ "
        yield group


def changed_paths(change: FileChange, style: str, new_text: str | None) -> list[tuple[Line, str]]:
    """Each added or removed line with the table/key path it belongs to."""
    kind = STYLES[style]
    exact: list[object] | None = None
    if new_text is not None:
        exact, state = [], kind.top
        for text in new_text.splitlines():
            state = kind.step(state, text)
            exact.append(state)
    out: list[tuple[Line, str]] = []
    for hunk, group in zip(change.hunks, _hunk_lines(change)):
        if hunk.new_start <= 1 and hunk.old_start <= 1:
            start = kind.top
        elif exact is not None and 0 < hunk.new_start - 1 <= len(exact):
            start = exact[hunk.new_start - 2]
        else:
            start = kind.step(kind.unknown, hunk.section)
        old_state = new_state = start
        for line in group:
            if line.kind == "-":
                old_state = kind.step(old_state, line.text)
                out.append((line, kind.path(old_state)))
                continue
            if exact is not None and 0 < line.number <= len(exact):
                new_state = exact[line.number - 1]
            else:
                new_state = kind.step(new_state, line.text)
            if line.kind == "+":
                out.append((line, kind.path(new_state)))
            else:
                old_state = new_state
    return out

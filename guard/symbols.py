"""Names of the functions, classes and types a line defines, across the common languages."""
from __future__ import annotations

import re

_KEYWORD_DEF = re.compile(
    r"""^[ \t]*
    (?:(?:export|default|public|private|protected|internal|static|final|abstract|async|
          override|virtual|unsafe|extern|inline|pub(?:\([^)]*\))?|local)[ \t]+)*
    (?:def|class|func|fn|function\*?|sub|module|interface|struct|trait|impl|enum|
       object|record|type|macro|defmodule|defp?)[ \t]+
    (?:\([^)]*\)[ \t]*)?                       # a Go method's receiver
    (?P<name>[A-Za-z_$][\w$.!?]*)""",
    re.X,
)
_ASSIGNED_FUNCTION = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+(?P<name>[A-Za-z_$][\w$]*)[ \t]*=[ \t]*"
    r"(?:async[ \t]+)?(?:function\b|\([^)]*\)[ \t]*=>|[A-Za-z_$][\w$]*[ \t]*=>)"
)
_C_LIKE_METHOD = re.compile(
    r"^[ \t]*(?:(?:public|private|protected|internal|static|final|override|virtual|async|"
    r"synchronized|abstract)[ \t]+)+[\w<>\[\],.? \t]*?\b(?P<name>[A-Za-z_]\w*)[ \t]*\("
)
# A cheap test that rules out most lines before any regex runs.
_CUES = ("def", "class", "func", "fn", "sub", "module", "interface", "struct", "trait", "impl",
         "enum", "object", "record", "type", "macro", "const", "let", "var", "public",
         "private", "protected", "internal", "static", "export", "async", "pub", "final",
         "abstract", "override", "virtual", "unsafe", "extern", "inline", "local", "defmodule", "defp")


def definition(text: str) -> str:
    """The name `text` defines (`def retry_with_backoff(` gives `retry_with_backoff`), or ''."""
    stripped = text.lstrip()
    if not stripped.startswith(_CUES):
        return ""
    for pattern in (_KEYWORD_DEF, _ASSIGNED_FUNCTION, _C_LIKE_METHOD):
        match = pattern.match(text)
        if match:
            return match["name"]
    return ""


def _factored(words: tuple[str, ...]) -> bytes:
    """`d(?:ef|efp)|c(?:lass|onst)|...`: grouped by first letter, re tries far fewer branches."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{head}(?:{'|'.join(tails)})" for head, tails in groups.items()).encode()


_CUE_PATTERN = _factored(_CUES)
# Where a hunk starts (it resets what encloses a change), and each line that may define
# something: a hunk header's section, or a body line, starting with a cue. Each starts with a
# literal newline (the body is searched with one prepended): re then skips ahead with a fast
# character search, where `^` under re.M tries every position. The indentation is possessive
# (`*+`): a cue starts with a letter, so giving back spaces can never match.
_EVENT = re.compile(rb"\n(?:@@ [^\n]*? @@ ?(?P<section>(?:" + _CUE_PATTERN + rb")\b[^\n]*)?"
                    rb"|(?P<kind>[-+ ])[ \t]*+(?:" + _CUE_PATTERN + rb")\b[^\n]*)")
_CHANGED = re.compile(rb"\n[-+]")


SCAN_BYTES = 64 << 10
# A file's hunks name the same functions commit after commit: each line's answer is kept,
# bounded in count (a 30,000-file diff must not grow it) and in size (a minified bundle's
# lines are long, and never repeat).
_named: dict[bytes, str] = {}
_NAMED_LINES, _NAMED_LINE_BYTES = 4096, 256


def _definition(line: bytes) -> str:
    name = _named.get(line)
    if name is None:
        name = definition(line.decode("utf-8", "surrogateescape"))
        if len(line) <= _NAMED_LINE_BYTES:
            if len(_named) >= _NAMED_LINES:
                _named.clear()
            _named[line] = name
    return name


def symbols_in(body: bytes) -> tuple[str, ...]:
    """The definitions a diff's hunks touch: those on changed lines, and those whose body (up
    to the next definition or hunk) holds a changed line, found from the hunk header's section
    or the context lines. Symbols name a change in its summary, so only a file's first 64 KB
    of hunks are read."""
    if not body:
        return ()
    body = b"\n" + body[:SCAN_BYTES]
    # (start, end, name, on a changed line), in order; a hunk (name None) resets what encloses a change.
    events: list[tuple[int, int, str | None, bool]] = []
    for match in _EVENT.finditer(body):
        kind = match["kind"]
        if kind is None:
            events.append((match.start(), match.end(), None, False))
            line = match["section"]
            changed = False
        else:
            line = match.group()[2:]
            changed = kind != b" "
        name = _definition(line) if line else ""
        if name:
            events.append((match.start(), match.end(), name, changed))
    found: dict[str, None] = {}
    for index, (_, line_end, symbol, changed) in enumerate(events):
        if symbol is None:
            continue
        scope_end = events[index + 1][0] if index + 1 < len(events) else len(body)
        if changed or _CHANGED.search(body, line_end, scope_end):
            found[symbol] = None
    return tuple(found)

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
         "abstract", "override", "virtual", "unsafe", "extern", "inline", "local")


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

"""The part of each line of code that runs: comments, and Python docstrings, blanked by file type.

Not a tokenizer. A comment marker counts only outside quotes, and quotes are followed one line at
a time (a stray apostrophe keeps the rest of its own line, comment and all, and no more), except
strings made to span lines: Python's triple quotes, JavaScript's and Go's backticks. Those, block
comments and docstrings are followed from line to line within a hunk and forgotten at a gap
between hunks, where what was open is not known: the lines after a gap are read as code.

The judgement calls, each on the side of reading too much rather than too little:
- `#` starts a comment at the start of a line or after a space (`${#x}`, `$#` and a URL's
  `#fragment` do not), `//` anywhere but after a `:` (`http://`).
- In C-like files a line that starts with `* ` or `*/` ends or goes on a block comment whose `/*`
  may be above the hunk.
- A Python triple-quoted string is prose (a docstring, or a string used as a comment) when it
  starts a line at the top of the file or after a block header (`def`, `class`, `if ...:`, a
  signature's `) -> T:`). Anywhere else it may be an argument, `execute('''...''')`, and is read.

SQL scripts are not read here: `sql.statements` strips their comments, with strings kept open
across lines as SQL does.
"""

import re
from collections.abc import Iterable
from typing import NamedTuple

from guard.rules.patterns import Lazy, lazy


class Syntax(NamedTuple):
    line: tuple[str, ...]  # markers of a comment that runs to the end of the line
    block: bool = False  # /* ... */
    spanning: tuple[str, ...] = ()  # quotes whose strings may span lines
    docstrings: bool = False  # Python: a triple-quoted string after a block header is prose


_HASH = Syntax(("#",))
_PYTHON = Syntax(("#",), spanning=('"""', "'''"), docstrings=True)
_C = Syntax(("//",), block=True)
_JS = Syntax(("//",), block=True, spanning=("`",))
_SYNTAX = {
    **dict.fromkeys((".py", ".pyi", ".pyw"), _PYTHON),
    **dict.fromkeys((".rb", ".rake", ".gemspec", ".sh", ".bash", ".zsh", ".ksh", ".fish", ".yml", ".yaml",
                     ".toml", ".pl", ".pm", ".r", ".ex", ".exs", ".cr", ".ps1", ".jl", ".nim", ".tcl",
                     ".mk", ".dockerfile", ".cfg", ".conf"), _HASH),
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".go"), _JS),
    **dict.fromkeys((".java", ".kt", ".kts", ".scala", ".groovy", ".gradle", ".c", ".h", ".cc", ".cpp",
                     ".cxx", ".hpp", ".hh", ".cs", ".swift", ".rs", ".dart", ".m", ".mm", ".sol",
                     ".proto", ".zig"), _C),
    **dict.fromkeys((".php", ".tf", ".hcl"), Syntax(("//", "#"), block=True)),
    ".lua": Syntax(("--",)),
}
_NAMES = {name: _HASH for name in ("Dockerfile", "Makefile", "GNUmakefile", "Rakefile", "Gemfile", "Justfile",
                                   "justfile", "Vagrantfile", "Procfile", "Brewfile", "Containerfile")}

# A line after which a triple-quoted string that starts a line is a statement of its own (a
# docstring, or a string used as a comment): a block header, or the last line of a signature.
_HEADER = lazy(r"^\s*(?:(?:async\s+)?(?:def|class|with|for)|if|elif|else|try|except|finally|while)\b.*:\s*$"
               r"|\)\s*(?:->[^:]*)?:\s*$")
_STAR = lazy(r"\s*\*(?:\s|/|$)")
_TOKENS: dict[Syntax, Lazy] = {}
_BLOCK = "/*"
_DOC = "doc"  # state prefix: inside a docstring, which is dropped


def syntax_of(path: str) -> Syntax | None:
    """The comment syntax of a file by its name, or None where it is not known."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return _SYNTAX.get(name[dot:].lower()) if dot > 0 else _NAMES.get(name)


def code_lines(syntax: Syntax, lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Numbered lines (in order, gaps between hunks allowed) with their comments and docstrings
    removed; a line that is all comment becomes empty."""
    tokens = _TOKENS.get(syntax)
    if tokens is None:
        quotes = sorted({*syntax.spanning, '"', "'"}, key=len, reverse=True)
        markers = [*syntax.line, *((_BLOCK,) if syntax.block else ()), *quotes]
        tokens = _TOKENS[syntax] = lazy("|".join(map(re.escape, markers)))
    out: list[tuple[int, str]] = []
    state = ""  # "/*", an open spanning quote, or _DOC + the docstring's quote
    previous = 0
    docstring_may_start = True  # at the top of a file: a module docstring
    for number, text in lines:
        if number != previous + 1:
            state = ""  # a gap: what was open before it is not known
            docstring_may_start = number == 1
        previous = number
        kept: list[str] = []
        i, n = 0, len(text)
        if state:
            close = "*/" if state == _BLOCK else state.removeprefix(_DOC)
            end = text.find(close) if close == "*/" else _closing(text, close, 0)
            stop = n if end == -1 else end + len(close)
            if state in syntax.spanning:
                kept.append(text[:stop])  # the rest of a string that spans lines
            state = state if end == -1 else ""
            i = stop
        elif syntax.block and _STAR.match(text):
            # ` * ...` or ` */`: a block comment whose `/*` is above the hunk
            end = text.find("*/")
            i = n if end == -1 else end + 2
        while i < n:
            match = tokens.search(text, i)
            if match is None:
                kept.append(text[i:])
                break
            token, start = match.group(), match.start()
            if (token == "#" and start and not text[start - 1].isspace()) or (
                    token == "//" and start and text[start - 1] == ":"):
                # `${#x}`, `$#`, a URL's `#fragment` or `://`: not a comment
                kept.append(text[i : match.end()])
                i = match.end()
                continue
            kept.append(text[i:start])
            if token in syntax.line:
                break
            if token == _BLOCK:
                end = text.find("*/", match.end())
                if end == -1:
                    state = _BLOCK
                    break
                kept.append(" ")
                i = end + 2
                continue
            docstring = (syntax.docstrings and token in syntax.spanning and docstring_may_start
                         and "".join(kept).strip().lower() in ("", "r", "u"))
            if docstring:
                del kept[:]
            end = _closing(text, token, match.end())
            if end == -1:
                if docstring or token in syntax.spanning:
                    state = _DOC + token if docstring else token
                if not docstring:
                    kept.append(text[start:])  # a string that spans lines, or a stray quote
                break
            if not docstring:
                kept.append(text[start : end + len(token)])
            i = end + len(token)
        code = "".join(kept)
        if code.strip():
            docstring_may_start = bool(_HEADER.search(code))
        out.append((number, code))
    return out


def _closing(text: str, quote: str, start: int) -> int:
    """Where the string closes (its quote without an odd run of backslashes before it), or -1."""
    end = text.find(quote, start)
    while end != -1:
        before = end
        while before > start and text[before - 1] == "\\":
            before -= 1
        if (end - before) % 2 == 0:
            return end
        end = text.find(quote, end + 1)
    return -1

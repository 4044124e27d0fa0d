"""SQL statement analysis shared by the migration rules: split SQL into statements (comments
stripped, line numbers kept) and name the ones that destroy data.

Not a parser: squawk's and Atlas's destructive checks (research/risk-rules.md §1c) as bounded
regexes on one statement. Every pattern is anchored or has bounded repeats, so a multi-megabyte
statement costs one linear scan.
"""

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from guard.rules.patterns import lazy

# An identifier, optionally quoted and schema-qualified: users, "User", `db`.`t`, [dbo].[T]; or a
# placeholder that code fills in (f"DELETE FROM {table}", `${table}`, Ruby's #{table}, "%s").
_PART = (r'(?:"[^"\n]{1,128}"|`[^`\n]{1,128}`|\[[^\]\n]{1,128}\]|[$#]?\{[^{}\n]{1,128}\}'
         r'|%(?:\(\w{1,64}\))?s|[\w$]{1,128})')
NAME = rf"(?P<name>(?:{_PART}\.){{0,2}}{_PART})"
_IF_EXISTS = r"(?:IF\s+EXISTS\s+)?"

_DROP = lazy(
    rf"DROP\s+(?P<kind>TABLE|DATABASE|SCHEMA)\s+{_IF_EXISTS}{NAME}", re.I)
_ALTER = lazy(rf"ALTER\s+TABLE\s+{_IF_EXISTS}(?:ONLY\s+)?{NAME}", re.I)
# `DROP [COLUMN] x` as an ALTER TABLE action (after the table name or a comma); `DROP DEFAULT`,
# `DROP CONSTRAINT` and friends are not columns.
_DROP_COLUMN = lazy(
    rf"(?:^|,)\s*DROP\s+(?:COLUMN\s+)?{_IF_EXISTS}(?!(?:CONSTRAINT|INDEX|KEY|PRIMARY|FOREIGN|"
    rf"DEFAULT|NOT|CHECK|PARTITION|PERIOD|IDENTITY|EXPRESSION)\b){NAME}", re.I)
# The keyword is never the name: `DELETE FROM ?` names no table, it does not delete from FROM.
_TRUNCATE = lazy(rf"TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?(?!TABLE\b){NAME}", re.I)
_MORE_NAMES = lazy(rf"\s*,\s*(?:ONLY\s+)?{NAME}", re.I)  # TRUNCATE a, b: every table listed
_DELETE = lazy(rf"DELETE\s+(?:FROM\s+)?(?:ONLY\s+)?(?!FROM\b){NAME}", re.I)
_UPDATE = lazy(rf"UPDATE\s+(?:ONLY\s+)?{NAME}\s+(?:AS\s+\w+\s+)?(?:\w+\s+)?SET\b", re.I)
_WHERE = lazy(r"\bWHERE\b", re.I)
# A WHERE that holds for every row narrows nothing: `WHERE 1=1`, `WHERE true`.
_ALWAYS = lazy(r"\bWHERE\s+(?:1\s*=\s*1|true|'(\w*)'\s*=\s*'\1')\s*(?:;|$)", re.I)
_CASCADE = lazy(r"\bCASCADE\b", re.I)
# Where a statement of interest starts inside code (execute("..."), knex.raw(`...`), heredocs).
SQL_START = lazy(
    r"\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA)\b|ALTER\s+TABLE\b|TRUNCATE\b|DELETE\s+FROM\b"
    r"|UPDATE\s+[\w\"`\[\].${}#]{1,300}\s+SET\b)", re.I)


class Statement(NamedTuple):
    line: int
    text: str
    lines: tuple[int, ...]


class Destruction(NamedTuple):
    """One destructive operation: `kind` is drop-table, drop-column or data-loss."""

    kind: str
    message: str


def clean(name: str) -> str:
    return ".".join(part.strip('"`[]') for part in re.split(r"\.(?=[\"`\[\w$])", name))


class _Gathering:
    """The statement being read: its text, a piece of a line at a time, and its lines."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.numbers: list[int] = []
        self.start = 0

    def add(self, number: int, chunk: str) -> None:
        if chunk.strip():
            if not "".join(self.pieces).strip():
                self.start = number
            self.numbers.append(number)
        self.pieces.append(chunk)

    def take(self) -> Statement | None:
        """The statement, if it holds any text; the next one starts empty."""
        text = " ".join(self.pieces).strip()
        statement = Statement(self.start, text, tuple(dict.fromkeys(self.numbers))) if text else None
        self.pieces, self.numbers = [], []
        return statement


def statements(lines: Iterable[tuple[int, str]]) -> Iterator[Statement]:
    """Split numbered SQL lines into statements at `;`, dropping `--` and `/* */` comments.
    Quotes are tracked so a `;` or `--` inside a string literal does not split."""
    gathering = _Gathering()
    in_block = False
    quote = ""
    for number, text in lines:
        i, n = 0, len(text)
        piece: list[str] = []
        while i < n:
            if in_block:
                end = text.find("*/", i)
                if end == -1:
                    i = n
                    break
                in_block = False
                i = end + 2
                continue
            if quote:
                end = text.find(quote, i)
                if end == -1:
                    piece.append(text[i:])
                    i = n
                    break
                piece.append(text[i : end + 1])
                quote = ""
                i = end + 1
                continue
            match = _SPECIAL.search(text, i)
            if match is None:
                piece.append(text[i:])
                break
            piece.append(text[i : match.start()])
            token = match.group()
            i = match.end()
            if token == "--":
                break
            if token == "/*":
                in_block = True
            elif token == ";":
                gathering.add(number, "".join(piece))
                piece = []
                if statement := gathering.take():
                    yield statement
            else:
                quote = token
                piece.append(token)
        gathering.add(number, "".join(piece))
    if statement := gathering.take():
        yield statement


_SPECIAL = lazy(r"--|/\*|;|'|\"")


def _unscoped(statement: str) -> bool:
    return not _WHERE.search(statement) or bool(_ALWAYS.search(statement))


def _scope(statement: str) -> str:
    return "with a WHERE that holds for every row" if _WHERE.search(statement) else "without WHERE"


def analyze(statement: str) -> list[Destruction]:
    """The destructive operations in one statement (comments already stripped)."""
    text = statement.lstrip()
    found: list[Destruction] = []
    if match := _DROP.match(text):
        kind, name = match["kind"].upper(), clean(match["name"])
        if kind == "TABLE":
            found.append(Destruction("drop-table", f"DROP TABLE {name}: the table and every row in it are gone"))
        else:
            found.append(Destruction("data-loss", f"DROP {kind} {name}: everything in it is gone"))
    elif match := _ALTER.match(text):
        table = clean(match["name"])
        rest = text[match.end():]
        for column in _DROP_COLUMN.finditer(rest):
            found.append(Destruction(
                "drop-column", f"drops column {table}.{clean(column['name'])}: the data in it is lost"))
    elif match := _TRUNCATE.match(text):
        names, at = [clean(match["name"])], match.end()
        while more := _MORE_NAMES.compiled.match(text, at):
            names.append(clean(more["name"]))
            at = more.end()
        them = "them" if len(names) > 1 else "it"
        cascade = f" (CASCADE: tables that reference {them} are emptied too)" if _CASCADE.search(text) else ""
        found.append(Destruction("data-loss", f"TRUNCATE {', '.join(names)}: every row is deleted{cascade}"))
    elif (match := _DELETE.match(text)) and _unscoped(text):
        found.append(Destruction("data-loss", f"DELETE FROM {clean(match['name'])} {_scope(text)}: every row is deleted"))
    elif (match := _UPDATE.match(text)) and _unscoped(text):
        found.append(Destruction("data-loss", f"UPDATE {clean(match['name'])} {_scope(text)}: every row is overwritten"))
    return found


def analyze_lines(lines: list[tuple[int, str]], changed: set[int]) -> Iterator[tuple[int, Destruction]]:
    """Destructive statements in SQL lines that include at least one changed line."""
    for statement in statements(lines):
        if changed.intersection(statement.lines):
            for found in analyze(statement.text):
                yield statement.line, found


def analyze_embedded(lines: list[tuple[int, str]], changed: set[int]) -> Iterator[tuple[int, Destruction]]:
    """SQL inside code (execute("..."), knex.raw(`...`), heredocs): from each changed line that
    starts a statement, read on up to the next `;`, closing quote or eight lines."""
    for index, (number, text) in enumerate(lines):
        if number not in changed:
            continue
        match = SQL_START.search(text)
        if match is None:
            continue
        # The string the SQL sits in ends at its own quote; identifiers may use the others.
        opener = max(("'", '"', "`"), key=lambda q: text.rfind(q, 0, match.start()))
        stop = f"[;{opener}]" if text.rfind(opener, 0, match.start()) != -1 else ";"
        parts = [text[match.start():]]
        for _, more in lines[index + 1 : index + 8]:
            if re.search(stop, parts[-1]):
                break
            parts.append(more)
        body = re.split(stop, " ".join(parts), maxsplit=1)[0]
        for found in analyze(body):
            yield number, found

"""Which files are database migrations, of which framework, and which of their lines run on
the way up (a `drop_column` in Alembic's `downgrade()` is the normal undo of an add, not a loss).

Path globs and content signatures from research/risk-rules.md §1a; a match on either is enough.
"""

import re
from typing import NamedTuple

from guard.model import FileChange, Line
from guard.rules.gates import Gate
from guard.rules.patterns import Lazy, lazy

# (framework, path regex); the first match names the framework.
_PATHS: tuple[tuple[str, Lazy], ...] = tuple((name, lazy(rx)) for name, rx in (
    ("alembic", r"(?:^|/)(?:alembic|migrations)/versions/[^/]+\.py$"),
    ("django", r"(?:^|/)migrations/\d{4}_[^/]*\.py$"),
    ("rails", r"(?:^|/)db/(?:migrate|post_migrate)/[^/]+\.rb$"),
    ("prisma", r"(?:^|/)prisma/migrations/[^/]+/migration\.sql$"),
    ("golang-migrate", r"(?:^|/)\d+_[^/]+\.(?:up|down)\.sql$"),
    ("flyway", r"(?:^|/)db/migration/(?:.+/)?[^/]+\.(?:sql|java|kt)$"),
    ("flyway", r"(?:^|/)[VUR]\d*(?:[._]\d+)*__[^/]+\.sql$"),
    ("liquibase", r"(?:^|/)db/changelog/.+\.(?:xml|ya?ml|json|sql)$"),
    ("liquibase", r"(?:^|/)db\.changelog[^/]*\.(?:xml|ya?ml|json|sql)$"),
    ("ecto", r"(?:^|/)priv/[^/]+/migrations/[^/]+\.exs$"),
    ("laravel", r"(?:^|/)database/migrations/[^/]+\.php$"),
    ("efcore", r"(?:^|/)Migrations/\d{14}_[^/]+\.cs$"),
    ("typeorm", r"(?:^|/)migrations?/\d{13}-[^/]+\.ts$"),
    ("sequelize", r"(?:^|/)migrations/\d{14}-[^/]+\.[cm]?js$"),
    ("knex", r"(?:^|/)migrations?/[^/]+\.(?:[cm]?js|ts)$"),
    ("sql", r"(?:^|/)(?:migrations?|migrate|schema_migrations|supabase/migrations|drizzle)/(?:.+/)?[^/]+\.sql$"),
))
_NOT_MIGRATIONS = lazy(
    r"(?:^|/)(?:__init__\.py|[^/]*\.Designer\.cs|[^/]*ModelSnapshot\.cs|migration_lock\.toml"
    r"|README[^/]*|[^/]*\.md|atlas\.sum|_journal\.json|[^/]*\.d\.ts)$")
# Content signatures, read from the first lines of the new side.
_SIGNATURES: tuple[tuple[str, Lazy], ...] = tuple((name, lazy(rx, re.M)) for name, rx in (
    ("django", r"class\s+Migration\(\s*migrations\.Migration\s*\)"),
    ("alembic", r"^down_revision\s*[:=]"),
    ("rails", r"<\s*ActiveRecord::Migration\b"),
    ("liquibase", r"\bdatabaseChangeLog\b|^--\s*liquibase formatted sql|^--changeset\s"),
    ("ecto", r"\buse\s+Ecto\.Migration\b"),
    ("typeorm", r"\bimplements\s+MigrationInterface\b"),
    ("efcore", r":\s*Migration\b[\s\S]{0,400}\bMigrationBuilder\b"),
    ("goose", r"^--\s*\+goose\s+Up\b"),
    ("dbmate", r"^--\s*migrate:up\b"),
))
_SIGNATURE_EXTENSIONS = (".py", ".rb", ".sql", ".xml", ".yaml", ".yml", ".json", ".exs", ".ts", ".cs")

PYTHON = ("django", "alembic")
SQL = ("prisma", "golang-migrate", "flyway", "sql", "goose", "dbmate", "liquibase-sql")


# Cheap substring gates, so the patterns below compile only for likely migrations.
_PATH_HINTS = ("migrat", "Migrat", "changelog", "/versions/", "drizzle/", "__", ".up.", ".down.")
_HEAD_HINTS = ("Migration", "down_revision", "databaseChangeLog", "liquibase", "--changeset",
               "+goose", "migrate:up")


_HEAD_GATE = Gate(tuple(hint.encode() for hint in _HEAD_HINTS))


def might_be(path: str, body: bytes) -> bool:
    """A cheap first look, before any line is decoded."""
    return any(hint in path for hint in _PATH_HINTS) or (
        path.endswith(_SIGNATURE_EXTENSIONS) and _HEAD_GATE.in_body(body))


def framework(path: str, head: str) -> str | None:
    """The migration framework a file belongs to, or None when it is not a migration."""
    if not any(hint in path for hint in _PATH_HINTS) and not (
            path.endswith(_SIGNATURE_EXTENSIONS) and any(hint in head for hint in _HEAD_HINTS)):
        return None
    if _NOT_MIGRATIONS.search(path):
        return None
    found = next((name for name, rx in _PATHS if rx.search(path)), None)
    if path.endswith(_SIGNATURE_EXTENSIONS) or found:
        for name, rx in _SIGNATURES:
            if rx.search(head):
                if found in (None, "sql", "flyway", "knex") or name in ("goose", "dbmate"):
                    found = name
                break
    if found in ("flyway", "liquibase", "sql", "goose", "dbmate") and path.endswith(".sql") \
            and re.search(r"^--\s*liquibase formatted sql", head, re.M):
        return "liquibase-sql"
    if found == "knex" and re.search(r"\bqueryInterface\.", head):
        return "sequelize"
    if found == "knex" and re.search(r"\bqueryRunner\b|MigrationInterface", head):
        return "typeorm"
    return found


class NewSide(NamedTuple):
    """The lines of the new file that the diff shows (all of them for a new file), in order,
    with which are added and which run on the way down."""

    lines: tuple[Line, ...]
    added: frozenset[int]
    down: frozenset[int]

    def text(self) -> str:
        """The shown lines at their real line numbers; unseen lines are blank."""
        out: list[str] = []
        for line in self.lines:
            out.extend("" for _ in range(line.number - 1 - len(out)))
            out.append(line.text)
        return "\n".join(out) + "\n"

    def numbered(self) -> list[tuple[int, str]]:
        return [(line.number, line.text) for line in self.lines]

    def up_lines(self) -> list[tuple[int, str]]:
        return [(line.number, line.text) for line in self.lines if line.number not in self.down]

    def changed_up(self) -> set[int]:
        return set(self.added - self.down)


# Where a function or section that undoes the migration begins, and where a forward one begins.
_DOWN = lazy(
    r"^\s*(?:(?:public|protected|private|override|async|static|void|function|def)\s+)*"
    r"(?:downgrade|down|Down|backwards)\s*(?:\(|:|=|\s+do\b|$)"
    r"|^\s*(?:exports|module\.exports)\.down\b|^\s*--\s*\+goose\s+Down\b|^\s*--\s*migrate:down\b"
    r"|^\s*--\s*rollback\b|^\s*<rollback\b|^\s*-?\s*rollback:")
_UP = lazy(
    r"^\s*(?:(?:public|protected|private|override|async|static|void|function|def)\s+)*"
    r"(?:upgrade|up|Up|change|forwards)\s*(?:\(|:|=|\s+do\b|$)"
    r"|^\s*(?:exports|module\.exports)\.up\b|^\s*--\s*\+goose\s+Up\b|^\s*--\s*migrate:up\b"
    r"|^\s*--\s*changeset\b|^\s*<changeSet\b|^\s*-\s*changeSet:")


def new_side(change: FileChange, name: str) -> NewSide:
    shown = tuple(line for line in change.lines if line.kind != "-")
    added = frozenset(line.number for line in shown if line.kind == "+")
    if name == "golang-migrate" and re.search(r"\.down\.\w+$", change.path):
        return NewSide(shown, added, frozenset(line.number for line in shown))
    starts = {hunk.new_start: hunk.section for hunk in change.hunks}
    down: set[int] = set()
    in_down = False
    for line in shown:
        if line.number in starts:  # git's hunk header names the function a hunk starts in
            section = starts[line.number]
            in_down = bool(section and _DOWN.search(section)) or (
                in_down and not (section and _UP.search(section)))
        if name == "liquibase-sql" and re.match(r"\s*--\s*rollback\b", line.text):
            down.add(line.number)  # one rollback line, not a section
            continue
        if _DOWN.search(line.text):
            in_down = True
        elif name in PYTHON and line.text[:1] not in ("", " ", "\t", "#", ")", "]"):
            in_down = False  # back at module level: the down function has ended
        elif _UP.search(line.text):
            in_down = False
        if in_down:
            down.add(line.number)
    return NewSide(shown, added, frozenset(down))


def head_text(change: FileChange, limit: int = 200) -> str:
    return "\n".join(line.text for line in change.lines[:limit] if line.kind != "-")


def migration_framework(change: FileChange) -> str | None:
    """The framework of a changed file that is a migration, or None: the cheap look first, then
    the file's head read."""
    if not might_be(change.path, change.body):
        return None
    return framework(change.path, head_text(change))

"""The destructive and irreversible operations in one migration file's added lines.

Python migrations (Django, Alembic) are read with `ast` in guard.rules.migration_python. Other
frameworks use bounded per-line patterns from research/risk-rules.md §1b; SQL goes through
guard.rules.sql.
"""

import re
from collections.abc import Iterator
from typing import NamedTuple

from guard.model import FileChange, Status
from guard.rules import sql
from guard.rules.migration_files import PYTHON, SQL, NewSide
from guard.rules.patterns import Lazy, lazy


class Op(NamedTuple):
    kind: str  # drop-table, drop-column, data-loss, irreversible
    line: int
    message: str


TABLE_GONE = "the table and every row in it are gone"
COLUMN_GONE = "the data in it is lost, a rollback brings back an empty column at best"


def operations(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    if name in PYTHON:
        from guard.rules.migration_python import (
            python_ops,  # `ast` only when a Python migration is in the diff
        )

        yield from python_ops(change, name, side)
    elif name in SQL:
        for number, found in sql.analyze_lines(side.up_lines(), side.changed_up()):
            yield Op(found.kind, number, found.message)
        yield from _sql_sections(change, name, side)
    else:
        yield from _code(change, name, side)
        for number, found in sql.analyze_embedded(side.up_lines(), side.changed_up()):
            yield Op(found.kind, number, found.message)
    if name == "prisma":
        for line in side.lines:
            match = _PRISMA_ENUM.search(line.text) if line.number in side.added else None
            if match:
                yield Op("data-loss", line.number,
                         f"removes values [{match['values']}] from enum {match['enum']}: rows that "
                         "use them fail the migration or lose the value")


_PRISMA_ENUM = lazy(r"The values \[(?P<values>[^\]]{0,300})\] on the enum `(?P<enum>[^`]{1,128})` will be removed")


# --- other code migrations: Rails, Knex, Sequelize, TypeORM, Laravel, EF Core, Ecto, Liquibase --

_Q = r"""['"`:]?"""
_ID = r"(?P<{}>[\w.]{{1,128}})"
_CODE_OPS: tuple[tuple[str, Lazy, str], ...] = tuple(
    (kind, lazy(rx), message) for kind, rx, message in (
        # Rails (strong_migrations' checks)
        ("drop-column", rf"^\s*remove_column\s*\(?\s*{_Q}{_ID.format('table')}['\"]?\s*,\s*{_Q}{_ID.format('column')}",
         "remove_column {table}.{column}"),
        ("drop-column", rf"^\s*remove_columns\s*\(?\s*{_Q}{_ID.format('table')}['\"]?\s*,\s*(?P<columns>[:\w'\", ]{{1,300}})",
         "remove_columns {table} ({columns})"),
        ("drop-column", rf"^\s*remove_timestamps\s*\(?\s*{_Q}{_ID.format('table')}", "remove_timestamps {table}"),
        ("drop-column", rf"^\s*remove_(?:reference|belongs_to)\s*\(?\s*{_Q}{_ID.format('table')}['\"]?\s*,\s*{_Q}{_ID.format('column')}",
         "removes reference {table}.{column}"),
        ("drop-column", rf"^\s*t\.remove\s+:{_ID.format('column')}", "t.remove {column}"),
        ("drop-table", rf"^\s*drop_table\s*\(?\s*{_Q}{_ID.format('table')}", "drop_table {table}"),
        ("drop-table", rf"^\s*create_table\s*\(?\s*{_Q}{_ID.format('table')}.{{0,200}}\bforce:\s*(?:true|:cascade)",
         "create_table {table}, force: true drops the existing table first"),
        ("data-loss", r"\.(?P<what>delete_all|destroy_all|update_all)\b", "{what} in a migration deletes or rewrites rows"),
        ("irreversible", r"\braise\s+ActiveRecord::IrreversibleMigration\b",
         "raises ActiveRecord::IrreversibleMigration: it cannot be rolled back"),
        # Knex, Sequelize, TypeORM
        ("drop-table", rf"\.dropTable(?:IfExists)?\(\s*['\"`]{_ID.format('table')}", "dropTable {table}"),
        ("drop-column", rf"\b(?:table|t)\.dropColumns?\(\s*['\"`]{_ID.format('column')}['\"`]\s*[,)]", "dropColumn {column}"),
        ("drop-column", rf"\.(?:removeColumn|dropColumns?)\(\s*['\"`]{_ID.format('table')}['\"`]\s*,\s*['\"`]{_ID.format('column')}",
         "drops column {table}.{column}"),
        ("data-loss", r"(?:queryInterface|queryRunner)\.(?P<what>bulkDelete|dropAllTables|clearTable|dropDatabase|dropSchema|dropAllSchemas)\(",
         "{what} deletes data"),
        ("data-loss", r"\bknex\([^)]{1,200}\)\s*\.(?P<what>del|delete|truncate)\(\s*\)", "knex(...).{what}() deletes rows"),
        # Laravel
        ("drop-table", rf"Schema::drop(?:IfExists)?\(\s*['\"]{_ID.format('table')}", "Schema::drop {table}"),
        ("drop-column", rf"->dropColumn\(\s*\[?\s*['\"]{_ID.format('column')}", "dropColumn {column}"),
        ("drop-column", r"->(?P<what>drop(?:Timestamps|SoftDeletes|Morphs|RememberToken))\(", "{what}() drops columns"),
        ("data-loss", rf"DB::table\(\s*['\"]{_ID.format('table')}['\"]\s*\)\s*->\s*(?P<what>delete|truncate)\(\s*\)",
         "DB::table({table})->{what}() deletes rows"),
        # EF Core
        ("drop-table", rf"\.DropTable\(\s*(?:name:\s*)?\"{_ID.format('table')}\"", "DropTable {table}"),
        ("drop-column", rf"\.DropColumn\(\s*(?:name:\s*)?\"{_ID.format('column')}\"\s*,\s*(?:table:\s*)?\"{_ID.format('table')}\"",
         "DropColumn {table}.{column}"),
        ("data-loss", rf"\.DeleteData\(\s*(?:table:\s*)?\"{_ID.format('table')}\"", "DeleteData from {table}"),
        # Ecto
        ("drop-table", rf"^\s*drop(?:_if_exists)?\s*\(?\s*table\(\s*{_Q}{_ID.format('table')}", "drop table {table}"),
        ("drop-column", rf"^\s*remove(?:_if_exists)?\s*\(?\s*:{_ID.format('column')}", "remove {column}"),
        # Liquibase XML and YAML
        ("drop-table", rf"(?:<dropTable\b|dropTable:)[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}", "dropTable {table}"),
        ("drop-column", rf"(?:<dropColumn\b|dropColumn:)(?=[^>]{{0,300}}?columnName[=:]\s*['\"]?{_ID.format('column')})"
                        rf"[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}", "dropColumn {table}.{column}"),
        ("drop-column", rf"(?:<dropColumn\b|dropColumn:)[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}",
         "dropColumn on {table}"),
        ("data-loss", rf"(?:<delete\b|-\s*delete:)[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}",
         "delete from {table}"),
    ))
_COLUMNS_GONE = "the data in them is lost, a rollback brings back empty columns at best"
_SUFFIX = {"drop-table": TABLE_GONE, "drop-column": COLUMN_GONE,
           "data-loss": "the rows do not come back", "irreversible": ""}

# The call that opens a block of changes to one table, whose column operations name no table:
# Knex `alterTable('users', ...)` / `.table('users', ...)`, Laravel `Schema::table('users', ...)`,
# Ecto `alter table(:users) do`, Rails `change_table :users do |t|`.
_TABLE_BLOCK = lazy(
    r"(?:\.alterTable|\.table|Schema::table|\balter\s+table|\bchange_table)\s*\(?\s*['\"`:]"
    r"(?P<table>[\w.]{1,128})")
_TABLE_BLOCK_LINES = 50  # how far back a column operation's table is looked for


def _enclosing_table(lines: list[tuple[int, str]], index: int) -> str:
    """The table of the nearest table block opened above lines[index] (the file's shown lines)."""
    for _, text in reversed(lines[max(0, index - _TABLE_BLOCK_LINES):index + 1]):
        match = _TABLE_BLOCK.search(text)
        if match:
            return match["table"]
    return ""


_EMPTY_DOWN = lazy(
    r"(?:exports\.down|\bdown)\s*[=:]?\s*(?:async\s+)?(?:function\s*\w*)?\s*\([^)]{0,200}\)\s*"
    r"(?::\s*[\w<>]{1,40}\s*)?(?:=>\s*)?\{\s*\}"            # JS / TS / PHP: down() {}
    r"|\bvoid\s+Down\s*\([^)]{0,200}\)\s*\{\s*\}"          # EF Core
    r"|\bdef\s+down\s*(?:do)?\s+end\b")                    # Rails, Ecto


def _code(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    lines = side.numbered()
    for index, (number, text) in enumerate(lines):
        if number not in side.added:
            continue
        window = " ".join([text, *(t.strip() for _, t in lines[index + 1 : index + 5])])
        named: set[str] = set()  # the first, most specific pattern of a kind names the operation
        for kind, rx, template in _CODE_OPS:
            if kind in named or (kind != "irreversible" and number in side.down):
                continue
            match = rx.search(window)
            if match is None or match.start() >= len(text):
                continue
            found = {k: v for k, v in match.groupdict().items() if v}
            if kind == "drop-column" and "table" not in found and (table := _enclosing_table(lines, index)):
                found["table"] = table
                template = template.replace("{column}", "{table}.{column}") if "{column}" in template \
                    else f"{template} of {{table}}"
            if "columns" in found:  # `:legacy, :email, type: :string`: the names on this line, before options
                listed = re.split(r"\b\w+:\s", text[match.start("columns"):], maxsplit=1)[0]
                found["columns"] = ", ".join(re.findall(r"\w+", listed))
            message = template.format(**found)
            named.add(kind)
            several = kind == "drop-column" and any(word in message for word in ("columns", "timestamps", ", "))
            suffix = _COLUMNS_GONE if several else _SUFFIX[kind]
            yield Op(kind, number, f"{message}: {suffix}" if suffix else message)
        if number in side.down and re.search(r"\bdown\b|\bDown\b", text):
            stripped = [re.sub(r"(?://|#).*$", "", t) for _, t in lines[index : index + 8]]
            if _EMPTY_DOWN.search(" ".join(stripped)):
                yield Op("irreversible", number, "the down migration is empty: it cannot be rolled back")


def _sql_sections(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    """goose and dbmate keep up and down in one file; golang-migrate in two."""
    if change.status is not Status.ADDED:
        return
    content = [t for _, t in side.numbered() if t.strip() and not t.strip().startswith("--")]
    if name == "golang-migrate" and change.path.endswith(".down.sql") and not content:
        yield Op("irreversible", 1, "the .down.sql file is empty: the migration cannot be rolled back")
    if name in ("goose", "dbmate"):
        marker = r"^\s*--\s*\+goose\s+Down\b" if name == "goose" else r"^\s*--\s*migrate:down\b"
        lines = side.numbered()
        at = next((i for i, (_, t) in enumerate(lines) if re.match(marker, t)), None)
        if at is None:
            yield Op("irreversible", 1, "no down section: the migration cannot be rolled back")
        elif not [t for _, t in lines[at + 1:] if t.strip() and not t.strip().startswith("--")]:
            yield Op("irreversible", lines[at][0], "the down section is empty: the migration cannot be rolled back")

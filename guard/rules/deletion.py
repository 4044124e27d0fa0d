"""Deletions: a deleted file is gone from the next checkout (a rename is not a deletion), and
data a script or code deletes outside a migration (migrations have rules of their own)."""
from __future__ import annotations

from collections.abc import Iterator

from guard.model import FileChange, Level, Question, Status
from guard.paths import is_docs, is_test
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.gates import Gate
from guard.rules.patterns import lazy
from guard.words import counted

# Formats that hold data. JSON, YAML and XML are more often config (a Kubernetes manifest, a
# package.json): they are data files only under a data/ folder.
DATA_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".sqlite", ".sqlite3", ".db", ".xlsx",
                 ".dump", ".bak", ".avro", ".feather")

FILE_DELETED = Rule(
    "file-deleted", "deletion", Question.REVERSIBLE, Level.ASK,
    "a file is deleted",
    """## What it does
Asks when the change deletes a file, a symlink or a submodule. A rename (`git mv`, or a
delete and add that git pairs as a rename) is not a deletion. Deleted test files and data files
are named as such.

## Why it matters
git can bring a file back, but people and systems that relied on it break first, and data
files deleted by an agent are often not recoverable from anywhere else (generated, ignored or
LFS content). A deletion is a decision a human should see.

## Example
`git rm src/legacy/importer.py` → `deletes src/legacy/importer.py (212 lines)`.

## Options
`rules.file-deleted = "report"` to be told instead of asked; per path with `[[overrides]]`.""",
)
DATA_DELETED = Rule(
    "data-deleted", "deletion", Question.REVERSIBLE, Level.ASK,
    "a script or code deletes or drops data",
    rule_doc(
        "Asks when added lines outside a migration drop or wipe data: `DROP TABLE`/`SCHEMA`/"
        "`DATABASE`, `TRUNCATE`, `ALTER TABLE ... DROP COLUMN`, and `DELETE`/`UPDATE` without "
        "`WHERE`, in `.sql` scripts or in SQL inside code (`execute(\"...\")`, `db.Exec(`...`)`); "
        "and an unscoped ORM wipe (`Model.delete_all`, `Model.destroy_all`, "
        "`Model.objects.all().delete()`, SQLAlchemy's `session.query(Model).delete()` and "
        "`Model.query.delete()`, Laravel's `Model::truncate()` and "
        "`DB::table('t')->truncate()`). Tests, docs and migrations are not read (migrations "
        "have the `migration-*` rules), nor are comments (`#`, `//`, `/* */` by the file's "
        "language, `--` in SQL) and Python docstrings: a comment that names a `TRUNCATE` does "
        "not run it. A `#` inside a string, as in `execute(\"TRUNCATE t  # now\")`, is not a "
        "comment.",
        "A cleanup script or a management command runs against real data, and no `git revert` "
        "brings the rows back: only a backup does.",
        "`DELETE FROM sessions;` added to `scripts/cleanup.sql` → `DELETE FROM sessions without "
        "WHERE: every row is deleted`.",
        "`rules.data-deleted = \"report\"`, or per path with `[[overrides]]` (e.g. a seed folder)."),
)
RULES = (FILE_DELETED, DATA_DELETED)

# Literals every destructive statement or wipe holds: a file without any is not read.
_DATA_GATE = Gate((b"DROP TABLE", b"drop table", b"DROP SCHEMA", b"drop schema", b"DROP DATABASE",
                   b"drop database", b"TRUNCATE", b"truncate", b"DELETE FROM", b"delete from", b"UPDATE ",
                   b"update ", b"DROP COLUMN", b"drop column", b"delete_all", b"destroy_all",
                   b"all().delete()", b").delete()", b".query.delete()"))
_ORM_WIPE = lazy(r"\b(?P<model>[A-Z]\w*)(?:\.objects\.all\(\)\.delete\(\)|\.(?:delete_all|destroy_all)\b"
                 r"|::truncate\(\))")
# SQLAlchemy's query of a whole model, with no filter between: session.query(Order).delete(),
# and Flask-SQLAlchemy's Order.query.delete().
_QUERY_WIPE = lazy(r"\b(?:\w+\.)?query\(\s*(?P<model>[A-Z]\w*)\s*\)\.delete\(\)"
                   r"|\b(?P<flask>[A-Z]\w*)\.query\.delete\(\)")
# Laravel's query builder on a table: DB::table('orders')->truncate().
_TABLE_WIPE = lazy(r"\bDB::table\(\s*['\"](?P<table>[\w.]+)['\"]\s*\)->truncate\(\)")
_PROSE = (".md", ".rst", ".txt", ".adoc", ".html")


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.status is not Status.DELETED:
        yield from _data_deleted(change)
        return
    path = change.path
    if change.is_submodule:
        what = f"removes the submodule {path}"
    elif change.is_symlink:
        what = f"deletes the symlink {path}"
    elif is_test(path):
        what = f"deletes the test file {path} ({counted(change.removed, 'line')} of tests)"
    elif path.lower().endswith(DATA_SUFFIXES) or "/data/" in f"/{path}":
        what = f"deletes the data file {path}"
    elif change.binary:
        what = f"deletes the binary file {path}"
    else:
        what = f"deletes {path} ({counted(change.removed, 'line')})"
    yield Hit(FILE_DELETED, path, None, what)


def _data_deleted(change: FileChange) -> Iterator[Hit]:
    path = change.path
    if (change.binary or is_test(path) or is_docs(path) or path.lower().endswith(_PROSE)
            or not _DATA_GATE.in_added(change.body)):
        return
    # Only now (a rare file) the SQL reader and the migration detector are imported.
    from guard.rules import sql
    from guard.rules.migration_files import migration_framework

    if migration_framework(change) is not None:
        return  # a migration: the migration rules read it
    lines = [(line.number, line.text) for line in change.lines if line.kind != "-"]
    added = {line.number for line in change.lines if line.kind == "+"}
    if path.lower().endswith(".sql"):
        # sql.statements drops the script's `--` and `/* */` comments; an ORM call is not SQL.
        found = {found.message: number for number, found in sql.analyze_lines(lines, added)}
    else:
        # A comment or a docstring that names a wipe does not run it.
        from guard.rules.comments import code_lines, syntax_of

        syntax = syntax_of(path)
        code = lines if syntax is None else code_lines(syntax, lines)
        found = {found.message: number for number, found in sql.analyze_embedded(code, added)}
        for number, text in code:
            if number in added and (wipe := _ORM_WIPE.search(text) or _QUERY_WIPE.search(text)):
                found.setdefault(f"{wipe.group()}: every {wipe['model'] or wipe['flask']} row is deleted", number)
            elif number in added and (wipe := _TABLE_WIPE.search(text)):
                found.setdefault(f"{wipe.group()}: every row of {wipe['table']} is deleted", number)
    for message, number in found.items():
        yield Hit(DATA_DELETED, path, number, message)

"""Database migrations: every new or edited migration asks; destructive and irreversible
operations are named, with the table and column, as answers to "can it be undone?"."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guard.model import ChangeSet, FileChange, Level, Question, Status
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.migration_files import migration_framework, new_side
from guard.rules.patterns import lazy

if TYPE_CHECKING:
    from guard.rules.migration_ops import Op

_FRAMEWORKS = ("Django, Alembic/Flask-Migrate, Rails, Prisma, Flyway, Liquibase, Knex, Sequelize, "
               "TypeORM, golang-migrate, goose, dbmate, Ecto, Laravel, EF Core, Atlas and plain SQL "
               "migration folders")
_OPTIONS = """```toml
[rules]
{id} = "report"          # or "off", "ask"
[[overrides]]            # e.g. a scratch database's migrations
paths = ["sandbox/migrations/"]
rules = {{ {id} = "report" }}
```"""


def _rule(id: str, question: Question, summary: str, what: str, why: str, example: str) -> Rule:
    doc = rule_doc(what, why, example, _OPTIONS.format(id=id))
    return Rule(id, "migration", question, Level.ASK, summary, doc)


MIGRATION_ADDED = _rule(
    "migration-added", Question.OTHERS, "a new database migration",
    f"Asks for every new migration file of {_FRAMEWORKS}. Destructive operations in it get their "
    "own findings (`migration-drop-table`, `migration-drop-column`, `migration-data-loss`, "
    "`migration-irreversible`); this one is there even when the migration is purely additive.",
    "A migration runs against every environment's database, shared by everyone who uses it, and "
    "deploys in an order code review does not see. Even an additive one can lock a large table.",
    "`app/migrations/0007_user_nickname.py` adding a nullable field → "
    "`new Django migration: it runs against every database on the next deploy`.")
MIGRATION_EDITED = _rule(
    "migration-edited", Question.OTHERS, "an existing migration is edited (it may already have run)",
    "Asks when a migration file that already existed is modified or renamed.",
    "Databases that already applied the migration will not run it again, so the edit silently "
    "diverges their schemas from new ones. Flyway refuses to start on the changed checksum, and "
    "its `R__` scripts re-run on every change.",
    "Editing `db/migrate/20240101000000_create_users.rb` after it shipped → "
    "`edits an existing Rails migration: databases that already ran it will not run it again`.")
MIGRATION_DROP_TABLE = _rule(
    "migration-drop-table", Question.REVERSIBLE, "a migration drops a table",
    "Names each table a migration drops: Django `DeleteModel`, Alembic `op.drop_table`, Rails "
    "`drop_table` (and `create_table force: true`), SQL `DROP TABLE` (Prisma, Flyway, goose, ...), "
    "Knex/Sequelize/TypeORM `dropTable`, Laravel `Schema::drop`, EF Core `DropTable`, Ecto "
    "`drop table`, Liquibase `dropTable`. Drops in the down direction (downgrade, `def down`, "
    "`.down.sql`) are the undo of a create and are not reported.",
    "Every row in the table is gone once it runs. A down migration can recreate the table, "
    "never its data; only a backup brings it back.",
    "`op.drop_table(\"audit_log\")` in `upgrade()` → `op.drop_table audit_log: the table and "
    "every row in it are gone`.")
MIGRATION_DROP_COLUMN = _rule(
    "migration-drop-column", Question.REVERSIBLE, "a migration drops a column",
    "Names each column a migration removes: Django `RemoveField`, Alembic `drop_column` (also "
    "in batch mode), Rails `remove_column`/`remove_reference`, SQL `ALTER TABLE ... DROP COLUMN`, "
    "Knex/TypeORM `dropColumn`, Sequelize `removeColumn`, Laravel `dropColumn`, EF Core "
    "`DropColumn`, Ecto `remove`, Liquibase `dropColumn`. A column dropped inside a table's block "
    "(Knex `alterTable`, Laravel `Schema::table`, Ecto `alter table`, Rails `change_table`) is "
    "named with that table.",
    "The column's data is lost even when the down migration re-adds the column: the schema comes "
    "back, the data does not. Code still deployed that reads the column breaks.",
    "`migrations.RemoveField(model_name=\"user\", name=\"email\")` → `RemoveField user.email: the "
    "data in it is lost, ...`.")
MIGRATION_DATA_LOSS = _rule(
    "migration-data-loss", Question.REVERSIBLE, "a migration deletes or overwrites rows",
    "Names statements that delete or rewrite data: `TRUNCATE`, `DELETE`/`UPDATE` without `WHERE`, "
    "`DROP SCHEMA`/`DROP DATABASE`, Rails `delete_all`/`update_all`, Sequelize `bulkDelete`, "
    "TypeORM `clearTable`, Laravel `DB::table(...)->delete()`, EF Core `DeleteData`, and Prisma's "
    "warning that enum values will be removed. SQL is read in SQL migrations and inside "
    "`op.execute`, `RunSQL`, `execute`, `knex.raw`, `queryRunner.query` and friends.",
    "A down migration cannot bring rows back. MySQL's `sql_safe_updates` refuses a DELETE or "
    "UPDATE without WHERE for this reason.",
    "`DELETE FROM sessions;` in `V7__cleanup.sql` → `DELETE FROM sessions without WHERE: every "
    "row is deleted`.")
MIGRATION_IRREVERSIBLE = _rule(
    "migration-irreversible", Question.REVERSIBLE, "a migration cannot be rolled back",
    "Asks when a migration has no way back: Django `RunPython` without `reverse_code` or `RunSQL` "
    "without `reverse_sql`; an Alembic revision whose `downgrade()` is missing, empty (`pass`, "
    "`...`, a docstring) or raises (read with Python's `ast`); Rails `raise "
    "ActiveRecord::IrreversibleMigration`; an empty `down` in Knex, Sequelize, TypeORM, Laravel, "
    "EF Core, Ecto or Rails; an empty `.down.sql` (golang-migrate), a new `.up.sql` without its "
    "`.down.sql`, and goose/dbmate files without a down section.",
    "If the deploy goes wrong, the usual escape (roll the migration back) is not there; someone "
    "will write the reverse under pressure or restore a backup.",
    "`migrations.RunPython(backfill_slugs)` → `RunPython(backfill_slugs) has no reverse_code: "
    "Django refuses to roll this migration back`.")
RULES = (MIGRATION_ADDED, MIGRATION_EDITED, MIGRATION_DROP_TABLE, MIGRATION_DROP_COLUMN,
         MIGRATION_DATA_LOSS, MIGRATION_IRREVERSIBLE)
_BY_KIND = {"drop-table": MIGRATION_DROP_TABLE, "drop-column": MIGRATION_DROP_COLUMN,
            "data-loss": MIGRATION_DATA_LOSS, "irreversible": MIGRATION_IRREVERSIBLE}
_NAMES = {"django": "Django", "alembic": "Alembic", "rails": "Rails", "prisma": "Prisma",
          "flyway": "Flyway", "liquibase": "Liquibase", "liquibase-sql": "Liquibase",
          "knex": "Knex", "sequelize": "Sequelize", "typeorm": "TypeORM",
          "golang-migrate": "golang-migrate", "goose": "goose", "dbmate": "dbmate",
          "ecto": "Ecto", "laravel": "Laravel", "efcore": "EF Core", "sql": "SQL"}
_UP_FILE = lazy(r"^(?P<stem>.*/)?(?P<version>\d+)_[^/]+\.up\.(?P<ext>\w+)$")
_DOWN_FILE = lazy(r"\.down\.\w+$")


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.status is Status.DELETED or change.binary:
        return
    name = migration_framework(change)
    if name is None:
        return
    label = _NAMES.get(name, name)
    if change.status is Status.ADDED or change.status is Status.COPIED:
        yield Hit(MIGRATION_ADDED, change.path, None,
                  f"new {label} down migration: it runs when the migration is rolled back"
                  if _DOWN_FILE.search(change.path) else
                  f"new {label} migration: it runs against every database on the next deploy")
    elif change.status is Status.RENAMED and not change.changed and name != "alembic":
        # Most frameworks know a migration by its file name: a new name is a new migration.
        yield Hit(MIGRATION_EDITED, change.path, None,
                  f"renames an existing {label} migration: databases that ran it under its old "
                  "name run it again")
    elif change.changed or change.status is Status.RENAMED:
        how = "renames" if change.status is Status.RENAMED and not change.changed else "edits"
        first = next((line.number for line in change.lines if line.kind == "+"), None)
        yield Hit(MIGRATION_EDITED, change.path, first,
                  f"{how} an existing {label} migration: databases that already ran it will not "
                  "run it again" + (" (Flyway fails on the changed checksum)" if name == "flyway" else ""))
    # What a migration does is read only for migrations: most changes never import it.
    from guard.rules.migration_ops import operations

    seen: set[Op] = set()
    for op in operations(change, name, new_side(change, name)):
        if op in seen:  # two patterns may read the same call
            continue
        seen.add(op)
        yield Hit(_BY_KIND[op.kind], change.path, op.line, op.message)


def check_changeset(changeset: ChangeSet, context: Context) -> Iterator[Hit]:
    """golang-migrate keeps the way back in a separate file: a new up without its down."""
    paths = {change.path for change in changeset.files if change.status is not Status.DELETED}
    for change in changeset.files:
        match = _UP_FILE.match(change.path)
        if change.status is not Status.ADDED or match is None:
            continue
        prefix = f"{match['stem'] or ''}{match['version']}_"
        if not any(p.startswith(prefix) and ".down." in p for p in paths):
            yield Hit(MIGRATION_IRREVERSIBLE, change.path, None,
                      "new up migration without a matching .down file: it cannot be rolled back")

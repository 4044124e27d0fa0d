"""The destructive and irreversible operations in one migration file's added lines.

Python migrations (Django, Alembic) are read with `ast`; a file that does not parse (a fragment
of an edited file, or broken code) falls back to parsing each changed call on its own. Other
frameworks use bounded per-line patterns from research/risk-rules.md §1b; SQL goes through
guard.rules.sql.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import NamedTuple

from guard.rules.patterns import Lazy, lazy
from guard.model import FileChange, Status
from guard.rules import sql
from guard.rules.migration_files import PYTHON, SQL, NewSide


class Op(NamedTuple):
    kind: str  # drop-table, drop-column, data-loss, irreversible
    line: int
    message: str


TABLE_GONE = "the table and every row in it are gone"
COLUMN_GONE = "the data in it is lost, a rollback brings back an empty column at best"


def operations(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    if name in PYTHON:
        yield from _python(change, name, side)
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


# --- Python: Django and Alembic -------------------------------------------------------------

def _const(node: ast.AST | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def _arg(call: ast.Call, index: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def _is_none(node: ast.AST | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def _strings(node: ast.AST | None, offset: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for sub in ast.walk(node) if node is not None else ():
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            out.extend((sub.lineno + offset + i, text) for i, text in enumerate(sub.value.split("\n")))
    return out


def _call_ops(call: ast.Call, line: int, offset: int, batch_table: str) -> Iterator[Op]:
    func = call.func
    fname = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
    if fname == "RemoveField":
        model, field = _const(_arg(call, 0, "model_name")), _const(_arg(call, 1, "name"))
        yield Op("drop-column", line, f"RemoveField {model}.{field}: {COLUMN_GONE}")
    elif fname == "DeleteModel":
        yield Op("drop-table", line, f"DeleteModel {_const(_arg(call, 0, 'name'))}: {TABLE_GONE}")
    elif fname == "RunPython" and _is_none(_arg(call, 1, "reverse_code")):
        yield Op("irreversible", line, f"RunPython({_const(_arg(call, 0, 'code'))}) has no reverse_code: "
                 "Django refuses to roll this migration back")
    elif fname == "RunSQL":
        if _is_none(_arg(call, 1, "reverse_sql")):
            yield Op("irreversible", line, "RunSQL has no reverse_sql: Django refuses to roll this migration back")
        yield from _sql_ops(_strings(_arg(call, 0, "sql"), offset))
    elif fname == "drop_table" and owner in ("op", "batch_op"):
        yield Op("drop-table", line, f"{owner}.drop_table {_const(_arg(call, 0, 'table_name'))}: {TABLE_GONE}")
    elif fname == "drop_column" and owner == "op":
        table, column = _const(_arg(call, 0, "table_name")), _const(_arg(call, 1, "column_name"))
        yield Op("drop-column", line, f"op.drop_column {table}.{column}: {COLUMN_GONE}")
    elif fname == "drop_column":
        column = _const(_arg(call, 0, "column_name"))
        where = f"{batch_table}.{column}" if batch_table else column
        yield Op("drop-column", line, f"{owner or 'batch'}.drop_column {where}: {COLUMN_GONE}")
    elif fname == "execute" and owner in ("op", "connection", "bind", "conn", "cursor", "schema_editor"):
        yield from _sql_ops(_strings(call.args[0] if call.args else None, offset))


def _sql_ops(lines: list[tuple[int, str]]) -> Iterator[Op]:
    for line, found in sql.analyze_lines(lines, {number for number, _ in lines}):
        yield Op(found.kind, line, found.message)


class _Visitor(ast.NodeVisitor):
    def __init__(self, changed: set[int], whole: bool) -> None:
        self.changed = changed
        self.whole = whole
        self.function = ""
        self.batch_table = ""
        self.ops: list[Op] = []

    def _touched(self, node: ast.AST) -> bool:
        end = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        return any(n in self.changed for n in range(node.lineno, end + 1))  # type: ignore[attr-defined]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_With(self, node: ast.With) -> None:
        outer = self.batch_table
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                    and call.func.attr == "batch_alter_table":
                self.batch_table = _const(_arg(call, 0, "table_name"))
        self.generic_visit(node)
        self.batch_table = outer

    def visit_Call(self, node: ast.Call) -> None:
        if self.function not in ("downgrade", "backwards") and self._touched(node):
            self.ops.extend(_call_ops(node, node.lineno, 0, self.batch_table))
        self.generic_visit(node)


_PY_CALL = lazy(r"\b(?:migrations\.)?(?:RemoveField|DeleteModel|RunPython|RunSQL)\s*\("
                      r"|\b(?:op|batch_op)\.(?:drop_table|drop_column|execute)\s*\(")


def _python(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    changed = set(side.added)
    try:
        tree = ast.parse(side.text())
    except (SyntaxError, ValueError):
        tree = None
    if tree is not None:
        visitor = _Visitor(changed, change.status is Status.ADDED)
        visitor.visit(tree)
        yield from visitor.ops
        if name == "alembic":
            yield from _alembic_downgrade_ast(tree, changed, change.status is Status.ADDED)
        return
    # Fragments: parse each changed call on its own, from its first line to its closing paren.
    lines = side.up_lines()
    for index, (number, text) in enumerate(lines):
        match = _PY_CALL.search(text) if number in changed else None
        if match is None:
            continue
        call_text = _balanced(text[match.start():], [t for _, t in lines[index + 1 : index + 60]])
        try:
            expr = ast.parse(call_text.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            continue
        if isinstance(expr, ast.Call):
            yield from _call_ops(expr, number, number - 1, "")
    if name == "alembic":
        yield from _alembic_downgrade_lines(side)


def _balanced(first: str, more: list[str], limit: int = 20000) -> str:
    """Text from an opening call up to its closing paren (strings are not tracked: good
    enough for migration calls, and bounded)."""
    depth, out = 0, []
    for text in [first, *more]:
        for i, char in enumerate(text):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    out.append(text[: i + 1])
                    return "\n".join(out)
        out.append(text)
        if sum(map(len, out)) > limit:
            break
    return "\n".join(out)


def _empty_or_raising(body: list[ast.stmt]) -> str:
    if any(isinstance(stmt, ast.Raise) for stmt in body):
        return "raises"
    if all(isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
           for stmt in body):
        return "is empty"
    return ""


def _alembic_downgrade_ast(tree: ast.Module, changed: set[int], whole: bool) -> Iterator[Op]:
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "downgrade"]
    if not found:
        if whole:
            yield Op("irreversible", 1, "the revision has no downgrade(): it cannot be rolled back")
        return
    node = found[0]
    end = node.end_lineno or node.lineno
    if not whole and not changed.intersection(range(node.lineno, end + 1)):
        return
    state = _empty_or_raising(node.body)
    if state:
        yield Op("irreversible", node.lineno, f"downgrade() {state}: the revision cannot be rolled back")


def _alembic_downgrade_lines(side: NewSide) -> Iterator[Op]:
    """The same check on a fragment that does not parse: the shown body of `def downgrade`."""
    lines = side.numbered()
    for index, (number, text) in enumerate(lines):
        if not re.match(r"def\s+downgrade\s*\(", text):
            continue
        body: list[tuple[int, str]] = []
        previous = number
        for more_number, more in lines[index + 1:]:
            if more_number != previous + 1:
                return  # a gap: the body is not fully shown
            previous = more_number
            if more.strip() and not more[:1].isspace():
                break
            body.append((more_number, more))
        if not side.added.intersection([number, *(n for n, _ in body)]):
            return
        code = [t.split("#", 1)[0].strip() for _, t in body]
        code = [c for c in code if c]
        if any(c.startswith("raise") for c in code):
            yield Op("irreversible", number, "downgrade() raises: the revision cannot be rolled back")
        elif all(c in ("pass", "...") or c[:1] in ("'", '"') for c in code):
            yield Op("irreversible", number, "downgrade() is empty: the revision cannot be rolled back")
        return


# --- other code migrations: Rails, Knex, Sequelize, TypeORM, Laravel, EF Core, Ecto, Liquibase --

_Q = r"""['"`:]?"""
_ID = r"(?P<{}>[\w.]{{1,128}})"
_CODE_OPS: tuple[tuple[str, Lazy, str], ...] = tuple(
    (kind, lazy(rx), message) for kind, rx, message in (
        # Rails (strong_migrations' checks)
        ("drop-column", rf"^\s*remove_column\s*\(?\s*{_Q}{_ID.format('table')}['\"]?\s*,\s*{_Q}{_ID.format('column')}",
         "remove_column {table}.{column}"),
        ("drop-column", rf"^\s*remove_(?:columns|timestamps)\s*\(?\s*{_Q}{_ID.format('table')}", "removes columns of {table}"),
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
        ("drop-column", rf"\.(?:removeColumn|dropColumns?)\(\s*['\"`]{_ID.format('table')}['\"`]\s*,\s*['\"`]{_ID.format('column')}",
         "drops column {table}.{column}"),
        ("drop-column", rf"\b(?:table|t)\.dropColumns?\(\s*['\"`]{_ID.format('column')}['\"`]\s*[,)]", "dropColumn {column}"),
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
        ("drop-column", rf"(?:<dropColumn\b|dropColumn:)[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}",
         "dropColumn on {table}"),
        ("data-loss", rf"(?:<delete\b|-\s*delete:)[^>]{{0,300}}?tableName[=:]\s*['\"]?{_ID.format('table')}",
         "delete from {table}"),
    ))
_SUFFIX = {"drop-table": TABLE_GONE, "drop-column": COLUMN_GONE,
           "data-loss": "the rows do not come back", "irreversible": ""}

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
        for kind, rx, template in _CODE_OPS:
            if kind != "irreversible" and number in side.down:
                continue
            match = rx.search(window)
            if match is None or match.start() >= len(text):
                continue
            message = template.format(**{k: v for k, v in match.groupdict().items() if v})
            suffix = _SUFFIX[kind]
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

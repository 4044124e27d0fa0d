"""Django and Alembic migrations, read with `ast`. A file that does not parse (a fragment of an
edited file shown with gaps, or broken code) falls back to parsing each changed call on its own,
and to reading the shown body of `downgrade()` line by line."""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from guard.model import FileChange, Status
from guard.rules import sql
from guard.rules.migration_files import NewSide
from guard.rules.migration_ops import COLUMN_GONE, TABLE_GONE, Op
from guard.rules.patterns import lazy


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
    elif fname in ("execute", "exec_driver_sql") and owner in ("op", "connection", "bind", "conn", "cursor",
                                                               "schema_editor"):
        yield from _sql_ops(_strings(call.args[0] if call.args else None, offset))


def _sql_ops(lines: list[tuple[int, str]]) -> Iterator[Op]:
    for line, found in sql.analyze_lines(lines, {number for number, _ in lines}):
        yield Op(found.kind, line, found.message)


class _Visitor(ast.NodeVisitor):
    def __init__(self, changed: set[int]) -> None:
        self.changed = changed
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


def python_ops(change: FileChange, name: str, side: NewSide) -> Iterator[Op]:
    changed = set(side.added)
    try:
        tree = ast.parse(side.text())
    except (SyntaxError, ValueError):
        tree = None
    if tree is not None:
        visitor = _Visitor(changed)
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

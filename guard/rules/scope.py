"""Declared scope: where a task is meant to work (`--scope GLOB`, `scope = [...]`), and every
edit outside it."""
from __future__ import annotations

from collections.abc import Iterator

from guard.globs import matches_any
from guard.model import FileChange, Level, Question, Status
from guard.rules import Context, Hit, Rule

SCOPE_UNDECLARED = Rule(
    "scope-undeclared", "scope", Question.CARE, Level.ASK,
    "edits a file outside the declared scope",
    """## What it does
When a scope is declared, asks for every file the change edits, adds, deletes or renames outside
it. Without a declared scope the rule does nothing. A rename counts when either side is outside.

## Why it matters
An agent given a task in one place that edits another has wandered: the human expected a change
in `src/client/` and would want to know about the edit to `deploy/`.

## Example
`guard diff --scope 'src/client/**'` on a change that also edits `setup.cfg` →
`edits setup.cfg, outside the declared scope (src/client/**)`.

## Options
Declare the scope per run with `--scope GLOB` (repeatable; `guard diff`, `guard hook`) or for the
project with `scope = ["src/client/**", "tests/client/**"]`; both add up. Patterns are
gitignore-style; a `!pattern` excludes. `rules.scope-undeclared = "report"` to be told instead.""",
)
RULES = (SCOPE_UNDECLARED,)


def in_scope(path: str, scope: tuple[str, ...]) -> bool:
    include = [p for p in scope if not p.startswith("!")]
    exclude = [p[1:] for p in scope if p.startswith("!")]
    return matches_any(path, include) and not matches_any(path, exclude)


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    scope = context.config.scope
    if not scope:
        return
    # A rename edits both places; a copy leaves its source untouched.
    paths = [change.old_path, change.path] if change.status is Status.RENAMED else [change.path]
    outside = [p for p in paths if not in_scope(p, scope)]
    if not outside:
        return
    verb = {Status.ADDED: "adds", Status.DELETED: "deletes", Status.RENAMED: "renames"}.get(change.status, "edits")
    what = f"{change.old_path} -> {change.path}" if change.status is Status.RENAMED else change.path
    declared = ", ".join(scope)
    yield Hit(SCOPE_UNDECLARED, change.path, None, f"{verb} {what}, outside the declared scope ({declared})")

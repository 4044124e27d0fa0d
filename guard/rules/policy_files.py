"""Guard's own policy: its config, the hooks that run it, and the CI steps that call it. An
agent that edits these can switch the guard off for itself, so a human always looks."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from guard.model import FileChange, Level, Line, Question
from guard.rules import Context, Hit, Rule
from guard.rules.outbound import ci_platform
from guard.rules.pathsets import PathSet
from guard.rules.patterns import lazy

HOOK_PATHS = PathSet(".pre-commit-config.yaml", ".pre-commit-config.yml", ".pre-commit-hooks.yaml", "/hooks/**",
              ".githooks/**", ".git-hooks/**", ".hooks/**", ".husky/**", "lefthook.yml", "lefthook.yaml",
              ".lefthook.yml", ".lefthook.yaml", "lefthook-local.yml", ".overcommit.yml")
_HOOKS_PATH = lazy(r"core\.hooksPath", re.I)
# Where a hooks path gets set for real (not docs or code that merely mentions it).
_SETUP_FILES = PathSet("package.json", "Makefile", "*.mk", "justfile", "Justfile", "*.sh", "*.bash", "*.zsh",
                ".gitconfig", "*.gitconfig", "scripts/**", "bin/**", "*.yml", "*.yaml", "*.toml", ".envrc")
_GUARD = lazy(r"\bguard\b(?![-_.]?rails?\b)", re.I)
_OPTIONS = """## Options
The level can be lowered with `rules.{id}`, but that edit is itself a `policy-config` finding:
the config that judges a change is always the committed one from before it."""

CONFIG = Rule(
    "policy-config", "policy", Question.CARE, Level.ASK,
    "guard's own config changes (.guard.toml, [tool.guard])",
    """## What it does
Asks when `.guard.toml` is added, edited or deleted, or when a `pyproject.toml` edit touches the
`[tool.guard]` table (other tables, such as `[tool.ruff]`, do not count).

## Why it matters
The config decides what guard lets through. A change that also loosens the rules judging it
would approve itself; guard judges it by the committed config and asks a human.

## Example
`+[rules]` / `+dependency-manifest = "off"` in `.guard.toml` →
`.guard.toml: edits guard's own config (applies from the next change on)`.

""" + _OPTIONS.format(id="policy-config"),
)
HOOKS = Rule(
    "policy-hooks", "policy", Question.CARE, Level.ASK,
    "hook wiring changes (.pre-commit-config.yaml, hooks/, husky, lefthook, core.hooksPath)",
    """## What it does
Asks when `.pre-commit-config.yaml`, `.pre-commit-hooks.yaml`, the `hooks/` folder, `.githooks/`,
`.husky/`, lefthook or overcommit config changes, or when any file adds a `core.hooksPath`
setting.

## Why it matters
Hooks are where guard runs. Removing or skipping one turns the check off without anyone noticing.

## Example
`-  - id: guard` in `.pre-commit-config.yaml` → `.pre-commit-config.yaml: removes guard from the
hooks`; any other edit there → `.pre-commit-config.yaml: edits hook configuration (where guard runs)`.

""" + _OPTIONS.format(id="policy-hooks"),
)
CI_STEP = Rule(
    "policy-ci", "policy", Question.CARE, Level.ASK,
    "a CI line that runs guard is added, changed or removed",
    """## What it does
Asks when a changed line of a CI/CD file (any platform `outbound-ci` knows) mentions `guard`:
the step that runs it, its arguments, its approval label.

## Why it matters
The CI step is the last line of defence for changes that skipped the local hooks.

## Example
`-      - run: guard ci` in `.github/workflows/ci.yml` →
`.github/workflows/ci.yml: removes a CI line that runs guard`, on the line it was.

""" + _OPTIONS.format(id="policy-ci"),
)
RULES = (CONFIG, HOOKS, CI_STEP)


def _reader(context: Context) -> Callable[[str], str | None]:
    read = context.extra.get("read_new")
    return read if callable(read) else (lambda path: None)


def _tool_guard_line(change: FileChange, context: Context) -> Line | None:
    """The first changed line inside `[tool.guard]` (or one of its sub-tables), if any."""
    from guard.rules.sections import UNKNOWN, changed_paths  # only for a pyproject.toml

    text = None if change.status == "deleted" else _reader(context)(change.path)
    for line, path in changed_paths(change, "toml", text):
        known = path if not path.startswith(UNKNOWN) else ""
        if known == "tool.guard" or known.startswith("tool.guard.") or "[tool.guard" in line.text:
            return line
    return None


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    path = change.path
    name = path.rsplit("/", 1)[-1]
    verb = {"added": "adds", "deleted": "deletes"}.get(change.status.value, "edits")
    if name == ".guard.toml":
        yield Hit(CONFIG, path, None, f"{path}: {verb} guard's own config (applies from the next change on)")
    elif name == "pyproject.toml":
        line = _tool_guard_line(change, context)
        if line is not None:
            yield Hit(CONFIG, path, line.place,
                      f"{path}: {verb} [tool.guard], guard's own config (applies from the next change on)")
    if HOOK_PATHS.matches(path):
        gone = [l for l in change.lines if l.kind == "-" and _GUARD.search(l.text)]
        kept = any(l.kind == "+" and _GUARD.search(l.text) for l in change.lines)
        what = "removes guard from the hooks" if gone and not kept else f"{verb} hook configuration (where guard runs)"
        yield Hit(HOOKS, path, None, f"{path}: {what}")
    elif _SETUP_FILES.matches(path):
        wiring = next((l for l in change.lines if l.kind == "+" and _HOOKS_PATH.search(l.text)), None)
        if wiring is not None:
            yield Hit(HOOKS, path, wiring.number, f"{path}: sets where git looks for hooks (core.hooksPath)")
    if ci_platform(path) is not None:
        lines = [l for l in change.lines if l.kind in "+-" and _GUARD.search(l.text)]
        if lines:
            what = "removes" if all(l.kind == "-" for l in lines) else "adds or changes"
            yield Hit(CI_STEP, path, lines[0].place, f"{path}: {what} a CI line that runs guard")

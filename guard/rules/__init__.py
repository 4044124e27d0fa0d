"""The rule catalogue. A rule is metadata plus a check: pure functions over one file change
(`check_file`) or the whole change (`check_changeset`) that yield hits; levels come from config."""

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from types import MappingProxyType, ModuleType
from typing import NamedTuple

from guard.config import Config
from guard.model import ChangeSet, FileChange, Level, Question, Stats


class Rule(NamedTuple):
    id: str
    category: str
    question: Question
    level: Level
    summary: str
    doc: str = ""


class Hit(NamedTuple):
    rule: Rule
    path: str
    line: int | None
    message: str


class Context(NamedTuple):
    """What rules may know beyond the diff, gathered by the command layer before they run."""

    config: Config
    stats: Stats | None = None
    extra: Mapping[str, object] = MappingProxyType({})


def rule_doc(what: str, why: str, example: str, options: str) -> str:
    """A rule's documentation in the four sections `guard explain` prints."""
    return (f"## What it does\n{what}\n\n## Why it matters\n{why}\n\n## Example\n{example}\n\n"
            f"## Options\n{options}")


FileCheck = Callable[[FileChange, Context], Iterable[Hit]]
SetCheck = Callable[[ChangeSet, Context], Iterable[Hit]]


@cache
def _modules() -> tuple[ModuleType, ...]:
    # Imported here, not at the top: the rule modules import this one for Rule and Hit.
    from guard.rules import (
        deletion,
        dependencies,
        gitignore,
        hygiene,
        infra,
        messaging,
        migrations,
        outbound,
        ownership,
        policy_files,
        scope,
        secrets,
        sensitive,
        size,
        weakened_tests,
    )

    return (size, deletion, scope, migrations, secrets, gitignore, weakened_tests, outbound, infra,
            messaging, dependencies, ownership, policy_files, sensitive, hygiene)


@cache
def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for module in _modules() for rule in module.RULES)


@cache
def rule_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in all_rules())


@cache
def file_checks() -> tuple[FileCheck, ...]:
    return tuple(m.check_file for m in _modules() if hasattr(m, "check_file"))


@cache
def changeset_checks() -> tuple[SetCheck, ...]:
    return tuple(m.check_changeset for m in _modules() if hasattr(m, "check_changeset"))

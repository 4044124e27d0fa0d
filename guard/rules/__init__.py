"""The rule catalogue. A rule is metadata plus a check: pure functions over one file change
(`check_file`) or the whole change (`check_changeset`) that yield hits; levels come from config."""
from __future__ import annotations

from typing import NamedTuple

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from types import ModuleType

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


FileCheck = Callable[[FileChange, Context], Iterable[Hit]]
SetCheck = Callable[[ChangeSet, Context], Iterable[Hit]]


def _modules() -> tuple[ModuleType, ...]:
    from guard.rules import (deletion, dependencies, hygiene, infra, messaging, migrations,
                             outbound, ownership, policy_files, scope, secrets, sensitive, size,
                             weakened_tests)

    return (size, deletion, scope, migrations, secrets, weakened_tests, outbound, infra,
            messaging, dependencies, ownership, policy_files, sensitive, hygiene)


def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for module in _modules() for rule in module.RULES)


def rule_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in all_rules())


def file_checks() -> Iterator[FileCheck]:
    for module in _modules():
        check = getattr(module, "check_file", None)
        if check is not None:
            yield check


def changeset_checks() -> Iterator[SetCheck]:
    for module in _modules():
        check = getattr(module, "check_changeset", None)
        if check is not None:
            yield check

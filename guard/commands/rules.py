"""`guard rules`: the catalogue, one rule per line, id first (for people and for grep)."""
from __future__ import annotations

import argparse

from guard.rules import all_rules


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    subparsers.add_parser("rules", help="list every rule, one per line")


def run(args: argparse.Namespace) -> int:
    for rule in all_rules():
        print(f"{rule.id:<28} {rule.level:<6} {rule.category:<10} {rule.question:<10} {rule.summary}")
    return 0

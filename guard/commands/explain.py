"""`guard explain RULE`: a rule's documentation (What it does / Why it matters / Example / Options)."""
from __future__ import annotations

import argparse
import difflib

from guard.errors import GuardError
from guard.rules import all_rules


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("explain", help="print a rule's documentation")
    parser.add_argument("rule", metavar="RULE")


def run(args: argparse.Namespace) -> int:
    rules = {rule.id: rule for rule in all_rules()}
    rule = rules.get(args.rule)
    if rule is None:
        close = difflib.get_close_matches(args.rule, list(rules), n=1)
        hint = f'did you mean "{close[0]}"?' if close else "run `guard rules` for the list"
        raise GuardError(f"no rule named {args.rule!r}", hint)
    print(f"# {rule.id}\n\ncategory: {rule.category} · question: {rule.question} · "
          f"default level: {rule.level}\n\n{rule.summary}\n\n{rule.doc}")
    return 0

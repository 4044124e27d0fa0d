"""`guard rules` and `guard explain RULE`: the catalogue, for people and for scripts."""
from __future__ import annotations

import difflib

from guard.errors import GuardError
from guard.rules import all_rules


def list_rules() -> int:
    for rule in all_rules():
        print(f"{rule.id:<28} {rule.level:<6} {rule.category:<10} {rule.question:<10} {rule.summary}")
    return 0


def explain(rule_id: str) -> int:
    rules = {rule.id: rule for rule in all_rules()}
    rule = rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(rules), n=1)
        hint = f'did you mean "{close[0]}"?' if close else "run `guard rules` for the list"
        raise GuardError(f"no rule named {rule_id!r}", hint)
    print(f"# {rule.id}\n\ncategory: {rule.category} · question: {rule.question} · "
          f"default level: {rule.level}\n\n{rule.summary}\n\n{rule.doc}")
    return 0

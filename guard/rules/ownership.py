"""Ownership: files CODEOWNERS gives to someone other than the change's author, and edits to
CODEOWNERS itself. The committed CODEOWNERS (at the config revision) and the author's
identities come from the command layer through Context.extra."""
from __future__ import annotations

from collections.abc import Iterator

from guard.codeowners import LOCATIONS, CodeOwners
from guard.model import FileChange, Level, Question
from guard.rules import Context, Hit, Rule
from guard.words import counted, fold

OWNED = Rule(
    "codeowners-owned", "ownership", Question.OTHERS, Level.ASK,
    "a file CODEOWNERS gives to someone other than the author",
    """## What it does
Reads the committed CODEOWNERS (`.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, then
`.gitlab/CODEOWNERS`) at the revision whose config applies, and asks for every changed file
whose owners do not include the author. Patterns follow GitHub/GitLab: gitignore-like, the last
matching line wins; in GitLab sections each required section adds its owners, optional
(`^[Section]`) sections do not ask, and an entry without owners takes the section's defaults.

The author is the committing identity (`git var GIT_AUTHOR_IDENT` for staged changes, the
commits' author e-mails for a commit or range; GitHub noreply e-mails also count as `@login`)
plus the handles listed in `[ownership] me`.

## Why it matters
The owners are the people who answer for that code. A change they have not seen reaches them
anyway, at review time or in production.

## Example
`src/billing/invoice.py @acme/billing` in CODEOWNERS, author alice →
`src/billing/invoice.py is owned by @acme/billing (CODEOWNERS line 4)`.

## Options
```toml
[ownership]
me = ["@alice", "@acme/platform", "alice@example.com"]   # handles and teams you act for
```
`rules.codeowners-owned = "report"` to be told instead of asked. From a bare `--patch` outside a
repository there is no CODEOWNERS to read, so this rule cannot fire.""",
)
EDITED = Rule(
    "codeowners-edited", "ownership", Question.OTHERS, Level.ASK,
    "CODEOWNERS itself changes: who must review changes",
    """## What it does
Asks when any CODEOWNERS file (`CODEOWNERS`, `.github/`, `docs/`, `.gitlab/`) is added,
edited or deleted, and says how many owner lines were added and removed.

## Why it matters
CODEOWNERS decides who is asked to review. Removing a line or the `*` rule quietly takes
people out of the loop, including for this very change.

## Example
`-/infra/ @acme/sre` → `edits CODEOWNERS, which decides who reviews: 1 owner line removed (/infra/)`.

## Options
`rules.codeowners-edited = "report"`; per path with `[[overrides]]`.""",
)
RULES = (OWNED, EDITED)


def _edited(change: FileChange) -> Hit:
    def entries(kind: str) -> list[str]:
        return [line.text.split()[0] for line in change.lines
                if line.kind == kind and line.text.strip() and not line.text.lstrip().startswith("#")]

    added, removed = entries("+"), entries("-")
    parts = []
    if added:
        parts.append(f"{counted(len(added), 'owner line')} added ({fold(added, 3)})")
    if removed:
        parts.append(f"{counted(len(removed), 'owner line')} removed ({fold(removed, 3)})")
    verb = {"added": "adds", "deleted": "deletes"}.get(str(change.status), "edits")
    detail = f": {'; '.join(parts)}" if parts else ""
    return Hit(EDITED, change.path, None, f"{verb} {change.path}, which decides who reviews{detail}")


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.path in LOCATIONS or change.old_path in LOCATIONS:
        yield _edited(change)
    codeowners = context.extra.get("codeowners")
    if not isinstance(codeowners, CodeOwners):
        return
    me = context.extra.get("me", frozenset())
    assert isinstance(me, frozenset)
    paths = dict.fromkeys(p for p in (change.old_path, change.path) if p)
    for path in paths:
        # In GitLab every required section must approve: one owned by others is enough to ask.
        found = [m for m in codeowners.owners_of(path) if not any(o.lower() in me for o in m.owners)]
        if not found:
            continue
        where = ", ".join(
            f"{' '.join(m.owners)} ({codeowners.path} line {m.line}{', section ' + m.section if m.section else ''})"
            for m in found)
        yield Hit(OWNED, change.path, None, f"{path} is owned by {where}")
        return

"""Sensitive paths: the project's governance files by default, plus what the team marks."""
from __future__ import annotations

import re
from collections.abc import Iterator

from guard.globs import matches
from guard.model import FileChange, Level, Question
from guard.rules import Context, Hit, Rule
from guard.rules.patterns import lazy

_DOC = r"(\.(md|markdown|txt|rst|adoc|org|html))?"
# LICENSE, LICENSE-MIT, LICENSE.APACHE2, COPYING.LESSER, NOTICE.txt; not license.py or licenses.json.
_GOVERNANCE = (
    (lazy(r"^(licen[cs]e|copying|unlicense)([._-][\w.-]*)?$", re.I), "the licence"),
    (lazy(r"^notice([._-][\w.-]*)?$", re.I), "the NOTICE file"),
    (lazy(rf"^security{_DOC}$", re.I), "the security policy"),
    (lazy(rf"^code[_-]of[_-]conduct{_DOC}$", re.I), "the code of conduct"),
    (lazy(r"^funding\.ya?ml$", re.I), "the funding file"),
)

GOVERNANCE = Rule(
    "sensitive-governance", "sensitive", Question.CARE, Level.ASK,
    "a governance file changes: licence, NOTICE, security policy, code of conduct",
    """## What it does
Asks when LICENSE/LICENCE*, COPYING*, NOTICE*, UNLICENSE, SECURITY.md (at the root, in
`.github/` or `docs/`), `security.txt`, CODE_OF_CONDUCT* or FUNDING.yml is added, edited or deleted.

## Why it matters
A licence or a security contact changes things for everyone who uses the project: what they
may do with it, and where vulnerabilities get reported.

## Example
`LICENSE` edited → `LICENSE: edits the licence`.

## Options
`rules.sensitive-governance = "report"`, or `[[overrides]]` for a path such as a vendored
package's LICENSE.""",
)
CONFIGURED = Rule(
    "sensitive-path", "sensitive", Question.CARE, Level.ASK,
    "a path the team marked sensitive in config (`sensitive = [...]`)",
    """## What it does
Asks when a changed file matches a pattern in `sensitive = [...]` (gitignore-style; a
`!pattern` excludes and beats any inclusion). Names the pattern that matched.

## Why it matters
Every team has code where a small mistake costs a lot: authentication, payments, permissions,
data retention. Marking it makes guard ask whoever wrote the change.

## Example
`sensitive = ["src/auth/**", "billing/", "!billing/docs/"]` and an edit to
`src/auth/session.py` → `src/auth/session.py is marked sensitive (src/auth/**)`.

## Options
```toml
sensitive = ["src/auth/**", "payments/", "!payments/README.md"]
```""",
)
RULES = (GOVERNANCE, CONFIGURED)


_NOT_GOVERNANCE = frozenset({"py", "js", "mjs", "ts", "tsx", "jsx", "go", "rb", "rs", "java", "kt", "php", "cs",
                             "c", "h", "cpp", "swift", "json", "yml", "yaml", "toml", "csv", "xml", "sql", "css",
                             "scss", "vue", "svelte", "ex", "exs", "erb", "jinja", "j2", "tmpl", "tpl"})


def governance_kind(name: str) -> str | None:
    """What governance file `name` is, if any (`notice_board.py` is code, not a NOTICE)."""
    if "." in name and name.rsplit(".", 1)[1].lower() in _NOT_GOVERNANCE and not name.lower().startswith("funding"):
        return None
    return next((what for pattern, what in _GOVERNANCE if pattern.match(name)), None)


def configured_match(path: str, patterns: tuple[str, ...]) -> str | None:
    """The pattern that marks `path` sensitive, unless a `!pattern` excludes it."""
    if any(p.startswith("!") and matches(path, p[1:]) for p in patterns):
        return None
    return next((p for p in patterns if not p.startswith("!") and matches(path, p)), None)


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    kind = governance_kind(change.name)
    if kind is not None:
        verb = {"added": "adds", "deleted": "deletes"}.get(str(change.status), "edits")
        yield Hit(GOVERNANCE, change.path, None, f"{change.path}: {verb} {kind}")
    pattern = configured_match(change.path, context.config.sensitive)
    if pattern is not None:
        yield Hit(CONFIGURED, change.path, None, f"{change.path} is marked sensitive ({pattern})")

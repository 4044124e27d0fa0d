"""Report-level hygiene: binary files, new lint/type suppressions, permission changes. Worth
telling the human afterwards; not worth stopping for."""
from __future__ import annotations

from collections.abc import Iterator

from guard.hunks import joined, new_lines, normalized
from guard.model import FileChange, Level, Question, Status
from guard.paths import is_docs
from guard.rules import Context, Hit, Rule
from guard.rules.gates import Gate
from guard.rules.patterns import lazy

BINARY_FILE = Rule(
    "binary-file", "binary", Question.CARE, Level.REPORT,
    "a binary file is added or changed",
    """## What it does
Reports each binary file the change adds or modifies (images, archives, compiled artefacts,
databases). Deleted binaries are `file-deleted`.

## Why it matters
Nobody reviews a binary in a diff: it could be anything, it bloats history for good, and
generated artefacts committed by mistake are common.

## Example
`docs/img/architecture.png` added → `adds a binary file docs/img/architecture.png`.

## Options
`rules.binary-file = "ship"` to stay silent; `"ask"` to stop for them; per path with
`[[overrides]]` (e.g. `paths = ["assets/"]`, `rules = { binary-file = "ship" }`).""",
)
LINT_SUPPRESSION = Rule(
    "lint-suppression", "tests", Question.CARE, Level.REPORT,
    "a new lint or type-check suppression",
    """## What it does
Reports added lines that silence a linter or type checker: `# noqa`, `# type: ignore`,
`# pyright: ignore`, `# pylint: disable`, `# nosec`, `# mypy: ignore-errors`, `eslint-disable`,
`@ts-ignore`, `@ts-expect-error`, `@ts-nocheck`, `//nolint`, `#[allow(...)]`,
`@SuppressWarnings`, `NOSONAR`, `rubocop:disable`, `phpcs:ignore`, `@phpstan-ignore`,
`#pragma warning disable`, `swiftlint:disable`. A suppression that only moved is not reported;
documentation files are not read.

## Why it matters
A suppression makes a check pass by not checking. Sometimes that is right, but it is the kind
of shortcut a human wants to know was taken.

## Example
`result = client.fetch()  # type: ignore[attr-defined]` → `adds a suppression (# type: ignore)`.

## Options
`rules.lint-suppression = "ship"` or `"ask"`; per path with `[[overrides]]`.""",
)
MODE_CHANGE = Rule(
    "mode-change", "sensitive", Question.CARE, Level.REPORT,
    "a file's permissions or type change (e.g. made executable)",
    """## What it does
Reports a change of a file's git mode: made executable (`100644` → `100755`), no longer
executable, or turned into or out of a symlink.

## Why it matters
An executable bit decides what can run (hooks, scripts, CI steps); a file turned into a
symlink can point anywhere. Neither shows up as a changed line.

## Example
`chmod +x scripts/deploy.sh` → `makes scripts/deploy.sh executable (100644 → 100755)`.

## Options
`rules.mode-change = "ship"` to stay silent, `"ask"` to stop for it.""",
)
RULES = (BINARY_FILE, LINT_SUPPRESSION, MODE_CHANGE)

_SUPPRESSION = (
    r"#\s*(?P<a>noqa\b|type:\s*ignore\b|pyright:\s*ignore\b|pylint:\s*disable\b|nosec\b|mypy:\s*ignore-errors\b"
    r"|rubocop:disable\b|!\[allow\(|\[allow\(|pragma\s+warning\s+disable\b)"
    r"|(?P<b>eslint-disable(?:-next-line|-line)?\b|@ts-ignore\b|@ts-expect-error\b|@ts-nocheck\b|//\s*nolint\b"
    r"|@SuppressWarnings\b|NOSONAR\b|phpcs:ignore\b|@phpstan-ignore\S*|swiftlint:disable\b|biome-ignore\b)")
_SUPPRESSIONS = lazy(_SUPPRESSION)


# Bytes every suppression contains: a file whose diff has none of them is not decoded.
_SUPPRESSION_GATE = Gate((b"noqa", b"ignore", b"disable", b"nosec", b"allow(", b"@ts-", b"nolint",
                          b"SuppressWarnings", b"NOSONAR"))


_SUPPRESSIONS_BYTES = lazy(_SUPPRESSION.encode())


def _mode(mode: str) -> str:
    return {"100755": "executable", "100644": "a regular file", "120000": "a symlink",
            "160000": "a submodule"}.get(mode, mode)


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    path = change.path
    if change.binary and change.status is not Status.DELETED:
        verb = "adds" if change.status is Status.ADDED else "changes"
        yield Hit(BINARY_FILE, path, None, f"{verb} a binary file {path}")
    if change.mode_changed and change.status is not Status.DELETED:
        old, new = change.old_mode, change.new_mode
        if new == "100755" and old == "100644":
            what = f"makes {path} executable"
        elif old == "100755" and new == "100644":
            what = f"makes {path} no longer executable"
        else:
            what = f"turns {path} from {_mode(old)} into {_mode(new)}"
        yield Hit(MODE_CHANGE, path, None, f"{what} ({old} → {new})")
    if change.binary or is_docs(path) or not _SUPPRESSION_GATE.in_added(change.body):
        return
    if _SUPPRESSIONS_BYTES.search_bytes(change.body) is None:
        return  # "ignore" and "disable" are common words: confirm on the raw text before decoding
    added = change.added_lines()
    all_added = joined(added)
    found = {all_added.line_at(m.start()): m for m in reversed(list(_SUPPRESSIONS.finditer(all_added.text)))}
    for index in new_lines(added, change.removed_lines(), found):
        marker = normalized(found[index].group()).rstrip("(")
        yield Hit(LINT_SUPPRESSION, path, added[index].number, f"adds a suppression ({marker})")

"""Deletions: a deleted file is gone from the next checkout; a rename is not a deletion."""
from __future__ import annotations

from collections.abc import Iterator

from guard.model import FileChange, Level, Question, Status
from guard.paths import is_test
from guard.rules import Context, Hit, Rule

DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".parquet", ".sqlite", ".sqlite3", ".db",
                 ".xlsx", ".xml", ".yaml", ".yml", ".dump", ".bak")

FILE_DELETED = Rule(
    "file-deleted", "deletion", Question.REVERSIBLE, Level.ASK,
    "a file is deleted",
    """## What it does
Asks when the change deletes a file, a symlink or a submodule. A rename (`git mv`, or a
delete and add that git pairs as a rename) is not a deletion. Deleted test files and data files
are named as such.

## Why it matters
git can bring a file back, but people and systems that relied on it break first, and data
files deleted by an agent are often not recoverable from anywhere else (generated, ignored or
LFS content). A deletion is a decision a human should see.

## Example
`git rm src/legacy/importer.py` → `deletes src/legacy/importer.py (212 lines)`.

## Options
`rules.file-deleted = "report"` to be told instead of asked; per path with `[[overrides]]`.""",
)
RULES = (FILE_DELETED,)


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.status is not Status.DELETED:
        return
    path = change.path
    if change.is_submodule:
        what = f"removes the submodule {path}"
    elif change.is_symlink:
        what = f"deletes the symlink {path}"
    elif is_test(path):
        what = f"deletes the test file {path} ({change.removed} lines of tests)"
    elif path.lower().endswith(DATA_SUFFIXES) or "/data/" in f"/{path}":
        what = f"deletes the data file {path}"
    elif change.binary:
        what = f"deletes the binary file {path}"
    else:
        what = f"deletes {path} ({change.removed} line{'' if change.removed == 1 else 's'})"
    yield Hit(FILE_DELETED, path, None, what)

"""The values guard passes around: a parsed change, what the rules found, and the verdict.

Immutable values are NamedTuples rather than frozen dataclasses: a hook runs on every commit,
and importing dataclasses plus building each class cost ~20 ms of a ~60 ms budget (measured
with -X importtime), where NamedTuples cost a tenth of that. Their annotations are evaluated
(no `from __future__ import annotations` here, nor in the other modules that build NamedTuples
unless they need a forward reference): typing compiles each string annotation into a
ForwardRef, which doubles what building the classes costs."""

import enum
from typing import NamedTuple


class Level(enum.StrEnum):
    """How strongly guard wants a human: the three verdicts, plus `off` for a silenced rule."""

    OFF = "off"
    SHIP = "ship"
    REPORT = "report"
    ASK = "ask"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.OFF: -1, Level.SHIP: 0, Level.REPORT: 1, Level.ASK: 2}


class Question(enum.StrEnum):
    """The three questions a careful colleague asks before acting alone."""

    REVERSIBLE = "reversible"
    OTHERS = "others"
    CARE = "care"


QUESTION_TEXT = {
    Question.REVERSIBLE: "Can it be undone?",
    Question.OTHERS: "Does it affect other people?",
    Question.CARE: "Would you care about the details?",
}


class Status(enum.StrEnum):
    ADDED = "added"
    DELETED = "deleted"
    MODIFIED = "modified"
    RENAMED = "renamed"
    COPIED = "copied"


class Line(NamedTuple):
    """One added (`+`), removed (`-`) or context (` `) line; `number` is in the file it lives in
    (the old file, for a removed line), `at` where a removed line was in the new file."""

    kind: str
    number: int
    text: str
    at: int = 0

    @property
    def place(self) -> int | None:
        """The line a finding points at: in the new file, as annotations and a reviewer read it
        (None: a line of a deleted file)."""
        return self.number if self.kind != "-" else self.at or None


class Hunk(NamedTuple):
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str


class FileChange(NamedTuple):
    """One file's change. Counts are exact; `body` holds what rules read and is dropped after."""

    path: str
    old_path: str
    status: Status
    added: int = 0
    removed: int = 0
    old_mode: str = ""
    new_mode: str = ""
    binary: bool = False
    similarity: int | None = None
    hunks: tuple[Hunk, ...] = ()
    body: bytes = b""  # raw hunk text ("@@" headers and +/-/space lines), up to a size cap
    symbols: tuple[str, ...] = ()
    lines_dropped: int = 0  # lines counted but not kept in `body` (past the cap)
    says_generated: bool = False  # its first lines, where the diff shows them, say a tool wrote it

    @property
    def lines(self) -> tuple[Line, ...]:
        """The kept lines, decoded on first use (most files are never read line by line)."""
        from guard.hunks import lines_of

        return lines_of(self.body)

    @property
    def changed(self) -> int:
        return self.added + self.removed

    @property
    def name(self) -> str:
        """The file's name without its folders (posixpath.basename costs three times as much,
        and the rules ask for it some six times per file)."""
        return self.path.rpartition("/")[2]

    @property
    def is_submodule(self) -> bool:
        return "160000" in (self.old_mode, self.new_mode)

    @property
    def is_symlink(self) -> bool:
        return "120000" in (self.old_mode, self.new_mode)

    @property
    def mode_changed(self) -> bool:
        return bool(self.old_mode and self.new_mode and self.old_mode != self.new_mode)

    def added_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind == "+"]

    def removed_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind == "-"]


class Finding(NamedTuple):
    rule: str
    category: str
    question: Question
    level: Level
    path: str
    line: int | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "category": self.category,
            "question": str(self.question),
            "level": str(self.level),
            "path": self.path,
            "line": self.line,
            "message": self.message,
        }


class ChangeSet(NamedTuple):
    """Every file of one diff, stripped of line text once the file rules have read it."""

    files: tuple[FileChange, ...]
    source: str = ""

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def removed(self) -> int:
        return sum(f.removed for f in self.files)


class Stats(NamedTuple):
    files: int
    added: int
    removed: int
    changed_lines: int
    areas: tuple[str, ...]
    symbols: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...] = ()
    tests: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "added": self.added,
            "removed": self.removed,
            "changed_lines": self.changed_lines,
            "areas": list(self.areas),
            "symbols": list(self.symbols),
            "excluded": [{"path": p, "reason": r} for p, r in self.excluded],
        }


class Authorship(NamedTuple):
    ai: bool
    signals: tuple[str, ...] = ()
    assumed: bool = False


class Approval(NamedTuple):
    by: str
    at: str
    fingerprint: str


class Verdict(NamedTuple):
    level: Level
    summary: str
    stats: Stats
    findings: tuple[Finding, ...]
    changeset: ChangeSet
    authorship: Authorship = Authorship(ai=True, assumed=True)
    approval: Approval | None = None
    fingerprint: str = ""  # sha256 of the normalised patch (guard/fingerprint.py)

    @property
    def exit_code(self) -> int:
        return 1 if self.level is Level.ASK else 0

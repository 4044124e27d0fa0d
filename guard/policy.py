"""Findings, authorship and approval in; the verdict out. DESIGN.md's table, in code."""
from __future__ import annotations

from guard.config import Config
from guard.model import Approval, Authorship, ChangeSet, Finding, Level, Stats, Verdict
from guard.summary import summarize

_QUESTION_ORDER = {"reversible": 0, "others": 1, "care": 2}


def decide(
    changeset: ChangeSet,
    stats: Stats,
    findings: list[Finding],
    config: Config,
    authorship: Authorship,
    approval: Approval | None = None,
) -> Verdict:
    ordered = tuple(sorted(
        (f for f in findings if f.level is not Level.OFF),
        key=lambda f: (-f.level.rank, _QUESTION_ORDER[f.question], f.path, f.line or 0),
    ))
    level = max((f.level for f in ordered), key=lambda lv: lv.rank, default=Level.SHIP)
    if level is Level.ASK and config.applies_to == "ai" and not authorship.ai:
        level = Level.REPORT  # a human's change: inform, never block
    if level is Level.ASK and approval is not None:
        level = Level.REPORT  # a human approved exactly this diff
    else:
        approval = None
    return Verdict(
        level=level,
        summary=summarize(level, changeset, stats, ordered),
        stats=stats,
        findings=ordered,
        changeset=changeset,
        authorship=authorship,
        approval=approval,
    )

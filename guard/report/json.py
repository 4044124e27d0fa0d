"""`--format json`, version 1 (DESIGN.md). Stable keys; nothing truncated."""
from __future__ import annotations

import json

from guard.model import Verdict

VERSION = 1


def as_dict(verdict: Verdict) -> dict[str, object]:
    return {
        "version": VERSION,
        "verdict": str(verdict.level),
        "summary": verdict.summary,
        "stats": verdict.stats.as_dict(),
        "authorship": {"ai": verdict.authorship.ai, "signals": list(verdict.authorship.signals)},
        "findings": [finding.as_dict() for finding in verdict.findings],
        "approval": None if verdict.approval is None else {
            "by": verdict.approval.by, "at": verdict.approval.at,
            "fingerprint": verdict.approval.fingerprint,
        },
        "files": [
            {"path": change.path, "old_path": change.old_path if change.old_path != change.path else None,
             "status": str(change.status), "added": change.added, "removed": change.removed,
             "binary": change.binary}
            for change in verdict.changeset.files
        ],
    }


def format_json(verdict: Verdict) -> str:
    # surrogateescape'd bytes of non-UTF-8 names survive as \udcXX escapes, never a crash.
    # One line: json's C encoder only runs without `indent` (5x faster on a 3,000-file change).
    return json.dumps(as_dict(verdict)) + "\n"

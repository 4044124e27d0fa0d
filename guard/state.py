"""guard's own state in a repository: `$GIT_DIR/guard/approvals` and `$GIT_DIR/guard/journal.jsonl`
(JSON lines, append-only), in the folder a repository's worktrees share (Repo.state_dir). Never
the work tree, the index or refs: nothing here is committed."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

from guard.errors import GuardError
from guard.model import Approval, Level, Verdict

APPROVALS = "approvals"
JOURNAL = "journal.jsonl"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def path(git_dir: str, name: str) -> str:
    return os.path.join(git_dir, "guard", name)


def _append(git_dir: str, name: str, record: dict[str, object]) -> None:
    os.makedirs(os.path.join(git_dir, "guard"), exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    # One write of one line with O_APPEND: concurrent hooks do not interleave their records.
    fd = os.open(path(git_dir, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line.encode("utf-8", "surrogateescape"))
    finally:
        os.close(fd)


def read(git_dir: str, name: str) -> Iterator[dict[str, object]]:
    """The records of a state file; a torn or foreign line is skipped, not fatal."""
    try:
        handle = open(path(git_dir, name), encoding="utf-8", errors="replace")
    except OSError:
        return
    with handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def approvals(git_dir: str) -> dict[str, Approval]:
    """Every recorded approval by the fingerprint it binds (the latest, if one was recorded twice)."""
    found = {}
    for record in read(git_dir, APPROVALS):
        fingerprint = record.get("fingerprint")
        if isinstance(fingerprint, str) and fingerprint:
            found[fingerprint] = Approval(by=str(record.get("by", "")), at=str(record.get("at", "")),
                                          fingerprint=fingerprint)
    return found


def record_approval(git_dir: str, approval: Approval, rules: list[str]) -> None:
    record: dict[str, object] = {"fingerprint": approval.fingerprint, "by": approval.by,
                                 "at": approval.at, "rules": rules}
    try:
        _append(git_dir, APPROVALS, record)
    except OSError as error:
        raise GuardError(f"cannot record the approval in {path(git_dir, APPROVALS)}: {error.strerror}",
                         "check that the .git folder is writable") from None
    journal(git_dir, {"event": "approval", **record})


def journal(git_dir: str, record: dict[str, object]) -> bool:
    """Append to the journal; False (never an exception) when it cannot be written, because a
    verdict must not fail for want of a log line."""
    try:
        _append(git_dir, JOURNAL, {"at": now(), **record} if "at" not in record else record)
    except (OSError, ValueError):
        return False
    return True


def verdict_record(verdict: Verdict, command: str) -> dict[str, object]:
    return {
        "event": "verdict",
        "at": now(),
        "command": command,
        "source": verdict.changeset.source,
        "verdict": str(verdict.level),
        "fingerprint": verdict.fingerprint,
        "ai": verdict.authorship.ai,
        "signals": list(verdict.authorship.signals),
        "ask_rules": sorted({f.rule for f in verdict.findings if f.level is Level.ASK}),
        "report_rules": sorted({f.rule for f in verdict.findings if f.level is Level.REPORT}),
        "approved_by": verdict.approval.by if verdict.approval else None,
        "files": verdict.stats.files,
        "changed_lines": verdict.stats.changed_lines,
    }

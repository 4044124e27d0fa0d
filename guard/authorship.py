"""Who wrote a change: evidence of an AI agent, gathered at every moment guard runs.

Interface shared by the commands (diff, hook, log, ci). Detection is pure: callers pass the
environment, messages, identities and pull-request metadata they read.
"""
from __future__ import annotations

from typing import NamedTuple

from collections.abc import Iterable, Mapping

from guard.config import Config
from guard.model import Authorship


class CommitInfo(NamedTuple):
    sha: str
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    message: str
    note: str = ""  # git-ai note under refs/notes/ai, if any


class PullRequest(NamedTuple):
    author_login: str = ""
    author_type: str = ""  # GitHub's user.type: "User" or "Bot"
    head_ref: str = ""
    body: str = ""
    labels: tuple[str, ...] = ()


def from_environment(env: Mapping[str, str], config: Config | None = None) -> list[str]:
    """Signals from the committing process's environment (agent shells set variables)."""
    return [f"environment {name}={env[name]}" for name in ("CLAUDECODE",) if env.get(name)]


def from_message(message: str, config: Config | None = None) -> list[str]:
    """Signals from a commit message: trailers and "Generated with" lines."""
    return []


def from_commit(commit: CommitInfo, config: Config | None = None) -> list[str]:
    """Signals from one commit: identities, message, git-ai note."""
    return from_message(commit.message, config)


def from_pull_request(pr: PullRequest, config: Config | None = None) -> list[str]:
    """Signals from CI pull-request metadata: author login/type, head branch, body markers."""
    return []


def decide(signals: Iterable[str], *, assume_ai: bool = False, assume_human: bool = False) -> Authorship:
    if assume_human:
        return Authorship(ai=False, signals=("assumed human (--assume-human)",), assumed=True)
    if assume_ai:
        return Authorship(ai=True, signals=("assumed AI (--assume-ai)",), assumed=True)
    found = tuple(dict.fromkeys(signals))
    return Authorship(ai=bool(found), signals=found)

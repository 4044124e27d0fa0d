"""`guard hook pre-push` and `guard hook pre-receive`: judge what a push publishes, as a whole
and commit by commit (guard.commands.log.judge_range).

git gives both hooks one line per ref on stdin: pre-push `<local ref> <local sha> <remote ref>
<remote sha>`, pre-receive `<old sha> <new sha> <ref>`. A zero sha on the old side is a new
ref (judge the commits no other ref has), on the new side a deletion (nothing to judge). The
pre-commit framework reads pre-push's stdin itself and passes the range in PRE_COMMIT_* variables.
pre-receive runs in the receiving repository with git's quarantine variables set; guard runs git
normally there, so the pushed objects are visible and nothing is written.
"""

import argparse
import os
import sys
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from guard import state
from guard.commands.log import (
    Range,
    approve_at_terminal,
    between,
    judge_range,
    new_commits,
    render,
)
from guard.errors import GuardError
from guard.git import Repo
from guard.git import run as run_git

ZERO = "0" * 40


class Update(NamedTuple):
    ref: str
    old: str  # what the other side has ("" or zeros: nothing)
    new: str  # what it will have (zeros: the ref is deleted)


def _zero(sha: str) -> bool:
    return not sha or set(sha) == {"0"}


def _fields(lines: Iterable[str], count: int, hook: str, shape: str) -> list[list[str]]:
    """Each non-empty line's fields; a line of another shape is not something git wrote, and
    passing it by would let its push through unjudged."""
    rows = []
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        if len(parts) != count:
            raise GuardError(f"{hook} cannot read the line {line!r} on its stdin",
                             f"git gives `{shape}` per ref; run it from git, not by hand")
        rows.append(parts)
    return rows


def pre_push_updates(lines: Iterable[str]) -> list[Update]:
    return [Update(remote_ref, remote_sha, local_sha) for _, local_sha, remote_ref, remote_sha
            in _fields(lines, 4, "pre-push", "<local ref> <local sha> <remote ref> <remote sha>")]


def pre_receive_updates(lines: Iterable[str]) -> list[Update]:
    return [Update(ref, old, new) for old, new, ref
            in _fields(lines, 3, "pre-receive", "<old sha> <new sha> <ref>")]


def pre_commit_framework_update(env: Mapping[str, str]) -> Update | None:
    """pre-commit consumes the hook's stdin and passes the first pushed range in variables;
    with no PRE_COMMIT_FROM_REF it pushes a whole new history (all_files)."""
    if env.get("PRE_COMMIT_TO_REF"):
        return Update(env.get("PRE_COMMIT_REMOTE_BRANCH", ""), env.get("PRE_COMMIT_FROM_REF", ""),
                      env["PRE_COMMIT_TO_REF"])
    if env.get("PRE_COMMIT_LOCAL_BRANCH"):
        return Update(env.get("PRE_COMMIT_REMOTE_BRANCH", ""), "", env["PRE_COMMIT_LOCAL_BRANCH"])
    if env.get("PRE_COMMIT") == "1":
        # `pre-commit run --hook-stage pre-push` by hand: what a push of HEAD would publish.
        return Update("HEAD", "", "HEAD")
    return None


def _exists(repo: Repo, sha: str) -> bool:
    code, _, _ = run_git(["cat-file", "-e", f"{sha}^{{commit}}"], repo.cwd)
    return code == 0


def _range(repo: Repo, update: Update, exclude: tuple[str, ...]) -> Range | None:
    if _zero(update.new):
        return None  # a deletion publishes nothing
    # Labels end without parentheses: the report adds `(2 commits)` after them.
    label = f"{update.ref or update.new[:12]}"
    if not _zero(update.old) and _exists(repo, update.old):
        return between(update.old, update.new, f"{label} {update.old[:10]}...{update.new[:10]}")
    return new_commits(repo, update.new, exclude, f"new {label}")  # the commits no other ref has


def _judge_updates(updates: list[Update], exclude: tuple[str, ...], args: argparse.Namespace,
                   approvable: bool = True) -> int:
    """`approvable`: a human can approve the commits where this hook runs (`guard approve`); on
    a server receiving a push nobody can, so the handoff does not say how."""
    from guard.commands.judging import discover, guard_command

    repo = discover(required=True)
    assert repo is not None
    code = 0
    for update in updates:
        target = _range(repo, update, exclude)
        if target is None:
            continue
        result, config = judge_range(
            repo, target, config_path=getattr(args, "config_path", None),
            assume_ai=getattr(args, "assume_ai", False),
            assume_human=getattr(args, "assume_human", False),
            # An agent that pushes publishes what it pushes, whoever committed it; a server
            # receiving a push runs in its own environment, not the pusher's.
            environment=os.environ if approvable else None,
            recorded=state.approvals(repo.state_dir) if approvable else None,
        )
        if not result.commits:
            continue  # the other side has every commit already: nothing new is published
        sys.stdout.write(render(result, getattr(args, "output_format", "text"),
                                approve_at_terminal(target, config, guard_command(os.environ))
                                if approvable else None))
        code = max(code, result.exit_code)
    sys.stdout.flush()
    return code


def _stdin_lines() -> list[str]:
    if sys.stdin is None or sys.stdin.closed:
        return []
    try:
        if sys.stdin.isatty():
            raise GuardError("pre-push reads the pushed refs on stdin",
                             "it is run by `git push`, not by hand")
    except ValueError:
        return []
    return sys.stdin.read().splitlines()


def pre_push(args: argparse.Namespace) -> int:
    framework = pre_commit_framework_update(os.environ)
    updates = [framework] if framework is not None else pre_push_updates(_stdin_lines())
    # New branch: judge the commits no remote-tracking ref has (they are what the push publishes).
    return _judge_updates(updates, ("--remotes",), args)


def pre_receive(args: argparse.Namespace) -> int:
    # New ref: judge the commits no existing ref has (refs are updated only after this hook).
    return _judge_updates(pre_receive_updates(_stdin_lines()), ("--all",), args, approvable=False)


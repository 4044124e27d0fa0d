"""`guard hook agent`: a coding agent's own tool hook (Claude Code's PreToolUse).

Claude Code sends the pending tool call as JSON on stdin. Before a Bash call that runs
`git commit`, guard judges what that commit would contain; when it asks, the hook exits 2 with the
handoff on stderr, which is Claude Code's convention for blocking a tool call and telling the
agent why. Anything else passes (exit 0) without a word. A guard that cannot decide blocks too.
The git hooks stay the enforcement; this gives the agent the reason before it tries.
"""
from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import sys
from contextlib import redirect_stdout
from typing import Any

BLOCK = 2  # Claude Code: exit 2 blocks the tool call and feeds stderr back to the model
# `git commit`, also as `git -C dir commit` or `git -c k=v commit`, anywhere in a compound command.
_GIT_COMMIT = re.compile(r"(?:^|[;&|({`\s])git(?:\s+-[cC]\s+\S+|\s+--\S+)*\s+commit(?![\w-])")


def commit_command(payload: Any) -> str | None:
    """The shell command if this tool call runs `git commit`, else None."""
    if not isinstance(payload, dict) or payload.get("tool_name") != "Bash":
        return None
    tool_input = payload.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if isinstance(command, str) and _GIT_COMMIT.search(command):
        return command
    return None


def stages_first(command: str) -> bool:
    """`git commit -a`, or a `git add` in the same command: the commit will hold work-tree edits
    that are not staged yet, so judge the work tree against HEAD instead of the index."""
    if re.search(r"\bgit(?:\s+-[cC]\s+\S+)*\s+add\b", command):
        return True
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    for word in words:
        if word in ("--all", "-a") or (word.startswith("-") and not word.startswith("--")
                                       and "a" in word[1:] and "m" in word[1:]):
            return True
    return False


def agent(args: argparse.Namespace) -> int:
    try:
        payload = json.load(sys.stdin)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return 0  # not a tool call we understand: not ours to block
    command = commit_command(payload)
    if command is None:
        return 0
    import os

    from guard.cli import main as guard_main

    cwd = payload.get("cwd")
    if isinstance(cwd, str) and os.path.isdir(cwd):
        os.chdir(cwd)  # the agent's working directory: the repository it commits in

    argv = ["diff", "--worktree" if stages_first(command) else "--staged", "--assume-ai"]
    if getattr(args, "config_path", None):
        argv += ["--config", args.config_path]
    captured = io.StringIO()
    with redirect_stdout(captured):
        code = guard_main(argv)
    if code == 0:
        return 0
    message = captured.getvalue().rstrip()
    if code == 1:
        message += ("\nguard blocked this `git commit`: the change needs a human's decision. "
                    "Tell the user what you were about to commit and why, and ask them to review "
                    "it and run `guard approve`; or split out the parts that can ship on their own.")
    else:
        message += "\nguard could not judge this commit, so it is blocked (see the error above)."
    print(message, file=sys.stderr)
    return BLOCK

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
from typing import Any, NamedTuple

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


_OPERATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", "\n"})
# git commit's short options that take a value: the rest of the word, or else the next word;
# and those whose value can only be the rest of the word (`-S<keyid>`, `-u<mode>`).
_VALUED = "mFcCt"
_ATTACHED = "Su"
_VALUED_LONG = frozenset({"--message", "--file", "--reuse-message", "--reedit-message", "--template",
                          "--author", "--date", "--cleanup", "--fixup", "--squash", "--trailer",
                          "--pathspec-from-file"})


class Commit(NamedTuple):
    folders: tuple[str, ...]  # where it runs: each `cd` before it, then its `git -C`, in order
    arguments: tuple[str, ...]  # the words after `commit`, up to the next shell operator


def _words(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: words as they come
        return command.split()


def read_commit(command: str) -> Commit:
    """Where the command's `git commit` runs and what it is given (simple shell only: `cd`,
    `git -C` and `-c` options; anything cleverer is read as running where the agent is)."""
    words = _words(command)
    folders: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "cd" and index + 1 < len(words) and words[index + 1] not in _OPERATORS:
            folders.append(words[index + 1])
            index += 2
            continue
        if word == "git":
            index += 1
            own: list[str] = []
            while index < len(words) and words[index].startswith("-"):
                if words[index] in ("-C", "-c") and index + 1 < len(words):
                    if words[index] == "-C":
                        own.append(words[index + 1])
                    index += 1
                index += 1
            if index < len(words) and words[index] == "commit":
                end = next((i for i in range(index + 1, len(words)) if words[i] in _OPERATORS), len(words))
                return Commit((*folders, *own), tuple(words[index + 1:end]))
            continue
        index += 1
    return Commit(tuple(folders), ())


def takes_work_tree(arguments: tuple[str, ...]) -> bool:
    """`git commit -a` or `git commit PATH...`: the commit holds work-tree content that is not
    staged, so the work tree is judged against HEAD instead of the index."""
    index = 0
    while index < len(arguments):
        word = arguments[index]
        if word == "--":
            return index + 1 < len(arguments)
        if word in ("--all", "--include", "--only", "-i", "-o"):
            return True
        if word in _VALUED_LONG:
            index += 2
            continue
        if word.startswith("--"):
            index += 1
            continue
        if word.startswith("-") and len(word) > 1:
            for position, letter in enumerate(word[1:], start=1):
                if letter == "a":
                    return True
                if letter in _VALUED:  # its value is the rest of the word, or the next word
                    index += position == len(word) - 1
                    break
                if letter in _ATTACHED:
                    break
            index += 1
            continue
        return True  # a path
    return False


def stages_first(command: str) -> bool:
    """A `git add` in the same command, or a commit that takes the work tree: judge the work
    tree against HEAD instead of the index."""
    if re.search(r"\bgit(?:\s+-[cC]\s+\S+)*\s+add\b", command):
        return True
    return takes_work_tree(read_commit(command).arguments)


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
        os.chdir(cwd)  # the agent's working directory
    for folder in read_commit(command).folders:  # `cd app && git -C sub commit`: where it commits
        folder = os.path.expanduser(folder)
        if not os.path.isdir(folder):
            break  # made by the command itself, or not a folder: judge from where we are
        os.chdir(folder)

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
        if argv[1] == "--worktree":  # `guard approve` reads the index
            message += (" `guard approve` approves the staged change: stage what you commit "
                        "(git add) and commit without -a or file names.")
    else:
        message += "\nguard could not judge this commit, so it is blocked (see the error above)."
    print(message, file=sys.stderr)
    return BLOCK

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


_PUNCTUATION = ";&|()<>"
_VALUED_LONG = frozenset({"--message", "--file", "--reuse-message", "--reedit-message", "--template",
                          "--author", "--date", "--cleanup", "--fixup", "--squash", "--trailer"})
# git commit's short options that take a value: the rest of the word, or else the next word;
# and those whose value can only be the rest of the word (`-S<keyid>`, `-u<mode>`).
_VALUED = "mFcCt"
_ATTACHED = "Su"


class Commit(NamedTuple):
    folders: tuple[str, ...]  # where it runs: each `cd` before it, then its `git -C`, in order
    arguments: tuple[str, ...]  # the words after `commit`, up to the next shell operator
    adds: bool = False  # a `git add` runs before it


def _words(command: str) -> list[str]:
    """Shell words, with `;`, `&&`, `|`, `(`, `)` and redirections (`>`, `2>&1`) as words of
    their own."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=_PUNCTUATION)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: words as they come
        return command.split()


def _operator(word: str) -> bool:
    return bool(word) and all(c in _PUNCTUATION for c in word)


def _git(words: list[str], index: int) -> tuple[str, list[str], int]:
    """At `git`: its subcommand, its `-C` folders, and where the subcommand's words start."""
    index += 1
    folders: list[str] = []
    while index < len(words) and words[index].startswith("-"):
        if words[index] in ("-C", "-c") and index + 1 < len(words):
            if words[index] == "-C":
                folders.append(words[index + 1])
            index += 1
        index += 1
    return (words[index] if index < len(words) else ""), folders, index + 1


def _arguments(words: list[str], index: int) -> tuple[str, ...]:
    """A command's words from `index` to the next operator, without redirections
    (`> log`, `2>&1`, `<<EOF`): those are the shell's, not the command's."""
    out: list[str] = []
    while index < len(words) and not (_operator(words[index]) and not set(words[index]) & set("<>")):
        word = words[index]
        if _operator(word):  # a redirection: drop its file descriptor and its target
            if out and out[-1].isdigit():
                out.pop()
            index += 2
            continue
        out.append(word)
        index += 1
    return tuple(out)


def read_commit(command: str) -> Commit:
    """Where the command's `git commit` runs and what it is given (simple shell: `cd`, `cd -`,
    subshells, `git -C`; anything cleverer is read as running where the agent is)."""
    words = _words(command)
    folders: list[str] = []
    outer: list[list[str]] = []  # the folders outside each open subshell
    adds = False
    index = 0
    while index < len(words):
        word = words[index]
        if word == "(":
            outer.append(list(folders))
        elif word == ")" and outer:
            folders = outer.pop()  # a subshell's `cd` ends with it
        elif word == "cd" and index + 1 < len(words) and not _operator(words[index + 1]):
            if words[index + 1] == "-":
                folders = folders[:-1]
            else:
                folders.append(words[index + 1])
            index += 2
            continue
        elif word == "git":
            subcommand, own, index = _git(words, index)
            if subcommand == "commit":
                return Commit((*folders, *own), _arguments(words, index), adds)
            adds = adds or subcommand == "add"
            continue
        index += 1
    return Commit(tuple(folders), (), adds)


def takes_work_tree(arguments: tuple[str, ...]) -> bool:
    """`git commit -a` or `git commit PATH...`: the commit holds work-tree content that is not
    staged, so the work tree is judged against HEAD instead of the index."""
    index = 0
    while index < len(arguments):
        word = arguments[index]
        if word == "--":
            return index + 1 < len(arguments)
        if word in ("--all", "--include", "--only", "-i", "-o") or word.startswith("--pathspec-from-file"):
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


def stages_first(commit: Commit) -> bool:
    """A `git add` before the commit, or a commit that takes the work tree: judge the work tree
    against HEAD instead of the index."""
    return commit.adds or takes_work_tree(commit.arguments)


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
    commit = read_commit(command)
    for folder in commit.folders:  # `cd app && git -C sub commit`: where it commits
        folder = os.path.expanduser(folder)
        if not os.path.isdir(folder):
            break  # made by the command itself, or not a folder: judge from where we are
        os.chdir(folder)

    argv = ["diff", "--worktree" if stages_first(commit) else "--staged", "--assume-ai"]
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
                    "it and approve it as said above; or split out the parts that can ship on their own.")
        if takes_work_tree(commit.arguments):  # `guard approve` reads the index
            from guard.commands.hook import UNSTAGED_NOTE

            message += " " + " ".join(UNSTAGED_NOTE.split())  # the git hook's note, on one line
        elif commit.adds:  # a `git add` first: what it stages is judged as it is now
            message += (" The command stages changes before it commits (git add), so guard judged "
                        "them as they are in the work tree: once the user has staged and approved "
                        "them, run it again.")
    else:
        message += "\nguard could not judge this commit, so it is blocked (see the error above)."
    print(message, file=sys.stderr)
    return BLOCK

"""`guard hook NAME`: what the git hook scripts and .pre-commit-hooks.yaml call.

Each hook is an entry in HOOKS (name -> arguments + run), so pre-push and pre-receive slot in
beside pre-commit and commit-msg. Output is plain text (pre-commit captures it); a change that
ships prints nothing, so a hook is silent when all is well.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from guard.authorship import clean_message
from guard.commands.diff import add_target_options, render
from guard.commands.judging import detect, discover, guard_command, record, run_source
from guard.errors import GuardError
from guard.model import Level
from guard.sources import resolve

if TYPE_CHECKING:
    import argparse

    from guard.git import Repo


class Hook(NamedTuple):
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def judge_staged(args: argparse.Namespace, command: str, message: str | None = None) -> int:
    """The staged change, judged with the environment's signals (and the message's, if any)."""
    repo = discover(required=True)
    assert repo is not None
    source = resolve(repo, None)
    verdict, config = run_source(
        source, repo, config_path=args.config_path, scope=args.scope,
        authorship=detect(source, repo, os.environ, assume_ai=args.assume_ai,
                          assume_human=args.assume_human, message=message),
    )
    record(repo, verdict, command)
    if verdict.level is not Level.SHIP or args.output_format == "json":
        approve = f"{guard_command(os.environ)} approve"
        sys.stdout.write(render(verdict, config, args.output_format, plain=True, approve=(approve, "")))
        if verdict.level is Level.ASK and args.output_format == "text" and _temporary_index(repo):
            sys.stdout.write(UNSTAGED_NOTE.replace("`guard approve`", f"`{approve}`") + "\n")
    return verdict.exit_code


UNSTAGED_NOTE = ("  This commit takes changes that are not staged (git commit -a, or files named on the "
                 "command line),\n  and `guard approve` approves the staged change: stage them with "
                 "git add, run `guard approve`,\n  then commit without -a or file names.")


def _temporary_index(repo: Repo) -> bool:
    """git commits with `-a` or paths through an index of its own (GIT_INDEX_FILE)."""
    index = os.environ.get("GIT_INDEX_FILE")
    if not index:
        return False
    own = os.path.join(repo.git_dir, "index")
    return os.path.realpath(os.path.join(repo.cwd, index)) != os.path.realpath(own)


def _pre_commit(args: argparse.Namespace) -> int:
    return judge_staged(args, "hook pre-commit")


def _commit_msg_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message_file", metavar="MSGFILE", nargs="?",
                        help="the commit message file git passes (default: $GIT_DIR/COMMIT_EDITMSG, "
                             "for pre-commit's `pass_filenames: false`)")
    add_target_options(parser)


def _commit_msg(args: argparse.Namespace) -> int:
    path = args.message_file
    if path is None:
        repo = discover(required=True)
        assert repo is not None
        path = os.path.join(repo.git_dir, "COMMIT_EDITMSG")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            message = clean_message(handle.read())
    except OSError as error:
        raise GuardError(f"cannot read the commit message {path}: {error.strerror}",
                         "run it from git's commit-msg hook, which passes the file") from None
    return judge_staged(args, "hook commit-msg", message)


def _push_arguments(parser: argparse.ArgumentParser) -> None:
    # git passes `<remote name> <remote url>`; declared here so building the parser for a
    # pre-commit run does not import the push machinery.
    import argparse

    parser.add_argument("remote", nargs="*", help=argparse.SUPPRESS)
    add_target_options(parser, ("text", "json"), scope=False)


def _receive_arguments(parser: argparse.ArgumentParser) -> None:
    # A range's options, as pre-push has: no --scope, no handoff (git passes no arguments).
    add_target_options(parser, ("text", "json"), scope=False)


def _pre_push(args: argparse.Namespace) -> int:
    from guard.commands import hook_push

    return hook_push.pre_push(args)


def _pre_receive(args: argparse.Namespace) -> int:
    from guard.commands import hook_push

    return hook_push.pre_receive(args)


def _agent_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", dest="config_path", metavar="PATH",
                        help="use this config file instead of the committed one")


def _agent(args: argparse.Namespace) -> int:
    from guard.commands import hook_agent

    return hook_agent.agent(args)


HOOKS: dict[str, Hook] = {
    "pre-commit": Hook("judge the staged change (environment signals)", add_target_options, _pre_commit),
    "commit-msg": Hook("judge the staged change with the message's trailers", _commit_msg_arguments,
                       _commit_msg),
    "pre-push": Hook("judge the pushed commits, as a whole and one by one", _push_arguments, _pre_push),
    "pre-receive": Hook("on a server: judge each pushed ref's new commits", _receive_arguments,
                        _pre_receive),
    "agent": Hook("a coding agent's tool hook (Claude Code PreToolUse JSON on stdin)",
                  _agent_arguments, _agent),
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("hook", help="run as a git hook: " + ", ".join(HOOKS))
    hooks = parser.add_subparsers(dest="hook", metavar="HOOK", required=True)
    for name, hook in HOOKS.items():
        hook.configure(hooks.add_parser(name, help=hook.help))


def run(args: argparse.Namespace) -> int:
    return HOOKS[args.hook].run(args)

"""TEMPORARY stand-in for `guard hook` (drop at merge: the real guard/commands/hook.py owns
pre-commit and commit-msg and dispatches pre-push / pre-receive / agent to hook_push.py and
hook_agent.py). Just enough for the integration tests of this branch to run."""
from __future__ import annotations

import argparse
import os
import sys

from guard import authorship
from guard.commands import hook_agent, hook_push
from guard.commands.diff import add_target_options, render
from guard.commands.judging import discover, run_source
from guard.sources import resolve


def _staged(args: argparse.Namespace, message: str | None) -> int:
    repo = discover(required=True)
    signals = authorship.from_environment(os.environ)
    if message is not None:
        signals += authorship.from_message(message)
    who = authorship.decide(signals, assume_ai=args.assume_ai, assume_human=args.assume_human)
    verdict, config = run_source(resolve(repo, None), repo, config_path=args.config_path,
                                 authorship=who)
    sys.stdout.write(render(verdict, config, args.output_format))
    return verdict.exit_code


def _commit_msg(args: argparse.Namespace) -> int:
    path = args.msgfile
    if path is None:
        repo = discover(required=True)
        assert repo is not None
        path = os.path.join(repo.git_dir, "COMMIT_EDITMSG")
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        return _staged(args, handle.read())


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("hook", help="what git hooks and pre-commit call")
    hooks = parser.add_subparsers(dest="hook", metavar="HOOK", required=True)
    add_target_options(hooks.add_parser("pre-commit"))
    msg = hooks.add_parser("commit-msg")
    msg.add_argument("msgfile", nargs="?")
    add_target_options(msg)
    push = hooks.add_parser("pre-push")
    hook_push.add_arguments(push)
    add_target_options(push)
    add_target_options(hooks.add_parser("pre-receive"))
    agent = hooks.add_parser("agent")
    agent.add_argument("--config", dest="config_path", metavar="PATH")


def run(args: argparse.Namespace) -> int:
    if args.hook == "pre-commit":
        return _staged(args, None)
    if args.hook == "commit-msg":
        return _commit_msg(args)
    if args.hook == "pre-push":
        return hook_push.pre_push(args)
    if args.hook == "pre-receive":
        return hook_push.pre_receive(args)
    return hook_agent.agent(args)

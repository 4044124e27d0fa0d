"""The command line: parse arguments, dispatch, and map every failure to one line and an exit
code (2: the user can fix it; 3: guard's own fault, traceback in a log)."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence

from guard import __version__
from guard.errors import GuardError

EXIT_USAGE = 2
EXIT_INTERNAL = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guard",
        description="Reads a diff and says ship, report or ask: is it reversible, does it "
                    "affect other people, would the human care about the details?",
    )
    parser.add_argument("--version", action="version", version=f"guard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    diff = commands.add_parser("diff", help="judge a diff (default: the staged changes)")
    diff.add_argument("target", nargs="?", metavar="RANGE",
                      help="A..B, A...B (merge base, as a pull request sees it) or one commit")
    where = diff.add_mutually_exclusive_group()
    where.add_argument("--staged", action="store_true", help="the staged changes (default)")
    where.add_argument("--worktree", action="store_true",
                       help="all uncommitted changes to tracked files, against HEAD")
    where.add_argument("--patch", metavar="FILE", help="a unified diff from FILE, or - for stdin")
    diff.add_argument("--format", dest="output_format", choices=("text", "json"), default="text")
    diff.add_argument("--config", dest="config_path", metavar="PATH",
                      help="use this config file instead of the committed one")
    who = diff.add_mutually_exclusive_group()
    who.add_argument("--assume-ai", action="store_true", help="judge as written by an AI agent")
    who.add_argument("--assume-human", action="store_true", help="judge as written by a human")

    commands.add_parser("rules", help="list every rule, one per line")
    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", metavar="RULE")
    return parser


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "diff":
        if args.target and (args.staged or args.worktree or args.patch):
            raise GuardError("give either a RANGE or one of --staged/--worktree/--patch", "not both")
        from guard.commands import diff

        return diff.main(
            target=args.target, worktree=args.worktree, patch=args.patch,
            output_format=args.output_format, config_path=args.config_path,
            assume_ai=args.assume_ai, assume_human=args.assume_human,
        )
    if args.command == "rules":
        from guard.commands import catalogue

        return catalogue.list_rules()
    if args.command == "explain":
        from guard.commands import catalogue

        return catalogue.explain(args.rule)
    parser.print_help()
    return EXIT_USAGE


def _crash_log() -> str:
    """Where the traceback of an internal error goes: $GIT_DIR/guard/ when in a repository."""
    try:
        from guard.git import Repo

        directory = os.path.join(Repo.discover().git_dir, "guard")
    except Exception:
        directory = tempfile.gettempdir()
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "crash.log")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc())
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args, parser)
    except GuardError as error:
        print(f"guard: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("guard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_INTERNAL
    except Exception as error:  # noqa: BLE001 - an error must never pass silently, nor as a traceback
        try:
            where = f"; details in {_crash_log()}"
        except OSError:
            where = ""
        print(f"guard: internal error ({type(error).__name__}: {error}){where}. "
              "The change was not judged, so it is blocked.", file=sys.stderr)
        return EXIT_INTERNAL

"""`guard diff`: judge one diff and print the verdict."""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from guard.commands.judging import detect, discover, in_colour, record, run_source
from guard.config import Config
from guard.errors import GuardError
from guard.model import Verdict
from guard.sources import resolve

if TYPE_CHECKING:
    import argparse

FORMATS = ("text", "json", "handoff")
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./~^@{}:+-"


def approve_command(target: str | None, worktree: bool, patch: str | None = None) -> tuple[str, str]:
    """What approves the change judged: `guard approve` binds the staged change, `guard approve
    RANGE` a commit or a range; the work tree's changes are staged first (`git add -u`, as
    `git commit -a` would), a patch is applied to the index (`git apply --index`)."""
    if target:
        return f"guard approve {_shell_word(target)}", ""
    if patch is not None:
        return "guard approve", "git apply --index" + ("" if patch == "-" else f" {_shell_word(patch)}")
    return "guard approve", "git add -u" if worktree else ""


def _shell_word(word: str) -> str:
    """Quoted only when a shell would read it otherwise (`HEAD~1`, `main..HEAD` need nothing)."""
    if word[0] in "~-" or word.strip(_PLAIN):
        import shlex

        return shlex.quote(word)
    return word


def render(verdict: Verdict, config: Config, output_format: str, plain: bool = False,
           approve: tuple[str, str] = ("guard approve", "")) -> str:
    """`plain` forces uncoloured text (hooks: their output is captured, e.g. by pre-commit);
    `approve` is the command and what to stage first (approve_command)."""
    command, stage = approve
    if output_format == "json":
        from guard.report.json import format_json

        return format_json(verdict)
    if output_format == "handoff":
        from guard.report.handoff import format_handoff

        return format_handoff(verdict, config.approval_label, command, stage)
    from guard.report import text

    how = text.at_terminal(config.approval_label, command, stage)
    if not plain and in_colour():
        return text.format_rich(verdict, how)
    return text.format_plain(verdict, how)


def main(
    *,
    target: str | None,
    worktree: bool,
    patch: str | None,
    output_format: str,
    config_path: str | None,
    assume_ai: bool,
    assume_human: bool,
    scope: Sequence[str] = (),
) -> int:
    repo = discover(required=patch is None, patch_hint=True)
    source = resolve(repo, target, worktree=worktree, patch=patch)
    verdict, config = run_source(
        source, repo, config_path=config_path, scope=scope,
        authorship=detect(source, repo, os.environ, assume_ai=assume_ai, assume_human=assume_human),
    )
    record(repo, verdict, "diff")
    sys.stdout.write(render(verdict, config, output_format, approve=approve_command(target, worktree, patch)))
    return verdict.exit_code


def add_target_options(parser: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS,
                       scope: bool = True) -> None:
    """The options every judging command shares (diff, hook, log, ci reuse them); a range's
    commands have their own formats and no --scope."""
    parser.add_argument("--format", dest="output_format", choices=formats, default="text")
    parser.add_argument("--config", dest="config_path", metavar="PATH",
                        help="use this config file instead of the committed one")
    if scope:
        parser.add_argument("--scope", action="append", default=[], metavar="GLOB",
                            help="where the task is meant to work (repeatable); edits elsewhere ask")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--assume-ai", action="store_true", help="judge as written by an AI agent")
    who.add_argument("--assume-human", action="store_true", help="judge as written by a human")


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("diff", help="judge a diff (default: the staged changes)")
    parser.add_argument("target", nargs="?", metavar="RANGE",
                        help="A..B, A...B (merge base, as a pull request sees it) or one commit")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--staged", action="store_true", help="the staged changes (default)")
    where.add_argument("--worktree", action="store_true",
                       help="all uncommitted changes to tracked files, against HEAD")
    where.add_argument("--patch", metavar="FILE", help="a unified diff from FILE, or - for stdin")
    add_target_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.target and (args.staged or args.worktree or args.patch):
        raise GuardError("give either a RANGE or one of --staged/--worktree/--patch", "not both")
    return main(
        target=args.target, worktree=args.worktree, patch=args.patch,
        output_format=args.output_format, config_path=args.config_path,
        assume_ai=args.assume_ai, assume_human=args.assume_human, scope=args.scope,
    )

"""`guard diff`: judge one diff and print the verdict."""
from __future__ import annotations

import os
import sys

from guard.commands.judging import discover, run_source
from guard.config import Config
from guard.model import Authorship, Verdict
from guard.sources import resolve

FORMATS = ("text", "json")


def authorship_from_flags(assume_ai: bool, assume_human: bool) -> Authorship:
    if assume_human:
        return Authorship(ai=False, signals=("assumed human (--assume-human)",), assumed=True)
    if assume_ai:
        return Authorship(ai=True, signals=("assumed AI (--assume-ai)",), assumed=True)
    # Until authorship detection decides otherwise, every change is judged as an agent's.
    return Authorship(ai=True, assumed=True)


def render(verdict: Verdict, config: Config, output_format: str) -> str:
    if output_format == "json":
        from guard.report.json import format_json

        return format_json(verdict)
    from guard.report import text

    if sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb":
        return text.format_rich(verdict, config.approval_label)
    return text.format_plain(verdict, config.approval_label)


def main(
    *,
    target: str | None,
    worktree: bool,
    patch: str | None,
    output_format: str,
    config_path: str | None,
    assume_ai: bool,
    assume_human: bool,
) -> int:
    repo = discover(required=patch is None)
    source = resolve(repo, target, worktree=worktree, patch=patch)
    verdict, config = run_source(
        source, repo, config_path=config_path,
        authorship=authorship_from_flags(assume_ai, assume_human),
    )
    sys.stdout.write(render(verdict, config, output_format))
    return verdict.exit_code

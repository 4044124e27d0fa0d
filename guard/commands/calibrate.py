"""`guard calibrate`: per rule, how often guard asked and the human approved unchanged, and a
TOML snippet of suggested levels. Reads $GIT_DIR/guard/journal.jsonl; never edits config."""
from __future__ import annotations

import argparse

from guard import state
from guard.calibrate import format_report, tally
from guard.commands.judging import discover


def main(*, minimum: int) -> int:
    repo = discover(required=True)
    assert repo is not None
    stats, verdicts, approvals = tally(state.read(repo.state_dir, state.JOURNAL))
    print(format_report(stats, verdicts, approvals, minimum, state.path(repo.state_dir, state.JOURNAL)), end="")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("calibrate", help="learn from the journal; suggest config changes")
    parser.add_argument("--min", dest="minimum", type=int, default=5, metavar="N",
                        help="suggest `report` for rules asked about at least N times and always "
                             "approved unchanged (default 5)")


def run(args: argparse.Namespace) -> int:
    return main(minimum=max(1, args.minimum))

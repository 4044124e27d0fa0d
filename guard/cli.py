"""The command line: parse arguments, dispatch, and map every failure to one line and an exit
code (2: the user can fix it; 3: guard's own fault, traceback in a log)."""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from guard import __version__
from guard.errors import GuardError

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2
EXIT_INTERNAL = 3


# Each command module has `add_parser(subparsers)` and `run(args) -> int`; imported lazily so a
# hook pays only for the command it runs.
COMMANDS = ("diff", "log", "ci", "hook", "approve", "calibrate", "rules", "explain", "init")


def _module(name: str):  # type: ignore[no-untyped-def]
    import importlib

    return importlib.import_module(f"guard.commands.{name}")


def _help_width() -> int:
    """What argparse's help formatter asks shutil for: importing shutil (and with it zlib, bz2
    and lzma) costs 3 ms, and the parser builds a formatter for every argument it adds."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns - 2


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    import argparse

    chosen = next((a for a in argv if not a.startswith("-")), None)

    class Parser(argparse.ArgumentParser):  # subparsers take their parent's class
        def _get_formatter(self) -> argparse.HelpFormatter:
            return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]

        def error(self, message: str) -> NoReturn:
            # One line, as every other error (argparse prints its usage block first). Arguments
            # no parser knows are reported by the top one: point at the command's own help.
            prog = self.prog
            if prog == "guard" and message.startswith("unrecognized arguments") and chosen in COMMANDS:
                words = [a for a in argv if not a.startswith("-")]
                prog = " ".join(["guard", *words[:2 if chosen == "hook" and len(words) > 1 else 1]])
            raise GuardError(message, f"see `{prog} --help`")

    parser = Parser(
        prog="guard",
        description="Reads a diff and says ship, report or ask: is it reversible, does it "
                    "affect other people, would the human care about the details?",
    )
    parser.add_argument("--version", action="version", version=f"guard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Only the chosen command's module is imported (a hook should not load them all).
    for name in COMMANDS:
        if chosen in COMMANDS and name != chosen:
            subparsers.add_parser(name)
        else:
            _module(name).add_parser(subparsers)
    return parser


def _crash_log() -> str:
    """Where the traceback of an internal error goes: $GIT_DIR/guard/ when in a repository."""
    import tempfile
    import traceback

    try:
        from guard.git import Repo

        directory = os.path.join(Repo.discover().state_dir, "guard")
    except Exception:
        directory = tempfile.gettempdir()
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "crash.log")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc())
    return path


# `guard hook pre-commit`, bare, runs on every commit: it skips building the argument parser
# (argparse and its fifteen subparsers are a tenth of the run). tests/test_hook.py checks
# these are exactly the values the parser would give.
FAST_PATHS: dict[tuple[str, ...], dict[str, object]] = {
    ("hook", "pre-commit"): {"command": "hook", "hook": "pre-commit", "output_format": "text",
                             "config_path": None, "scope": [], "assume_ai": False,
                             "assume_human": False},
}


def parse_args(argv: Sequence[str]) -> Any:
    fast = FAST_PATHS.get(tuple(argv))
    if fast is not None:
        from types import SimpleNamespace

        from guard import git

        git.start_early(git.DISCOVER, git.STAGED, git.CAT_FILE)  # git works while the hook imports
        return SimpleNamespace(**fast)
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        raise SystemExit(EXIT_USAGE)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    # guard's data holds no reference cycles (a 1,000-commit log leaves some 300 cyclic objects,
    # as does a 3,000-file diff): reference counting frees it all, and the cyclic collector
    # only spent time: 3% of a hook run and of `guard log`, walking the objects imports create.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
        return int(_module(args.command).run(args))
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

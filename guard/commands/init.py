"""`guard init`: write a starter `.guard.toml` and print the pre-commit configuration.

The one time guard writes to the work tree, because the user asked; it never overwrites.
"""
from __future__ import annotations

import argparse
import os
import sys

from guard import __version__
from guard.errors import GuardError

STARTER = """\
# guard: what an agent may ship alone, what it reports, and what it asks a human first.
# Every key is optional; the values below are the defaults. `guard rules` lists the rule ids.

# "ai": only changes with an AI signal are blocked (others are reported); "all": every change.
applies-to = "ai"

# The label a human puts on a pull/merge request to approve what guard asked about.
approval-label = "guard:approved"

# Paths the team wants to hear about, whatever the size (gitignore-style patterns).
sensitive = []

# Generated files that do not count toward size.
generated = []

[thresholds.ship]   # up to these: ship
lines = 50
files = 3
areas = 1

[thresholds.report] # up to these: report; beyond: ask
lines = 200
files = 10
areas = 3

# [rules]
# file-deleted = "report"

# [[overrides]]
# paths = ["docs/**"]
# level = "ship"
"""


def _repo_url() -> str:
    """Where the pre-commit framework fetches guard from: the package's own metadata."""
    try:
        from importlib.metadata import metadata

        meta = metadata("guard")
    except Exception:  # noqa: BLE001 - not installed (run from a checkout): no URL to offer
        return ""
    for entry in meta.get_all("Project-URL") or ():
        name, _, url = str(entry).partition(",")
        if name.strip().lower() in ("source", "repository", "homepage") and url.strip():
            return url.strip()
    return ""


def snippet() -> str:
    url = _repo_url() or "<URL of guard's git repository>"
    return f"""\
# .pre-commit-config.yaml
repos:
-   repo: {url}
    rev: v{__version__}
    hooks:
    -   id: guard              # judges the staged change
    -   id: guard-commit-msg   # sees the commit message's AI trailers
    -   id: guard-pre-push     # judges the pushed commits, as a whole and one by one
# then: pre-commit install --hook-type pre-commit --hook-type commit-msg --hook-type pre-push
"""


def _top_level(cwd: str) -> str:
    """The work tree's top, where the config belongs; `cwd` outside a work tree. GitPython
    serves here (one call, error types for every case), off the hooks' hot path where its
    import would cost more than the whole judgement."""
    import git

    try:
        top = git.Repo(cwd, search_parent_directories=True).working_tree_dir
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return cwd
    return str(top) if top else cwd  # a bare repository has no work tree


def main(*, path: str | None) -> int:
    if path is None:
        top = _top_level(os.getcwd())
        path = os.path.join(top, ".guard.toml")
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(STARTER)
    except FileExistsError:
        raise GuardError(f"{path} already exists", "edit it, or remove it first to start over") from None
    except OSError as error:
        raise GuardError(f"cannot write {path}: {error.strerror}", "check the folder") from None
    print(f"wrote {path}: commit it, so it judges the changes that come after it", file=sys.stderr)
    sys.stdout.write(snippet())
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("init", help="write a starter .guard.toml; print the pre-commit snippet")
    parser.add_argument("--path", help="where to write the config (default: .guard.toml at the top "
                                       "of the repository)")


def run(args: argparse.Namespace) -> int:
    return main(path=args.path)

"""Judge every commit of a repository one by one and report any exit other than 0 or 1.

    python bench/smoke.py [--max N] [REPO ...]     # default: this project's own history

A smoke run over real history: every commit is a real diff someone produced, with whatever
names, encodings, binaries and merges the project has. Prints a summary per repository.
"""
from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commits(repo: Path, limit: int | None) -> list[str]:
    extra = [f"--max-count={limit}"] if limit else []
    out = subprocess.run(["git", "rev-list", "--all", *extra], cwd=repo, capture_output=True,
                         text=True, check=True)
    return out.stdout.split()


def smoke(repo: Path, limit: int | None = None) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    outcomes: collections.Counter[int] = collections.Counter()
    failures = []
    shas = commits(repo, limit)
    for sha in shas:
        done = subprocess.run([sys.executable, "-m", "guard", "diff", sha, "--format", "json"],
                              cwd=repo, env=env, capture_output=True, text=True)
        outcomes[done.returncode] += 1
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            failures.append((sha, done.returncode, done.stderr.strip().splitlines()[-1:] or [""]))
    print(f"{repo}: {len(shas)} commits, exits {dict(sorted(outcomes.items()))}")
    for sha, code, last in failures:
        print(f"  {sha[:12]} exit {code}: {last[0]}")
    return 1 if failures else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    limit = None
    if args[:1] == ["--max"]:
        limit, args = int(args[1]), args[2:]
    targets = [Path(p) for p in args] or [ROOT]
    raise SystemExit(max(smoke(target, limit) for target in targets))

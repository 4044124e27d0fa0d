"""The least any Python `guard log` does: read git's log stream and find its structure.

    python bench/floor.py RANGE GIT_LOG_ARGS...

Starts git as guard does (posix_spawn, a pipe), reads the stream as it comes, and finds each
commit, file and hunk header with one regex pass per chunk, without judging anything. Prints the
counts, so the work cannot be skipped. bench/run.py times it beside `git log -p`: what is left of
the budget after this is all guard has to import, judge and report in.
"""
from __future__ import annotations

import os
import re
import shutil
import sys

# Headers as guard.logstream and guard.parse know them: a commit's mark, a file, a hunk.
_HEADER = re.compile(rb"\n(?:(\x1eguard-commit )|(diff --git )|(@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@))")


def main(argv: list[str]) -> None:
    out_read, out_write = os.pipe()
    git = shutil.which("git") or "git"
    pid = os.posix_spawn(git, ["git", *argv], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out_write, 1)])
    os.close(out_write)
    counts = [0, 0, 0]
    pending = b"\n"
    while chunk := os.read(out_read, 1 << 20):
        data = pending + chunk
        cut = data.rfind(b"\n")  # a header is whole once the line after it has begun
        for match in _HEADER.finditer(data, 0, cut + 1):
            counts[match.lastindex - 1] += 1  # type: ignore[operator]
        pending = data[cut:]
    os.waitpid(pid, 0)
    print("commits {} files {} hunks {}".format(*counts))


if __name__ == "__main__":
    main(sys.argv[1:])

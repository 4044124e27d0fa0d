"""The commits of a range, with their identities, messages and git-ai notes, from one `git log`."""
from __future__ import annotations

from collections.abc import Sequence

from guard.authorship import CommitInfo
from guard.git import Repo

# NUL-separated fields; with -z git also ends each commit with a NUL, and a commit message
# cannot hold one, so the output splits cleanly into groups of _FIELDS.
_FORMAT = "%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x00%N"
_FIELDS = 7


def read_commits(repo: Repo, log_args: Sequence[str]) -> list[CommitInfo]:
    """Every commit `git log LOG_ARGS` lists; notes from refs/notes/ai (none if it is absent)."""
    args = ("log", "-z", "--no-color", "--notes=refs/notes/ai", f"--format={_FORMAT}", *log_args, "--")
    with repo.stream(args) as stream:
        data = b"".join(iter(lambda: stream.read(1 << 20), b""))
    parts = data.decode("utf-8", "replace").split("\0")
    commits = []
    for start in range(0, len(parts) - _FIELDS + 1, _FIELDS):
        sha, an, ae, cn, ce, message, note = parts[start:start + _FIELDS]
        commits.append(CommitInfo(sha=sha.strip("\n"), author_name=an, author_email=ae,
                                  committer_name=cn, committer_email=ce, message=message, note=note))
    return commits

"""Where a diff comes from, and which revision's config and tree judge it."""

from typing import NamedTuple

from guard.errors import GuardError
from guard.git import DIFF_OPTIONS, STAGED, Repo


class Source(NamedTuple):
    label: str
    diff_args: tuple[str, ...] = ()
    config_rev: str | None = None  # whose committed config applies (None: no revision)
    tree_rev: str | None = None  # where package manifests are looked up ("" is the index)
    on_disk: bool = False  # the new side is the work tree itself
    patch: str | None = None  # a patch file, or "-" for stdin
    log_args: tuple[str, ...] = ()  # `git log` arguments naming the commits (ranges, a commit)


def resolve(repo: Repo | None, target: str | None, *, worktree: bool = False,
            patch: str | None = None) -> Source:
    if patch is not None:
        return Source(label="stdin" if patch == "-" else patch, patch=patch,
                      config_rev="HEAD" if repo is not None else None)
    assert repo is not None
    if target is None:
        if repo.bare:
            raise GuardError("a bare repository has no index or work tree to check",
                             "give a range such as main..feature, or a commit")
        if worktree:
            # Plumbing: a porcelain `git diff HEAD` refreshes the index's file times and writes
            # .git/index (GIT_OPTIONAL_LOCKS does not stop it), and guard changes nothing.
            return Source("uncommitted changes", ("diff-index", *DIFF_OPTIONS, "HEAD", "--"),
                          config_rev="HEAD", on_disk=True)
        return Source("staged changes", STAGED,
                      config_rev="HEAD", tree_rev="")
    if target.startswith("-"):
        raise GuardError(f"{target!r} is not a revision", "see `guard diff --help`")
    if "..." in target:
        base, _, head = target.partition("...")
        return Source(target, ("diff", *DIFF_OPTIONS, f"{base or 'HEAD'}...{head or 'HEAD'}", "--"),
                      config_rev=base or "HEAD", tree_rev=head or "HEAD",
                      log_args=(f"{base or 'HEAD'}..{head or 'HEAD'}",))
    if ".." in target:
        base, _, head = target.partition("..")
        return Source(target, ("diff", *DIFF_OPTIONS, base or "HEAD", head or "HEAD", "--"),
                      config_rev=base or "HEAD", tree_rev=head or "HEAD",
                      log_args=(f"{base or 'HEAD'}..{head or 'HEAD'}",))
    # One commit against its first parent; a root commit against the empty tree.
    return Source(target, ("diff-tree", *DIFF_OPTIONS, "-r", "--root", "--no-commit-id",
                           "--diff-merges=first-parent", target, "--"),
                  config_rev=f"{target}^", tree_rev=target, log_args=("-1", target))

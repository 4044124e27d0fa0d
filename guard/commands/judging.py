"""What every judging command shares: find the repo, load the config that applies, run a diff
source through the parser and the engine."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import BinaryIO, cast

from guard import authorship as ai
from guard import codeowners, state
from guard.config import CONFIG_FILES, Config, load_text
from guard.engine import judge
from guard.errors import GuardError
from guard.fingerprint import Fingerprint
from guard.git import NOT_A_REPOSITORY_FIX, BlobReader, Repo
from guard.model import Approval, Authorship, Verdict
from guard.parse import parse
from guard.paths import MANIFESTS
from guard.rules import rule_ids
from guard.sources import Source


def in_colour() -> bool:
    """Whether the text report is coloured: at a terminal, unless NO_COLOR or TERM=dumb say no."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def guard_command(env: Mapping[str, str]) -> str:
    """`guard` as the human can run it in their own shell. The pre-commit framework runs its
    hooks from a virtualenv of its own (it sets PRE_COMMIT=1), whose `guard` is on the hook's
    PATH only: there it is named in full."""
    if env.get("PRE_COMMIT") != "1":
        return "guard"
    script = os.path.join(os.path.dirname(sys.executable), "guard")
    command = script if os.path.isfile(script) else f"{sys.executable} -m guard"
    return command if " " not in command else f'"{command}"'


def discover(required: bool, patch_hint: bool = False) -> Repo | None:
    """The repository guard runs in; `patch_hint`: outside one, say that --patch works there."""
    try:
        return Repo.discover()
    except GuardError as error:
        if required and patch_hint and error.fix == NOT_A_REPOSITORY_FIX:
            raise GuardError(error.problem, f"{error.fix}, or give a patch with --patch FILE") from None
        if required:
            raise
        return None


def load_config(path: str | None, source: Source, blobs: BlobReader | None,
                committed: bool = False) -> Config:
    """`--config PATH` if given; else the committed copy at the source's config revision.
    `committed`: PATH too is read as committed there (CI: the work tree is the change's own)."""
    known = rule_ids()
    if path is not None and committed and blobs is not None and source.config_rev is not None:
        name = os.path.normpath(path).replace(os.sep, "/")  # relative to the repository's top
        (data,) = blobs.read([f"{source.config_rev}:{name}"])
        if data is None:  # a typo, or not merged yet: named on purpose, so not the defaults
            raise GuardError(f"--config {path}: {name} is not committed at {source.config_rev}",
                             "commit it on the base branch first, or leave out --config")
        return load_text(data.decode("utf-8", "replace"), f"{name} at {source.config_rev}", known)
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise GuardError(f"cannot read config {path}: {error.strerror}", "check the path") from None
        return load_text(text, path, known)
    if blobs is None or source.config_rev is None:
        return Config()
    contents = blobs.read([f"{source.config_rev}:{name}" for name in CONFIG_FILES])
    for name, data in zip(CONFIG_FILES, contents):
        if data is not None:
            try:
                config = load_text(data.decode("utf-8", "replace"), f"{name} at {source.config_rev}",
                                   known, pyproject=name == "pyproject.toml")
            except GuardError as error:
                # The committed copy applies, so the commit that fixes it is judged by it too.
                raise GuardError(error.problem, f"{error.fix}, then commit the fix with "
                                 f"`git commit --no-verify` (try it first with --config {name})") from None
            if name == ".guard.toml" or "no [tool.guard]" not in config.source:
                return config
    return Config()


def roots_lookup(repo: Repo | None, source: Source,
                 blobs: BlobReader | None) -> Callable[[set[str]], frozenset[str]]:
    """Which of the candidate folders hold a package manifest (the areas of a change)."""
    def lookup(candidates: set[str]) -> frozenset[str]:
        if not candidates or repo is None:
            return frozenset()
        folders = sorted(candidates)
        if source.on_disk:
            return frozenset(d for d in folders for m in MANIFESTS if os.path.exists(os.path.join(repo.cwd, d, m)))
        if source.tree_rev is None or blobs is None:
            return frozenset()
        if source.tree_rev == "":  # the index lists files, not folders: ask for each manifest
            pairs = [(d, m) for d in folders for m in MANIFESTS]
            found = blobs.read([f":{d}/{m}" for d, m in pairs])
            return frozenset(d for (d, _), data in zip(pairs, found) if data is not None)
        listed = blobs.files_in([f"{source.tree_rev}:{d}" for d in folders])
        return frozenset(d for d, names in zip(folders, listed) if not names.isdisjoint(MANIFESTS))
    return lookup


def new_text_reader(repo: Repo | None, blobs: BlobReader | None, tree_rev: str | None,
                    on_disk: bool = False,
                    cache: dict[tuple[str | None, str], str | None] | None = None) -> Callable[[str], str | None]:
    """Read a file's new side (work tree, index "" or a revision) for rules that need the
    whole file to place a changed line, such as its TOML table. The cache holds the current
    file only, so memory stays bounded; a range's commits share one, as their readers are
    all kept until the range is judged."""
    cache = {} if cache is None else cache

    def read(path: str) -> str | None:
        key = (tree_rev, path)
        if key not in cache:
            cache.clear()
            data: bytes | None = None
            if repo is not None and on_disk:
                try:
                    with open(os.path.join(repo.cwd, path), "rb") as handle:
                        data = handle.read()
                except OSError:
                    data = None
            elif blobs is not None and tree_rev is not None:
                data = blobs.read([f"{tree_rev}:{path}"])[0]
            cache[key] = None if data is None else data.decode("utf-8", "replace")
        return cache[key]
    return read


def codeowners_at(blobs: BlobReader | None, rev: str | None) -> codeowners.CodeOwners | None:
    """The committed CODEOWNERS at `rev` (the config revision: the change never judges itself)."""
    if blobs is None or rev is None:
        return None
    found = blobs.read([f"{rev}:{name}" for name in codeowners.LOCATIONS])
    for name, data in zip(codeowners.LOCATIONS, found):
        if data is not None:
            return codeowners.parse(data.decode("utf-8", "replace"), name)
    return None


def rule_context(config: Config, owners: codeowners.CodeOwners | None, read_new: Callable[[str], str | None],
                 emails: Callable[[], tuple[str, ...]]) -> dict[str, object]:
    """What rules may know beyond the diff (Context.extra); the author's e-mails are only
    looked up when there is a CODEOWNERS to compare them with."""
    extra: dict[str, object] = {"read_new": read_new}
    if owners is not None:
        extra["codeowners"] = owners
    extra["me"] = codeowners.identities(emails() if owners is not None else (), config.me)
    return extra


@contextmanager
def _patch_stream(source: Source) -> Iterator[BinaryIO]:
    if source.patch == "-":
        yield sys.stdin.buffer
        return
    assert source.patch is not None
    try:
        handle = open(source.patch, "rb")
    except OSError as error:
        raise GuardError(f"cannot read patch {source.patch}: {error.strerror}", "check the path") from None
    with handle:
        yield handle


def environment_signals(env: Mapping[str, str], config: Config) -> list[str]:
    """What the running process says about its author: agent variables, and the identity git
    exports to hooks (aider puts `(aider)` in GIT_AUTHOR_NAME / GIT_COMMITTER_NAME)."""
    found = ai.from_environment(env, config)
    for role in ("author", "committer"):
        name = env.get(f"GIT_{role.upper()}_NAME", "")
        if name:
            found += ai.from_identity(role, name, env.get(f"GIT_{role.upper()}_EMAIL", ""), config)
    return found


def detect(
    source: Source,
    repo: Repo | None,
    env: Mapping[str, str],
    *,
    assume_ai: bool = False,
    assume_human: bool = False,
    message: str | None = None,
) -> Callable[[Config], Authorship]:
    """Authorship once the config is known: a range's commits speak for it (one `git log`);
    staged, work-tree and patch checks have the environment (and a commit-msg hook's message)."""
    def decide(config: Config) -> Authorship:
        if assume_ai or assume_human:
            return ai.decide((), assume_ai=assume_ai, assume_human=assume_human)
        if source.log_args and repo is not None:
            from guard.history import read_commits

            return ai.decide(ai.from_commits(read_commits(repo, source.log_args), config))
        signals = [] if message is None else ai.from_message(message, config)
        return ai.decide(signals + environment_signals(env, config))
    return decide


def run_source(
    source: Source,
    repo: Repo | None,
    *,
    config_path: str | None,
    authorship: Authorship | Callable[[Config], Authorship],
    scope: Sequence[str] = (),
) -> tuple[Verdict, Config]:
    """Judge one source. `scope` globs (from --scope) add to the config's; an approval recorded
    for exactly this diff's fingerprint is looked up once the diff has streamed by."""
    with ExitStack() as stack:
        # git starts on the diff first, and works on it while the config and authorship are read.
        if source.patch is not None:
            stream = stack.enter_context(_patch_stream(source))
        else:
            assert repo is not None
            stream = stack.enter_context(repo.stream(source.diff_args))
        blobs = stack.enter_context(repo.blobs()) if repo is not None else None
        config = load_config(config_path, source, blobs)
        if scope:
            config = config._replace(scope=config.scope + tuple(scope))
        who = authorship(config) if callable(authorship) else authorship
        hashed = Fingerprint(stream)

        def approval() -> Approval | None:
            return None if repo is None else state.approvals(repo.state_dir).get(hashed.hexdigest())

        verdict = judge(
            parse(cast(BinaryIO, hashed), trusted=source.patch is None),
            config,
            source=source.label,
            roots=roots_lookup(repo, source, blobs),
            authorship=who,
            approval=approval,
            context_extra=rule_context(
                config, codeowners_at(blobs, source.config_rev),
                new_text_reader(repo, blobs, source.tree_rev, source.on_disk),
                # A patch's author is unknown: only `[ownership] me` speaks for it.
                lambda: () if repo is None or source.patch is not None
                else repo.author_emails(source.config_rev, source.tree_rev or None)),
        )
        verdict = verdict._replace(fingerprint=hashed.hexdigest())
    return verdict, config


def record(repo: Repo | None, verdict: Verdict, command: str) -> None:
    """Journal a verdict (only inside a repository; never fails the verdict)."""
    if repo is not None:
        state.journal(repo.state_dir, state.verdict_record(verdict, command))

"""What every judging command shares: find the repo, load the config that applies, run a diff
source through the parser and the engine."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import BinaryIO
from contextlib import ExitStack, contextmanager

from guard.config import CONFIG_FILES, Config, load_text
from guard.engine import judge
from guard.errors import GuardError
from guard.git import BlobReader, Repo
from guard.model import Authorship, Verdict
from guard.parse import parse
from guard.paths import MANIFESTS
from guard.rules import rule_ids
from guard.sources import Source


def discover(required: bool) -> Repo | None:
    try:
        return Repo.discover()
    except GuardError:
        if required:
            raise
        return None


def load_config(path: str | None, source: Source, blobs: BlobReader | None) -> Config:
    """`--config PATH` if given; else the committed copy at the source's config revision."""
    known = rule_ids()
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
            config = load_text(data.decode("utf-8", "replace"), f"{name} at {source.config_rev}", known,
                               pyproject=name == "pyproject.toml")
            if name == ".guard.toml" or "no [tool.guard]" not in config.source:
                return config
    return Config()


def _roots_lookup(repo: Repo | None, source: Source, blobs: BlobReader | None):  # type: ignore[no-untyped-def]
    def lookup(candidates: set[str]) -> frozenset[str]:
        if not candidates or repo is None:
            return frozenset()
        pairs = [(d, m) for d in sorted(candidates) for m in MANIFESTS]
        if source.on_disk:
            return frozenset(d for d, m in pairs if os.path.exists(os.path.join(repo.cwd, d, m)))
        if source.tree_rev is None or blobs is None:
            return frozenset()
        found = blobs.read([f"{source.tree_rev}:{d}/{m}" for d, m in pairs])
        return frozenset(d for (d, _), data in zip(pairs, found) if data is not None)
    return lookup


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


def run_source(
    source: Source,
    repo: Repo | None,
    *,
    config_path: str | None,
    authorship: Authorship,
) -> tuple[Verdict, Config]:
    with ExitStack() as stack:
        blobs = stack.enter_context(repo.blobs()) if repo is not None else None
        config = load_config(config_path, source, blobs)
        if source.patch is not None:
            lines = stack.enter_context(_patch_stream(source))
        else:
            assert repo is not None
            lines = stack.enter_context(repo.stream(source.diff_args))
        verdict = judge(
            parse(lines),
            config,
            source=source.label,
            roots=_roots_lookup(repo, source, blobs),
            authorship=authorship,
        )
    return verdict, config

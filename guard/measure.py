"""How big and how spread a change is: the numbers behind the size and scope rules."""
from __future__ import annotations

from guard.config import Config
from guard.model import ChangeSet, Stats
from guard.paths import area_of, excluded_reason, is_docs, is_test


def candidate_roots(changeset: ChangeSet) -> set[str]:
    """Every directory above a changed file: where a package manifest might mark a component."""
    dirs: set[str] = set()
    for change in changeset.files:
        directory = change.path.rpartition("/")[0]  # git's paths: no doubled or trailing slashes
        while directory and directory not in dirs:
            dirs.add(directory)
            directory = directory.rpartition("/")[0]
    return dirs


def measure(changeset: ChangeSet, config: Config, package_roots: frozenset[str] = frozenset()) -> Stats:
    added = removed = files = 0
    excluded: list[tuple[str, str]] = []
    tests: list[str] = []
    docs: list[str] = []
    main_areas: dict[str, None] = {}
    side_areas: dict[str, None] = {}
    symbols: dict[str, None] = {}
    for change in changeset.files:
        reason = excluded_reason(change.path, change.binary, config.generated, change.says_generated)
        if reason:
            excluded.append((change.path, reason))
            continue
        files += 1
        added += change.added
        removed += change.removed
        symbols.update(dict.fromkeys(change.symbols))
        area = area_of(change.path, config.components, package_roots)
        if is_test(change.path):
            tests.append(change.path)
            side_areas[area] = None
        elif is_docs(change.path):
            docs.append(change.path)
            side_areas[area] = None
        else:
            main_areas[area] = None
    # Tests and docs that accompany a change do not widen its scope; on their own they are one.
    areas = tuple(main_areas) if main_areas else tuple(side_areas)
    return Stats(
        files=files,
        added=added,
        removed=removed,
        changed_lines=added + removed,
        areas=areas,
        symbols=tuple(symbols),
        excluded=tuple(excluded),
        tests=tuple(tests),
        docs=tuple(docs),
    )

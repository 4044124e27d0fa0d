"""Pattern groups answer with plain string tests where they can; each shortcut must agree with
the pattern's full regex, the meaning a gitignore-style pattern has."""
from __future__ import annotations

import itertools

import pytest

from guard.globs import _regex, compile_glob, pattern_set

PATHS = ["a.test.js", "src/a.test.js", "src/x.test/b.py", "test.js", "a.test", ".test.", "a/.test./b",
         "a/b/c.spec.ts", "foo_generated.go", "dir/foo_generated/x", "dist/app.js", "src/dist/x",
         "docs/index.md", "CHANGELOG.md", "tests/test_x.py", "test_x.py", "x_test.go", "vendor/a/b.go",
         "a.min.js", "README", "conftest.py", "sub/conftest.py", "build/out.map", "x"]
PATTERNS = ["*.test.*", "*.spec.*", "*.generated.*", "*_generated.*", "dist/", "docs/", "*.md",
            "CHANGELOG*", "test_*.py", "*_test.go", "vendor/", "*.min.js", "conftest.py", "*.map",
            "/README", "/docs/", "/dist", "/*.md", "/conftest.py", "/src/dist", "/vendor/a/"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_shape_agrees_with_the_full_regex(pattern: str) -> None:
    regex = _regex(pattern)
    for match in (pattern_set((pattern,)), compile_glob(pattern)):
        for path in PATHS:
            assert match(path) == (regex.fullmatch(path) is not None), (pattern, path)


def test_a_leading_slash_anchors_at_the_root() -> None:
    """As in .gitignore and CODEOWNERS: `/README` is the root's README, not docs/README."""
    for pattern in ("/README", "/docs", "/docs/"):
        for match in (pattern_set((pattern,)), compile_glob(pattern)):
            name = pattern.strip("/")
            assert match(f"{name}/x" if pattern.endswith("/") else name)
            assert not match(f"sub/{name}") and not match(f"sub/{name}/x"), pattern


def test_a_group_is_the_union_of_its_patterns() -> None:
    for group in itertools.combinations(PATTERNS, 3):
        match = pattern_set(group)
        for path in PATHS:
            assert match(path) == any(_regex(p).fullmatch(path) for p in group), (group, path)

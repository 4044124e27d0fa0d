"""Pattern groups answer with plain string tests where they can; each shortcut must agree with
the pattern's full regex, the meaning a gitignore-style pattern has."""
from __future__ import annotations

import itertools

import pytest

from guard.globs import _regex, pattern_set

PATHS = ["a.test.js", "src/a.test.js", "src/x.test/b.py", "test.js", "a.test", ".test.", "a/.test./b",
         "a/b/c.spec.ts", "foo_generated.go", "dir/foo_generated/x", "dist/app.js", "src/dist/x",
         "docs/index.md", "CHANGELOG.md", "tests/test_x.py", "test_x.py", "x_test.go", "vendor/a/b.go",
         "a.min.js", "README", "conftest.py", "sub/conftest.py", "build/out.map", "x"]
PATTERNS = ["*.test.*", "*.spec.*", "*.generated.*", "*_generated.*", "dist/", "docs/", "*.md",
            "CHANGELOG*", "test_*.py", "*_test.go", "vendor/", "*.min.js", "conftest.py", "*.map"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_shape_agrees_with_the_full_regex(pattern: str) -> None:
    match, regex = pattern_set((pattern,)), _regex(pattern)
    for path in PATHS:
        assert match(path) == (regex.fullmatch(path) is not None), (pattern, path)


def test_a_group_is_the_union_of_its_patterns() -> None:
    for group in itertools.combinations(PATTERNS, 3):
        match = pattern_set(group)
        for path in PATHS:
            assert match(path) == any(_regex(p).fullmatch(path) for p in group), (group, path)

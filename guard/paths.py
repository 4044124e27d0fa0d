"""What kind of file a path is: test, docs, lockfile, generated, vendored; and its area."""

from functools import cache, lru_cache
from typing import NamedTuple

from guard.globs import Matcher, matches_any, pattern_set

LOCKFILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
    "bun.lock", "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "Gemfile.lock",
    "Cargo.lock", "go.sum", "composer.lock", "packages.lock.json", "mix.lock",
    "pubspec.lock", "Podfile.lock", "gradle.lockfile", "flake.lock", "conda-lock.yml",
    "Package.resolved", "deno.lock",
})
GENERATED = (
    "*.pb.go", "*_pb2.py", "*_pb2.pyi", "*_pb2_grpc.py", "*.pb.cc", "*.pb.h", "*.g.dart",
    "*.generated.*", "*_generated.*", "*.designer.cs", "*.Designer.cs", "__snapshots__/",
    "*.snap", "dist/", "*.map",
)
VENDORED = ("vendor/", "third_party/", "third-party/", "node_modules/", "external/", "_vendor/")
MINIFIED = ("*.min.js", "*.min.css", "*.min.mjs", "*-min.js", "*.bundle.js")
TESTS = (
    "test/", "tests/", "testing/", "spec/", "__tests__/", "test_*.py", "*_test.py", "*_test.go",
    "*.test.*", "*.spec.*", "*_spec.rb", "*Test.java", "*Tests.java", "*Test.kt", "*Tests.cs",
    "conftest.py", "*_test.exs", "*_test.rs", "fixtures/", "testdata/",
)
DOCS = ("docs/", "doc/", "*.md", "*.rst", "*.adoc", "CHANGELOG*", "CHANGES*", "AUTHORS*")
MANIFESTS = ("pyproject.toml", "setup.py", "package.json", "go.mod", "Cargo.toml", "pom.xml",
             "build.gradle", "build.gradle.kts", "Gemfile", "composer.json", "mix.exs")


def excluded_reason(path: str, binary: bool, extra_generated: tuple[str, ...] = (),
                    says_generated: bool = False) -> str:
    """Why a file does not count toward size ('' when it does). `says_generated`: the file's
    first lines say a tool wrote it (FileChange.says_generated); its name still comes first, so
    a lockfile that says `@generated` stays a lockfile."""
    if binary:
        return "binary"
    reason = _kind(path).excluded
    if not reason and (says_generated or extra_generated and pattern_set(extra_generated)(path)):
        return "generated"
    return reason


def is_test(path: str) -> bool:
    return _kind(path).test


def is_docs(path: str) -> bool:
    return _kind(path).docs


class _Kind(NamedTuple):
    excluded: str
    test: bool
    docs: bool


@lru_cache(maxsize=8192)
def _kind(path: str) -> _Kind:
    """Every question above, answered once per path: the rules and the size count ask them
    again and again of the same files."""
    vendored, minified, generated, tests, docs = _matchers()
    if path.rpartition("/")[2] in LOCKFILES:
        excluded = "lockfile"
    elif vendored(path):
        excluded = "vendored"
    elif minified(path):
        excluded = "minified"
    elif generated(path):
        excluded = "generated"
    else:
        excluded = ""
    test = tests(path)
    return _Kind(excluded, test, not test and docs(path))


@cache
def _matchers() -> tuple[Matcher, ...]:
    # Unwrapped from pattern_set's own per-path cache: _kind already remembers each path.
    return tuple(getattr(match, "__wrapped__", match)
                 for match in map(pattern_set, (VENDORED, MINIFIED, GENERATED, TESTS, DOCS)))


def area_said(area: str) -> str:
    """An area as a reader sees it: the files at the top are "the top level", not `.`."""
    return "the top level" if area == "." else area


def area_of(path: str, components: tuple[str, ...], package_roots: frozenset[str]) -> str:
    """The component a path belongs to: a configured component, the nearest package root, or
    the first path segment (`.` for files at the top)."""
    for component in components:
        root = component.rstrip("/")
        if "*" in root:
            depth = root.count("/") + 1
            parts = path.split("/")
            if len(parts) > depth and matches_any("/".join(parts[:depth]), (root,)):
                return "/".join(parts[:depth])
        elif path == root or path.startswith(root + "/"):
            return root
    directory = path.rpartition("/")[0]  # git's paths: no doubled or trailing slashes
    while directory:
        if directory in package_roots:
            return directory
        directory = directory.rpartition("/")[0]
    return path.split("/", 1)[0] if "/" in path else "."

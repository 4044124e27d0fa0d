"""What kind of file a path is: test, docs, lockfile, generated, vendored; and its area."""
from __future__ import annotations

import posixpath

from guard.globs import matches_any

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


def excluded_reason(path: str, binary: bool, extra_generated: tuple[str, ...] = ()) -> str:
    """Why a file does not count toward size ('' when it does)."""
    if binary:
        return "binary"
    if posixpath.basename(path) in LOCKFILES:
        return "lockfile"
    if matches_any(path, VENDORED):
        return "vendored"
    if matches_any(path, MINIFIED):
        return "minified"
    if matches_any(path, GENERATED) or matches_any(path, extra_generated):
        return "generated"
    return ""


def is_test(path: str) -> bool:
    return matches_any(path, TESTS)


def is_docs(path: str) -> bool:
    return matches_any(path, DOCS) and not is_test(path)


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
    directory = posixpath.dirname(path)
    while directory:
        if directory in package_roots:
            return directory
        directory = posixpath.dirname(directory)
    return path.split("/", 1)[0] if "/" in path else "."

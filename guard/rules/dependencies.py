"""Dependencies: manifests everyone installs from, and the lockfiles that pin them."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator

from guard.model import ChangeSet, FileChange, Level, Question
from guard.paths import LOCKFILES
from guard.rules import Context, Hit, Rule
from guard.rules.pathsets import PathSet
from guard.rules.patterns import Lazy, lazy

_OPTIONS = """## Options
`rules.{id} = "report"` to be told instead of asked; per path with `[[overrides]]`
(for example `paths = ["docs/requirements.txt"]`, `level = "report"`)."""

MANIFEST = Rule(
    "dependency-manifest", "dependency", Question.OTHERS, Level.ASK,
    "a dependency manifest adds, removes or changes packages",
    """## What it does
Asks when a change edits the dependencies of a manifest: requirements*.txt, pyproject.toml
(`[project] dependencies`, optional dependencies, `[build-system] requires`, dependency groups,
Poetry/uv/PDM tables), setup.py, setup.cfg, Pipfile, environment.yml, package.json and
composer.json dependency sections, Gemfile and gemspecs, go.mod, Cargo.toml dependency tables,
pom.xml, build.gradle(.kts), .NET project files (PackageReference), packages.config and
Directory.Packages.props. The message names what was added, removed or changed version.
Edits to other parts of those files (`[tool.ruff]`, `"scripts"`) do not count, nor does the
project's own version that a release bumps (`version = "0.8.0"` in build.gradle(.kts), the
`<version>` under `<project>` in pom.xml, not the parent's).

## Why it matters
Everyone who installs the project gets the new package, with its licence, its maintainers and
its own dependencies. A new package index or a git URL changes where code comes from.

## Example
`+requests==2.32.0` and `-django==4.2` / `+django==5.0` in requirements.txt →
`requirements.txt: adds requests 2.32.0; bumps django 4.2 → 5.0`.

""" + _OPTIONS.format(id="dependency-manifest"),
)
LOCKFILE = Rule(
    "dependency-lockfile", "dependency", Question.OTHERS, Level.ASK,
    "a lockfile changes (says when it is the lockfile only)",
    """## What it does
Asks when a lockfile changes: poetry.lock, uv.lock, Pipfile.lock, pdm.lock, package-lock.json,
yarn.lock, pnpm-lock.yaml, bun.lock, Gemfile.lock, go.sum, Cargo.lock, composer.lock,
packages.lock.json, gradle.lockfile and others. When no manifest changed with it, the message
says "lockfile only".

## Why it matters
A lockfile decides the exact code every install and every deploy runs. A re-lock with no
manifest change still moves versions for everyone.

## Example
`go.sum` changing on its own → `lockfile only: go.sum (+4 -2) with no manifest change`.

""" + _OPTIONS.format(id="dependency-lockfile"),
)
RULES = (MANIFEST, LOCKFILE)

_PY_DEPS = lazy(
    r"^(project\.(dependencies|optional-dependencies)|build-system\.requires|dependency-groups"
    r"|tool\.poetry\.(dependencies|dev-dependencies|group\..+\.dependencies|source|extras)"
    r"|tool\.uv\.(dev-dependencies|sources|index|constraint-dependencies|override-dependencies)"
    r"|tool\.pdm\.dev-dependencies|tool\.hatch\.envs\..+\.(extra-)?dependencies)(\..*)?$")
_CARGO_DEPS = lazy(r"^((workspace\.)?(dev-|build-)?dependencies|target\..+\.(dev-|build-)?dependencies"
                         r"|patch\..+|replace)(\..*)?$")
_PIPFILE_DEPS = lazy(r"^(packages|dev-packages|source|requires)(\..*)?$")
_SETUPCFG_DEPS = lazy(r"^options(\.(install_requires|setup_requires|tests_require)|\.extras_require.*)$")
_JSON_DEPS = lazy(r"^(dependencies|devDependencies|peerDependencies|optionalDependencies|"
                        r"bundleDependencies|bundledDependencies|overrides|resolutions|require|require-dev|"
                        r"repositories)(\..*)?$")
_DEP_KEYS = {"dependencies", "optional-dependencies", "requires", "dev-dependencies", "install_requires",
             "extras_require", "packages", "dev-packages", "devDependencies", "peerDependencies",
             "require", "require-dev"}
_NUGET_LINE = lazy(r"<(PackageReference|PackageVersion|package)\b|<Version>|\bVersion=", re.I)
_SETUP_PY_LINE = lazy(r"_requires|extras_require|^\s*['\"][A-Za-z0-9][\w.\-]*\s*(\[[^\]]*\])?\s*([<>=!~]=?|['\"])")
_MAVEN_LINE = lazy(r"<(dependency|dependencies|dependencyManagement|groupId|artifactId|version|scope|exclusions?"
                         r"|parent|plugin|repository|classifier)\b|<[\w.-]+\.version>")
_GRADLE_LINE = lazy(r"\b(implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|classpath"
                          r"|annotationProcessor|kapt|ksp|platform|enforcedPlatform|constraints|version|plugins?|id"
                          r"|dependencies|repositories|maven|mavenCentral|google|libs)\b|[\w.-]+:[\w.-]+:\d")
_INDEX = lazy(r"--(extra-)?index-url|--find-links|\bgit\+|\bregistry\s*=|\[\[tool\.(poetry\.source|uv\.index)\]\]"
                    r"|\"repositories\"|\bsource\s+['\"]https?://")


# The project's own version, which a release bumps: not a dependency. Gradle's `version = "0.8.0"`
# (a plugin's version is `id(...) version "1.9"`, a constraint's `version { strictly(...) }`);
# Maven's <version> right under <project> (not one under <parent> or <dependency>), and a line
# that holds no element of its own (`<!-- <version>0.9</version> -->` is a comment).
_GRADLE_OWN = lazy(r"^\s*(?:project\.)?version\s*=")
_MAVEN_DEPS = lazy(r"^(?!project(?:\.version)?$)")

_VERSION_PAIR = lazy(r'^"([^"]+)"\s*:\s*"(?:[~^<>=]*\s*\d|workspace:|npm:|git\+|github:)')


class Manifest:
    """How to read one kind of manifest: which lines are dependencies, and how to parse them."""

    def __init__(self, globs: tuple[str, ...], ecosystem: str, style: str = "",
                 deps: Lazy | None = None, line: Lazy | None = None, own: Lazy | None = None) -> None:
        self.globs, self.paths, self.ecosystem, self.style, self.deps, self.line = globs, PathSet(*globs), ecosystem, style, deps, line
        self.own = own  # a line that sets the project's own version, though `line` matches it

    def relevant(self, path: str, text: str) -> bool:
        from guard.rules import packages
        from guard.rules.sections import UNKNOWN

        if path.startswith(UNKNOWN):
            if self.style == "xml":
                return True  # where the hunk sits is not known: the line pattern decides
            key = path.rsplit(".", 1)[-1]
            if key and key != UNKNOWN:
                return key in _DEP_KEYS or (self.deps is not None and bool(self.deps.match(key)))
            # Nothing known about where the hunk is: a line shaped like a pinned dependency counts.
            stripped = text.strip().rstrip(",")
            if self.style == "json":
                pair = _VERSION_PAIR.match(stripped)
                return pair is not None and pair.group(1) not in ("version", "node", "npm", "engines")
            return bool(packages.requirement(stripped) and re.search(r"[<>=~!]", text)
                        or packages.table_entry(text) and re.search(r"\d", text))
        return self.deps is None or bool(self.deps.match(path))


MANIFESTS = (
    Manifest(("requirements*.txt", "requirements*.in", "requirements/*.txt", "requirements/*.in",
              "constraints*.txt", "*-requirements.txt", "dev-requirements.in"), "pep508"),
    Manifest(("pyproject.toml",), "pep508", "toml", _PY_DEPS),
    Manifest(("setup.cfg",), "pep508", "toml", _SETUPCFG_DEPS),
    Manifest(("setup.py",), "pep508", line=_SETUP_PY_LINE),
    Manifest(("Pipfile",), "table", "toml", _PIPFILE_DEPS),
    Manifest(("environment.yml", "environment.yaml", "conda.yml", "conda.yaml"), "conda"),
    Manifest(("package.json", "composer.json"), "json", "json", _JSON_DEPS),
    Manifest(("Gemfile", "*.gemspec", "gems.rb"), "ruby"),
    Manifest(("go.mod",), "go"),
    Manifest(("Cargo.toml",), "table", "toml", _CARGO_DEPS),
    Manifest(("pom.xml",), "maven", "xml", _MAVEN_DEPS, line=_MAVEN_LINE),
    Manifest(("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"), "gradle",
             line=_GRADLE_LINE, own=_GRADLE_OWN),
    Manifest(("gradle/libs.versions.toml",), "table"),
    Manifest(("*.csproj", "*.fsproj", "*.vbproj"), "nuget", line=_NUGET_LINE),
    Manifest(("packages.config", "Directory.Packages.props", "*.nuspec"), "nuget"),
    Manifest(("mix.exs", "Package.swift", "Podfile", "pubspec.yaml", "deno.json"), "other"),
)
EXTRA_LOCKFILES = PathSet("gradle.lockfile", "*.lock.json", "requirements*.lock")


_ANY_MANIFEST = PathSet(*(glob for m in MANIFESTS for glob in m.globs))


def manifest_for(path: str) -> Manifest | None:
    if not _ANY_MANIFEST.matches(path):
        return None
    return next((m for m in MANIFESTS if m.paths.matches(path)), None)


def is_lockfile(path: str) -> bool:
    return path.rpartition("/")[2] in LOCKFILES or EXTRA_LOCKFILES.matches(path) \
        and not path.endswith("package.json")


def _reader(context: Context) -> Callable[[str], str | None]:
    read = context.extra.get("read_new")
    return read if callable(read) else (lambda path: None)


def dependency_lines(change: FileChange, manifest: Manifest, context: Context) -> list[tuple[str, str]]:
    """(kind, text) of the changed lines that are about dependencies."""
    # Reading manifests (sections, packages) is imported only when a manifest changes.
    from guard.rules.sections import changed_paths

    if manifest.style:
        text = None if change.status == "deleted" else _reader(context)(change.path)
        pairs = changed_paths(change, manifest.style, text)
        lines = [(line.kind, line.text) for line, path in pairs if manifest.relevant(path, line.text)]
    else:
        lines = [(line.kind, line.text) for line in change.lines if line.kind in "+-"]
    if manifest.line is not None:
        lines = [(k, t) for k, t in lines if manifest.line.search(t)]
    if manifest.own is not None:
        lines = [(k, t) for k, t in lines if not manifest.own.search(t)]
    # A blank line or a comment says nothing about a dependency (a blank line before a new
    # table still falls in the table above it).
    return [(k, t) for k, t in lines if t.strip() and not t.strip().startswith(("#", "//"))]


def _describe(change: FileChange, manifest: Manifest, lines: list[tuple[str, str]]) -> str:
    from guard.rules import packages

    if manifest.ecosystem == "maven":
        # Changed lines that are not about dependencies (the project's own <version>) are
        # read as context: they pair no version with an artifact.
        about = set(lines)
        context = [(line.kind if (line.kind, line.text) in about else " ", line.text)
                   for line in change.lines if line.kind != "-" or (line.kind, line.text) in about]
        old, new = packages.maven(context)
    else:
        old, new = {}, {}
        for kind, text in lines:
            for name, version in packages.parse_all(manifest.ecosystem, text):
                (old if kind == "-" else new)[name] = version
    what = packages.describe(old, new)
    if change.status == "added":
        what = f"new manifest{': ' + what if what else ''}"
    elif change.status == "deleted":
        what = "deletes the manifest"
    if any(_INDEX.search(text) for kind, text in lines if kind == "+"):
        what = f"{what + '; ' if what else ''}changes where packages come from (index, registry or git URL)"
    return what or "edits dependencies"


def _same_lines(lines: list[tuple[str, str]]) -> bool:
    """The removed and the added lines are the same but for order, indentation and a trailing comma."""
    def normalized(kind: str) -> list[str]:
        return sorted(text.strip().rstrip(",") for k, text in lines if k == kind)
    return normalized("+") == normalized("-")


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    manifest = manifest_for(change.path)
    if manifest is None or change.binary:
        return
    lines = dependency_lines(change, manifest, context)
    if not lines and change.status not in ("added", "deleted"):
        return
    if change.status not in ("added", "deleted") and _same_lines(lines):
        return  # reordered or reindented: the same dependencies
    if change.status == "added" and manifest.style and not lines:
        return  # e.g. a new pyproject.toml with no dependencies at all
    texts = {text for kind, text in lines if kind == "+"}
    first = next((line.number for line in change.lines if line.kind == "+" and line.text in texts), None)
    yield Hit(MANIFEST, change.path, first,
              f"{change.path}: {_describe(change, manifest, lines)}")


def check_changeset(changeset: ChangeSet, context: Context) -> Iterator[Hit]:
    manifests = {posixpath.dirname(f.path) for f in changeset.files if manifest_for(f.path)}
    for change in changeset.files:
        if not is_lockfile(change.path):
            continue
        counts = f"(+{change.added} -{change.removed})"
        folder = posixpath.dirname(change.path)
        # A workspace lockfile sits above the member manifests it pins.
        if any(m == folder or not folder or m.startswith(folder + "/") for m in manifests):
            message = f"{change.path} {counts} changes with its manifest"
        else:
            message = f"lockfile only: {change.path} {counts} with no manifest change"
        yield Hit(LOCKFILE, change.path, None, message)

"""Package names and versions from dependency-manifest lines, per ecosystem, and the sentence
that says what changed ("adds requests 2.32.0; bumps django 4.2 → 5.0"). Pure text work."""
from __future__ import annotations

import re
from collections.abc import Iterable

from guard.rules.patterns import lazy
from guard.words import fold

# A PEP 508 requirement, alone on a requirements.txt line or quoted in a TOML/setup.py list.
_PEP508 = lazy(
    r"""^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*"""
    r"""((?:===|==|~=|!=|<=|>=|<|>)\s*[^;"'#\s,)]+(?:\s*,\s*(?:===|==|~=|!=|<=|>=|<|>)\s*[^;"'#\s,)]+)*)?"""
    r"""\s*\)?\s*(?:;[^"'#]*)?(?:@\s*\S+)?["']?\s*,?\s*(?:#.*)?$""")
_TOML_KEY = lazy(r"""^\s*["']?([A-Za-z0-9][\w.\-]*)["']?\s*=\s*(.+?)\s*(?:#.*)?$""")
_INLINE_VERSION = lazy(r"""\bversion\s*=\s*["']([^"']+)["']""")
_JSON_PAIR = lazy(r'^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$')
_GEM = lazy(r"""^\s*(?:gem|\w+\.add_(?:runtime_|development_)?dependency)\s*\(?\s*["']([^"']+)["']"""
                  r"""(?:\s*,\s*["']([^"']+)["'])?""")
# The Go version a module needs, and the toolchain it asks for: everyone who builds it needs them.
_GO_DIRECTIVE = lazy(r"^\s*(go|toolchain)\s+(\S+)\s*(?://.*)?$")
_GO = lazy(r"^\s*(?:require\s+)?([\w.~-]+(?:\.[\w-]+)+(?:/[^\s]+)*)\s+(v\d[^\s]*)(?:\s*//.*)?$")
_GRADLE = lazy(r"""["']([\w.\-]+):([\w.\-]+):([^"'@$\s]+)["']""")
_NUGET = lazy(r"""<(?:PackageReference|PackageVersion|package)\s+(?:Include|Update|id)="([^"]+)"[^>]*?"""
                    r"""(?:\s[Vv]ersion="([^"]+)")?""")
_MAVEN_ARTIFACT = lazy(r"<artifactId>\s*([^<\s]+)\s*</artifactId>")
_MAVEN_VERSION = lazy(r"<version>\s*([^<\s]+)\s*</version>")
_CONDA = lazy(r"^\s*-\s*([A-Za-z0-9][\w.\-]*)\s*(?:([=<>!~]=?\s*[^\s#]+))?\s*(?:#.*)?$")

Pairs = dict[str, str]


def _clean(version: str) -> str:
    version = version.strip().strip("\"'")
    return version[2:].strip() if version.startswith("==") and "," not in version else version


def requirement(text: str) -> tuple[str, str] | None:
    """`requests>=2.32` -> ("requests", ">=2.32"); `django==5.0` -> ("django", "5.0")."""
    stripped = text.strip()
    if not stripped or stripped.startswith(("#", "-", "[", "]")):
        return None
    match = _PEP508.match(stripped)
    if not match:
        return None
    return match.group(1), _clean(match.group(2) or "")


def table_entry(text: str) -> tuple[str, str] | None:
    """`serde = "1.0"`, `requests = { version = "^2.31", optional = true }`."""
    match = _TOML_KEY.match(text)
    if not match:
        return None
    name, value = match.groups()
    if value.startswith("{"):
        inline = _INLINE_VERSION.search(value)
        version = inline.group(1) if inline else ("git" if "git" in value else "path" if "path" in value else "")
    else:
        version = value.strip("\"'")
    return name, version


# A TOML array of requirements on one line: dependencies = ["requests>=2.31", "tenacity"].
_INLINE_ARRAY = lazy(r"""^\s*["']?[\w.-]+["']?\s*=\s*\[(?P<items>.*)\]\s*(?:#.*)?$""")
_QUOTED = lazy(r""""([^"]*)"|'([^']*)'""")


def parse_all(ecosystem: str, text: str) -> list[tuple[str, str]]:
    """The packages a line names: one, or each requirement of a one-line TOML array."""
    if ecosystem == "pep508" and (array := _INLINE_ARRAY.match(text)):
        found = (requirement(a or b) for a, b in _QUOTED.findall(array["items"]))
        return [pair for pair in found if pair]
    pair = parse_line(ecosystem, text)
    return [pair] if pair else []


def parse_line(ecosystem: str, text: str) -> tuple[str, str] | None:
    if ecosystem == "pep508":
        return requirement(text)
    if ecosystem == "table":
        return table_entry(text)
    if ecosystem == "json":
        match = _JSON_PAIR.match(text)
        return (match.group(1), match.group(2)) if match else None
    if ecosystem == "ruby":
        match = _GEM.match(text)
        return (match.group(1), match.group(2) or "") if match else None
    if ecosystem == "go":
        match = _GO.match(text) or _GO_DIRECTIVE.match(text)
        return (match.group(1), match.group(2)) if match else None
    if ecosystem == "gradle":
        match = _GRADLE.search(text)
        return (f"{match.group(1)}:{match.group(2)}", match.group(3)) if match else None
    if ecosystem == "nuget":
        match = _NUGET.search(text)
        return (match.group(1), match.group(2) or "") if match else None
    if ecosystem == "conda":
        match = _CONDA.match(text)
        return (match.group(1), _clean(match.group(2) or "")) if match else None
    return None


def maven(lines: Iterable[tuple[str, str]]) -> tuple[Pairs, Pairs]:
    """pom.xml: pair each changed <version> with the <artifactId> above it on the same side."""
    old: Pairs = {}
    new: Pairs = {}
    last = {"-": "", "+": ""}
    for kind, text in lines:
        artifact = _MAVEN_ARTIFACT.search(text)
        version = _MAVEN_VERSION.search(text)
        sides = ("-", "+") if kind == " " else (kind,)
        for side in sides:
            if artifact:
                last[side] = artifact.group(1)
                if kind != " ":
                    (old if side == "-" else new).setdefault(artifact.group(1), "")
            if version and kind != " " and last[side]:
                (old if side == "-" else new)[last[side]] = version.group(1)
    return old, new


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:4])


def _verb(old: str, new: str) -> str:
    a, b = _numbers(old), _numbers(new)
    if a and b and a != b:
        return "bumps" if b > a else "downgrades"
    return "changes"


def describe(old: Pairs, new: Pairs) -> str:
    """What the removed (old) and added (new) pairs say happened, or "" if nothing parsed."""
    norm_old = {k.lower().replace("_", "-"): (k, v) for k, v in old.items()}
    norm_new = {k.lower().replace("_", "-"): (k, v) for k, v in new.items()}
    added = [f"{n} {v}".strip() for key, (n, v) in norm_new.items() if key not in norm_old]
    removed = [n for key, (n, _) in norm_old.items() if key not in norm_new]
    changed: dict[str, list[str]] = {}
    for key, (name, version) in norm_new.items():
        if key in norm_old and norm_old[key][1] != version:
            before = norm_old[key][1] or "unpinned"
            verb = _verb(before, version)
            changed.setdefault(verb, []).append(f"{name} {before} → {version or 'unpinned'}")
    parts = []
    if added:
        parts.append(f"adds {fold(added, 5)}")
    for verb in ("bumps", "downgrades", "changes"):
        if changed.get(verb):
            parts.append(f"{verb} {fold(changed[verb], 5)}")
    if removed:
        parts.append(f"removes {fold(removed, 5)}")
    return "; ".join(parts)

"""CODEOWNERS, as GitHub and GitLab read it: gitignore-like patterns, the last match wins;
GitLab sections (`[Name]`, optional `^[Name]`, default owners on the section line) each
contribute their own last match. Pure: the command layer reads the file."""

import re
from typing import NamedTuple

from guard.globs import Matcher, compile_glob
from guard.rules.patterns import Lazy

# GitHub looks in .github/, the root, then docs/; GitLab also reads .gitlab/.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


# Compiled on first use: most repositories have no CODEOWNERS.
_SECTION = Lazy(r"^(\^)?\[([^\]]+)\](?:\[\d+\])?\s*(.*)$")
_OWNER = Lazy(r"(?:\\.|[^\s\\])+")


class Entry(NamedTuple):
    pattern: str
    owners: tuple[str, ...]
    line: int
    matches: Matcher


class Section(NamedTuple):
    name: str
    optional: bool
    defaults: tuple[str, ...]
    entries: tuple[Entry, ...]


class Owners(NamedTuple):
    """Who owns one path in one section, and the CODEOWNERS line that says so."""

    section: str
    owners: tuple[str, ...]
    line: int


class CodeOwners(NamedTuple):
    path: str
    sections: tuple[Section, ...]

    def owners_of(self, path: str) -> list[Owners]:
        """The required owners of `path`, one per section with a match (optional sections and
        entries that clear ownership give none)."""
        found = []
        for section in self.sections:
            last = None
            for entry in section.entries:
                if entry.matches(path):
                    last = entry
            if last is None or section.optional:
                continue
            if last.pattern.startswith("!"):
                continue  # GitLab: an exclusion pattern takes the path out of this section
            owners = last.owners or section.defaults
            if owners:
                found.append(Owners(section.name, owners, last.line))
        return found


def _matcher(pattern: str) -> Matcher:
    matches = compile_glob(pattern)
    body = pattern.strip("/")
    last = body.rsplit("/", 1)[-1]
    if "/" in body and "*" in last and "**" not in body and not pattern.endswith("/"):
        # GitHub: `docs/*` matches docs/a.md but not docs/sub/b.md (unlike .gitignore).
        depth = body.count("/")
        return lambda path: path.count("/") == depth and matches(path)
    return matches


def _tokens(text: str) -> list[str]:
    out = []
    for token in _OWNER.findall(text):
        if token.startswith("#"):
            break  # the rest of the line is a comment
        out.append(re.sub(r"\\(.)", r"\1", token))
    return out


def parse(text: str, path: str = "CODEOWNERS") -> CodeOwners:
    sections: list[Section] = []
    name, optional = "", False
    defaults: tuple[str, ...] = ()
    entries: list[Entry] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        section = _SECTION.match(line)
        if section:
            sections.append(Section(name, optional, defaults, tuple(entries)))
            name, optional = section.group(2).strip(), bool(section.group(1))
            defaults, entries = tuple(_tokens(section.group(3))), []
            continue
        tokens = _tokens(line)
        if not tokens:
            continue
        pattern, owners = tokens[0], tuple(t for t in tokens[1:] if "@" in t)
        entries.append(Entry(pattern, owners, number, _matcher(pattern.removeprefix("!"))))
    sections.append(Section(name, optional, defaults, tuple(entries)))
    return CodeOwners(path, tuple(s for s in sections if s.entries))


def github_login(email: str) -> str | None:
    """`12345+alice@users.noreply.github.com` -> `@alice` (GitHub's private commit e-mail)."""
    match = re.fullmatch(r"(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com", email.strip(), re.I)
    return f"@{match.group(1)}" if match else None


def identities(emails: tuple[str, ...], configured: tuple[str, ...]) -> frozenset[str]:
    """Every name the author may appear under in CODEOWNERS, lower-cased."""
    names = set(configured) | set(emails)
    names |= {login for login in map(github_login, emails) if login}
    return frozenset(n.lower() for n in names)

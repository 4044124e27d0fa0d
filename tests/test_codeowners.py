"""The CODEOWNERS parser and matcher (pure): GitHub and GitLab semantics."""
from __future__ import annotations

import pytest

from guard.codeowners import github_login, identities, parse

GITHUB = r"""
# comment
*                @acme/everyone
*.js             @js-owner   # trailing comment
/build/logs/     @doctocat
docs/*           docs@example.com
apps/            @octocat
/scripts/        @acme/ops
**/logs          @logs-team
/my\ folder/     @spaces
/src/generated/
/Makefile        @build-team
"""


@pytest.mark.parametrize(("path", "owners"), [
    ("README.md", ("@acme/everyone",)),
    ("src/app.js", ("@js-owner",)),
    ("build/logs/x.log", ("@logs-team",)),  # **/logs comes later: the last match wins
    ("docs/getting-started.md", ("docs@example.com",)),
    ("docs/build-app/troubleshooting.md", ("@acme/everyone",)),  # docs/* is one level only
    ("web/apps/main.py", ("@octocat",)),
    ("scripts/deploy.sh", ("@acme/ops",)),
    ("deep/down/logs/today.txt", ("@logs-team",)),
    ("my folder/file.txt", ("@spaces",)),
    ("Makefile", ("@build-team",)),
    ("scripts/Makefile", ("@acme/ops",)),  # /Makefile is the root's only
    ("tools/scripts/x.sh", ("@acme/everyone",)),  # /scripts/ too
])
def test_github_last_match_wins(path: str, owners: tuple[str, ...]) -> None:
    found = parse(GITHUB).owners_of(path)
    assert [m.owners for m in found] == [owners]


def test_entry_without_owners_clears_ownership() -> None:
    assert parse(GITHUB).owners_of("src/generated/api.py") == []


GITLAB = """
[Backend] @acme/backend
app/
lib/ @lib-owner

^[Docs] @acme/writers
*.md

[Security][2] @acme/security
app/auth/
"""


def test_gitlab_sections_defaults_and_optional() -> None:
    owners = parse(GITLAB)
    found = {m.section: m.owners for m in owners.owners_of("app/auth/login.py")}
    assert found == {"Backend": ("@acme/backend",), "Security": ("@acme/security",)}
    assert [m.owners for m in owners.owners_of("lib/util.py")] == [("@lib-owner",)]
    assert owners.owners_of("README.md") == []  # only an optional section matches


def test_identities_include_github_noreply_logins() -> None:
    assert github_login("12345+Alice@users.noreply.github.com") == "@Alice"
    assert github_login("alice@example.com") is None
    names = identities(("12345+alice@users.noreply.github.com",), ("@acme/Web",))
    assert {"@alice", "@acme/web"} <= names


def test_gitlab_exclusion_pattern() -> None:
    owners = parse("[Backend] @acme/backend\napp/\n!app/generated/\n")
    assert owners.owners_of("app/generated/api.py") == []
    assert [m.owners for m in owners.owners_of("app/api.py")] == [("@acme/backend",)]

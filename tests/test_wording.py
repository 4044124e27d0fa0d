"""What guard prints reads as a colleague's note: the headline names what matters most, counts
agree with their nouns, and the way to approve works where it is printed."""
from __future__ import annotations

from conftest import Repo, clean_env

AGENT = clean_env(CLAUDECODE="1")


def _sixty_lines(project: Repo) -> None:
    project.write("src/client/statuses.py", "".join(f"STATUS_{i} = {i}\n" for i in range(60)))


def test_a_reported_change_is_headlined_by_what_would_have_asked(project: Repo) -> None:
    """A human's change is reported, not asked about: its headline still leads with the deletion,
    not with the size that was all the report level held."""
    project.git("rm", "-q", "src/client/legacy_importer.py")
    _sixty_lines(project)
    project.add()
    human = project.guard("diff", "--format", "json").json
    assert human["verdict"] == "report"
    assert human["summary"] == ("68 lines in 2 files under src · "
                                "deletes src/client/legacy_importer.py (8 lines)"), human["summary"]


def test_more_findings_than_the_headline_holds_are_counted_as_findings(project: Repo) -> None:
    """`deletes a.py and 3 more` reads as three more files deleted."""
    project.git("rm", "-q", "src/client/legacy_importer.py", "src/client/__init__.py", "README.md")
    result = project.guard("diff", "--format", "json", env=AGENT).json
    assert result["summary"] == ("14 lines in 2 files under src + docs · deletes README.md (3 lines); "
                                 "deletes src/client/__init__.py (3 lines); and 1 more finding"), result["summary"]


def test_nothing_staged_is_said_plainly(project: Repo) -> None:
    """Not `no changes · reversible · no one else affected`: there is nothing to be either."""
    result = project.guard("diff")
    assert (result.code, result.out) == (0, "ship · no changes\n")

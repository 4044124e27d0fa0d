"""What guard prints reads as a colleague's note: the headline names what matters most, counts
agree with their nouns, and the way to approve works where it is printed."""
from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, Repo, clean_env, run_guard

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


def test_a_binary_file_is_not_said_to_have_zero_lines(project: Repo) -> None:
    project.write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x01")
    project.add()
    alone = project.guard("diff", "--format", "json").json["summary"]
    assert alone == "1 file not counted as code (binary) · adds a binary file logo.png", alone
    project.write("src/client/retry.py", (project.path / "src/client/retry.py").read_text() + "X = 1\n")
    project.add()
    beside = project.guard("diff", "--format", "json").json["summary"]
    assert beside.startswith("1 line in src/client/retry.py (is_retryable) + 1 not counted (binary) · "), beside


def test_a_lockfile_alone_says_how_big_it_is_not_zero_files(project: Repo) -> None:
    project.write("package-lock.json", '{"lockfileVersion": 3}\n')
    project.add()
    lines = project.guard("diff", env=AGENT).out.splitlines()
    assert lines[0].startswith("ask · 1 file not counted as code (lockfile: 1 line) · "), lines[0]
    assert lines[1].startswith("  1 file, +1 -0 lines, none counted as code · "), lines[1]


def test_a_rename_or_an_empty_file_is_said_in_words_not_as_zero_lines(project: Repo) -> None:
    project.git("mv", "src/client/retry.py", "src/client/retrying.py")
    renamed = project.guard("diff")
    assert renamed.out == ("ship · renames src/client/retry.py to src/client/retrying.py · reversible · "
                           "no one else affected\n"), renamed.out
    project.git("mv", "src/client/__init__.py", "src/client/init.py")
    assert project.guard("diff").out.startswith("ship · renames 2 files under src · ")
    project.git("reset", "-q", "--hard")
    project.write("src/client/empty.py", "")
    project.add()
    assert project.guard("diff").out.startswith("ship · adds src/client/empty.py, an empty file · ")


def test_the_handoff_to_relay_has_no_parentheses_in_parentheses(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    asked = project.guard("diff", "--format", "handoff", env=AGENT).out.splitlines()
    assert asked[1] == ("What changed: 8 lines in src/client/legacy_importer.py (import_contacts); "
                        "1 file, +0 -8 lines, 1 area (src)."), asked[1]
    human = project.guard("diff", "--format", "handoff").out.splitlines()
    assert human == [
        "guard let this change through: 8 lines in src/client/legacy_importer.py (import_contacts) · "
        "deletes src/client/legacy_importer.py (8 lines).",
        "- Can it be undone? src/client/legacy_importer.py: deletes src/client/legacy_importer.py (8 lines)",
        "No sign of an AI author, so guard informs instead of asking.",
    ], human


def test_every_finding_in_the_handoff_says_which_question_it_answers(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    _sixty_lines(project)
    project.add()
    lines = project.guard("diff", "--format", "handoff", env=AGENT).out.splitlines()
    start = lines.index("Also worth a look:")
    assert lines[start + 1].startswith("- Would you care about the details? (whole change): 68 changed lines"), lines


def test_a_report_lists_its_findings_under_the_questions_they_answer(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    _sixty_lines(project)
    project.add()
    assert project.guard("diff").out.splitlines()[1:] == [
        "  Can it be undone?",
        "    - src/client/legacy_importer.py: deletes src/client/legacy_importer.py (8 lines)  [file-deleted]",
        "  Would you care about the details?",
        "    - (whole change): 68 changed lines in 2 files: more than a glance (ship up to 50 lines and "
        "3 files)  [size-medium]",
        "  No sign of an AI author, so guard informs instead of asking.",
    ]


def test_a_range_counts_the_commits_that_ask_in_words_and_leaves_no_trailing_blanks(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    project.git("rm", "-q", "README.md")
    project.commit("Drop the readme")
    project.git("checkout", "-q", base, "--", "README.md")
    project.commit("Bring the readme back")
    result = project.guard("log", f"{base}..HEAD", "--assume-ai")
    assert result.code == 1
    assert result.out.splitlines()[-1] == (
        f"  1 commit asks on its own: to go ahead, a human reviews it and runs `guard approve {base}..HEAD` "
        "at a terminal (in CI: adds the label guard:approved to the pull request).")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    project.commit("Remove the importer")
    whole = project.guard("log", f"{base}..HEAD", "--assume-ai").out
    assert "\n\n" in whole and not any(line != line.rstrip() for line in whole.splitlines()), whole


def test_errors_outside_a_repository_offer_a_patch_only_where_one_is_taken(tmp_path: Path) -> None:
    assert run_guard("diff", cwd=tmp_path).err == (
        "guard: not a git repository: run guard inside a repository, or give a patch with --patch FILE\n")
    for args in (("log", "HEAD"), ("hook", "pre-commit"), ("approve",)):
        assert run_guard(*args, cwd=tmp_path).err == "guard: not a git repository: run guard inside a repository\n"


def test_an_unknown_option_points_at_the_commands_own_help(tmp_path: Path) -> None:
    """`guard --help` does not list `guard diff`'s options."""
    assert run_guard("diff", "--bogus", cwd=tmp_path).err == \
        "guard: unrecognized arguments: --bogus: see `guard diff --help`\n"
    assert run_guard("hook", "pre-commit", "--bogus", cwd=tmp_path).err == \
        "guard: unrecognized arguments: --bogus: see `guard hook pre-commit --help`\n"
    assert run_guard("--bogus", cwd=tmp_path).err == "guard: unrecognized arguments: --bogus: see `guard --help`\n"


def test_a_config_value_outside_its_choices_is_not_called_the_wrong_type(project: Repo, tmp_path: Path) -> None:
    """'some' is a string: 'expected a string (one of ai, all)' sent the reader looking for quotes."""
    config = tmp_path / "try.toml"
    config.write_text('applies-to = "some"\n[rules]\nfile-deleted = 3\n')
    assert project.guard("diff", "--config", str(config)).err == (
        f"guard: {config}: applies-to: expected one of ai, all, got 'some': fix the value or remove the key\n")
    config.write_text('[rules]\nfile-deleted = 3\n')
    assert project.guard("diff", "--config", str(config)).err == (
        f"guard: {config}: rules.file-deleted: expected a string (one of off, ship, report, ask), got 3: "
        "fix the value or remove the key\n")


def test_a_repository_without_commits_is_said_so_not_a_bad_revision(repo: Repo) -> None:
    """`guard diff --worktree` in a new repository said `bad revision 'HEAD'`: the user named none."""
    repo.write("a.py", "x = 1\n")
    repo.add()
    expected = ("guard: this repository has no commits yet, so HEAD names none: commit first; until then "
                "`guard diff` judges the staged change\n")
    assert repo.guard("diff", "--worktree").err == expected
    assert repo.guard("log", "HEAD").err == expected
    assert repo.guard("diff").code == 0


def test_calibrate_with_nothing_asked_says_so_once(project: Repo) -> None:
    project.apply(FIXTURES / "retry-fix.patch")
    project.guard("diff")
    out = project.guard("calibrate").out.splitlines()
    assert out[1:] == ["", "guard has not asked about anything yet, so it suggests nothing."], out

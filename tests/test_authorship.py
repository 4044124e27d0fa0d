"""Who wrote a change: environment, trailers, identities, git-ai notes and PR metadata, in real
repositories with real commits and real environment variables."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, base_project, clean_env

from guard.authorship import (
    CommitInfo,
    PullRequest,
    decide,
    from_commit,
    from_environment,
    from_message,
    from_note,
    from_pull_request,
    trailers,
)
from guard.config import Config

base_repo = base_project


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    return base_repo(tmp_path / "project")


def as_author(name: str, email: str, committer: bool = False) -> dict[str, str]:
    extra = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email}
    if committer:
        extra.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    return clean_env(**extra)


# --- staged changes: the environment -------------------------------------------------------------

def test_claudecode_staged_deletion_asks_naming_the_variable(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--format", "json", env=clean_env(CLAUDECODE="1"))
    assert result.code == 1, result.err
    assert result.json["verdict"] == "ask"
    assert result.json["authorship"] == {"ai": True, "signals": ["environment CLAUDECODE=1"]}


def test_same_deletion_in_a_clean_environment_is_reported(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--format", "json")
    assert result.code == 0, result.err
    assert result.json["verdict"] == "report"
    assert result.json["authorship"] == {"ai": False, "signals": []}
    text = project.guard("diff")
    assert text.code == 0 and "No sign of an AI author" in text.out


@pytest.mark.parametrize("name,value", [
    ("CURSOR_AGENT", "1"), ("CODEX_SANDBOX", "seatbelt"), ("COPILOT_CLI", "1"),
    ("AI_AGENT", "github_copilot_vscode_agent"), ("GEMINI_CLI", "1"), ("CLINE_ACTIVE", "true"),
    ("ROO_ACTIVE", "true"), ("GOOSE_TERMINAL", "1"), ("OPENCODE", "1"), ("AGENT", "amp"),
])
def test_agent_variables_are_named(project: Repo, name: str, value: str) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    result = project.guard("diff", "--format", "json", env=clean_env(**{name: value}))
    assert result.code == 1
    assert f"environment {name}={value}" in result.json["authorship"]["signals"]


def test_editor_wide_and_false_variables_are_not_agents() -> None:
    env = {"CURSOR_TRACE_ID": "abc", "ZED_TERM": "true", "CLAUDECODE": "0", "AGENT": "false", "AI_AGENT": ""}
    assert from_environment(env) == []


def test_applies_to_all_gates_a_human_change(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "p", config='applies-to = "all"\n')
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    result = repo.guard("diff", "--format", "json")
    assert result.code == 1 and result.json["authorship"]["ai"] is False


def test_assume_flags_override_detection(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    human = project.guard("diff", "--assume-human", "--format", "json", env=clean_env(CLAUDECODE="1"))
    assert human.code == 0 and human.json["authorship"]["signals"] == ["assumed human (--assume-human)"]
    agent = project.guard("diff", "--assume-ai", "--format", "json")
    assert agent.code == 1 and agent.json["authorship"]["ai"] is True


def test_configured_env_signal(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "p", config='[ai]\nsignals = ["env:OUR_BOT"]\n')
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    result = repo.guard("diff", "--format", "json", env=clean_env(OUR_BOT="yes"))
    assert result.code == 1
    assert result.json["authorship"]["signals"] == ["environment OUR_BOT=yes (ai.signals 'env:OUR_BOT')"]
    assert repo.guard("diff").code == 0


def test_bad_signal_pattern_is_a_config_error(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "p", config='[ai]\nsignals = ["OUR_BOT"]\n')
    result = repo.guard("diff")
    assert result.code == 2 and "ai.signals" in result.err and "KIND" in result.err


# --- ranges and commits: identities, trailers, notes ---------------------------------------------

def delete_in_commit(repo: Repo, message: str, env: dict[str, str] | None = None) -> str:
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    return repo.commit(message, env=env)


def test_range_with_a_copilot_agent_commit_is_ai(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    delete_in_commit(project, "Remove the legacy importer",
                     env=as_author("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"))
    project.write("README.md", "# client\n\nNotes.\n")
    project.add("README.md")
    project.commit("docs: a note")  # a human's commit on top: the range is still AI-authored
    result = project.guard("diff", f"{base}..HEAD", "--format", "json")
    assert result.code == 1, result.err
    signals = result.json["authorship"]["signals"]
    assert len(signals) == 1
    assert "author copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>" in signals[0]


def test_range_with_a_claude_trailer_is_ai(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    delete_in_commit(project, "Remove the legacy importer\n\nIt is unused.\n\n"
                              "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n")
    for target in (f"{base}..HEAD", f"{base}...HEAD", "HEAD"):
        result = project.guard("diff", target, "--format", "json")
        assert result.code == 1, (target, result.err)
        assert result.json["authorship"]["signals"][0].endswith(
            "trailer Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>")


def test_a_human_at_anthropic_is_not_ai(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    delete_in_commit(project, "Remove the legacy importer\n\nSigned-off-by: Jane Roe <jane@anthropic.com>\n",
                     env=as_author("Jane Roe", "jane@anthropic.com", committer=True))
    result = project.guard("diff", f"{base}..HEAD", "--format", "json")
    assert result.code == 0, result.out
    assert result.json["verdict"] == "report"
    assert result.json["authorship"] == {"ai": False, "signals": []}


def test_aider_name_suffix_and_git_ai_note(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    delete_in_commit(project, "drop importer", env=as_author("Paul Gauthier (aider)", "paul@aider.chat"))
    aider = project.guard("diff", f"{base}..HEAD", "--format", "json")
    assert "author Paul Gauthier (aider) <paul@aider.chat>" in aider.json["authorship"]["signals"][0]

    project.git("reset", "-q", "--hard", base)
    sha = delete_in_commit(project, "drop importer")
    assert project.guard("diff", sha, "--format", "json").json["authorship"]["ai"] is False
    note = ('src/client/legacy_importer.py\n  s_0123456789abcd::t_0123456789abcd 1-3\n---\n'
            '{"schema_version": "authorship/3.0.0", "sessions": {"s_0123456789abcd": '
            '{"tool": "claude", "id": "x", "model": "claude-opus-4-6"}}}\n')
    project.git("notes", "--ref=ai", "add", "-m", note, sha)
    noted = project.guard("diff", sha, "--format", "json")
    assert noted.code == 1
    assert noted.json["authorship"]["signals"] == [f"commit {sha[:12]}: git-ai note (claude claude-opus-4-6)"]


def test_known_humans_are_not_signals(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "p", config='[ai]\nhumans = ["codex@openai.com"]\n')
    base = repo.git("rev-parse", "HEAD").strip()
    delete_in_commit(repo, "drop importer", env=as_author("Codex", "codex@openai.com"))
    assert repo.guard("diff", f"{base}..HEAD", "--format", "json").json["authorship"]["ai"] is False
    other = base_repo(tmp_path / "q")
    base = other.git("rev-parse", "HEAD").strip()
    delete_in_commit(other, "drop importer", env=as_author("Codex", "codex@openai.com"))
    assert other.guard("diff", f"{base}..HEAD", "--format", "json").json["authorship"]["ai"] is True


# --- the pure detectors, case by case ------------------------------------------------------------

AI_MESSAGES = [
    "fix\n\nCo-authored-by: Claude <noreply@anthropic.com>",
    "fix\n\nco-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>",
    "fix\n\nCO-AUTHORED-BY: Claude Opus 4.6 (1M context) <noreply@anthropic.com>",
    "fix\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    "fix\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
    "fix\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
    "fix\n\nMade-with: Cursor",
    "fix\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>",
    "fix\n\nCo-authored-by: Codex <noreply@openai.com>",
    "fix\n\nCo-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
    "fix\n\nCo-authored-by: openhands <openhands@all-hands.dev>",
    "fix\n\nCo-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
    "fix\n\nAssisted-by: Claude:claude-3-opus coccinelle sparse",
    "fix\n\nAssisted-by: LLM",
    "fix\n\nGenerated-by: ChatGPT 4o",
    "fix\n\nAgent-Logs-Url: https://github.com/o/r/sessions/1234",
    "fix\n\nClaude-Session: https://claude.ai/code/session_abc",
    "fix\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Jane <j@x.org>",
    "fix\n\nBody text.\n\nSigned-off-by: Jane <j@x.org>\nCo-authored-by: Claude <noreply@anthropic.com>",
]
HUMAN_MESSAGES = [
    "fix\n\nCo-authored-by: Claude Dupont <claude.dupont@example.fr>",
    "fix\n\nCo-authored-by: Jules Martin <jules@example.org>",
    "fix\n\nCo-authored-by: Devin Lee <devin@example.com>",
    "fix\n\nAssisted-by: Daniel Stenberg <daniel@haxx.se>",
    "fix\n\nSigned-off-by: Jane Roe <jane@anthropic.com>",
    "Co-authored-by: Claude <noreply@anthropic.com>",  # a subject is never a trailer
    "fix\n\nWe talked about Co-authored-by: Claude <noreply@anthropic.com> in review.\nIt was fine.",
    "fix\n\nThe tests were generated with care.",
]


@pytest.mark.parametrize("message", AI_MESSAGES)
def test_ai_messages(message: str) -> None:
    assert from_message(message), message


@pytest.mark.parametrize("message", HUMAN_MESSAGES)
def test_human_messages(message: str) -> None:
    assert from_message(message) == [], message


def test_trailers_fold_continuation_lines() -> None:
    assert trailers("subject\n\nbody\n\nKey: one\n  two\nOther: x\n") == [("Key", "one two"), ("Other", "x")]


def test_identities() -> None:
    def commit(name: str, email: str) -> list[str]:
        return from_commit(CommitInfo("a" * 40, name, email, name, email, "change"))
    assert commit("Devin AI", "158243242+devin-ai-integration[bot]@users.noreply.github.com")
    assert commit("claude[bot]", "209825114+claude[bot]@users.noreply.github.com")
    assert commit("Codex", "codex@openai.com")
    assert commit("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com") == []
    assert commit("Sam Altman", "sam@openai.com") == []
    assert commit("Boris", "boris@anthropic.com") == []
    humans = Config(humans=("Devin AI",))
    assert from_commit(CommitInfo("b" * 40, "Devin AI", "d@x.io", "Devin AI", "d@x.io", "c"), humans) == []


def test_configured_trailer_identity_and_message_signals() -> None:
    config = Config(ai_signals=("trailer:X-Agent", "identity:bot@corp.example", "message:[agent]"))
    assert from_message("fix\n\nx-agent: yes", config) == ["trailer x-agent: yes (ai.signals 'trailer:X-Agent')"]
    assert from_message("[agent] fix", config)
    info = CommitInfo("c" * 40, "Builder", "bot@corp.example", "Builder", "bot@corp.example", "fix")
    assert from_commit(info, config) == ["author Builder <bot@corp.example>"]


def test_pull_requests() -> None:
    assert from_pull_request(PullRequest("Copilot", "Bot", "copilot/fix-retry")) == [
        "pull request author Copilot (Bot)", "pull request branch copilot/fix-retry"]
    assert from_pull_request(PullRequest("dependabot[bot]", "Bot", "dependabot/pip/x")) == []
    body = "Fixes it.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"
    assert any("Claude Code" in s for s in from_pull_request(PullRequest("jane", "User", "fix", body)))
    assert from_pull_request(PullRequest("jane", "User", "claude/fix-retry-a1b2c"))
    config = Config(ai_signals=("branch:bot/",), humans=("Copilot",))
    assert from_pull_request(PullRequest("Copilot", "Bot", "bot/x"), config) == [
        "pull request branch bot/x (ai.signals 'branch:bot/')"]


def test_notes_with_only_humans_are_not_ai() -> None:
    assert from_note("a.py\n  h_0123456789abcd 1-4\n---\n{\"humans\": {}}\n") == []
    assert from_note("a.py\n  0123456789abcdef 1-4\n") != []


def test_decide_deduplicates_and_overrides() -> None:
    assert decide(["x", "x"]).signals == ("x",)
    assert decide([]).ai is False
    assert decide(["x"], assume_human=True).ai is False


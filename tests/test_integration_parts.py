"""The pure parts of the integrations (stdin and variable parsing, CI context), `guard init`,
and the composite action's script run for real."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Repo, clean_env, run_guard
from integration_helpers import COPILOT_AGENT, head, project

from guard.ci_context import GITHUB, GITLAB, github, gitlab, platform
from guard.commands.hook_agent import Commit, commit_command, read_commit
from guard.commands.hook_agent import stages_first as stages_commit
from guard.commands.hook_push import (
    ZERO,
    Update,
    pre_commit_framework_update,
    pre_push_updates,
    pre_receive_updates,
)
from guard.errors import GuardError
from guard.model import Finding, Level, Question
from guard.report.github import annotation


def stages_first(command: str) -> bool:
    return stages_commit(read_commit(command))


def test_push_lines_as_git_gives_them() -> None:
    assert pre_push_updates(["refs/heads/main 1111 refs/heads/main 2222", ""]) == [
        Update("refs/heads/main", "2222", "1111")]
    assert pre_receive_updates([f"{ZERO} abcd refs/heads/new", f"abcd {ZERO} refs/heads/gone"]) == [
        Update("refs/heads/new", ZERO, "abcd"), Update("refs/heads/gone", "abcd", ZERO)]
    # A line git would not write is an error, not a push let through unjudged.
    for updates, line in ((pre_push_updates, "junk"), (pre_receive_updates, "a b c d")):
        with pytest.raises(GuardError, match="cannot read the line"):
            updates([line])


def test_pre_commit_framework_variables() -> None:
    assert pre_commit_framework_update({}) is None
    assert pre_commit_framework_update({"PRE_COMMIT_FROM_REF": "a", "PRE_COMMIT_TO_REF": "b",
                                        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/x"}) == \
        Update("refs/heads/x", "a", "b")
    # A push of a whole new history: pre-commit sets no FROM/TO, only the branches.
    assert pre_commit_framework_update({"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main"}) == \
        Update("", "", "refs/heads/main")
    assert pre_commit_framework_update({"PRE_COMMIT": "1"}) == Update("HEAD", "", "HEAD")


def test_annotations_carry_file_line_and_escaped_values() -> None:
    finding = Finding("weakened-tests", "tests", Question.CARE, Level.ASK, "a,b:c.py", 12,
                      "skips 50% of\ntests")
    assert annotation(finding, blocking=True) == (
        "::error file=a%2Cb%3Ac.py,line=12,title=guard weakened-tests::skips 50%25 of%0Atests")
    assert annotation(finding, blocking=False).startswith("::warning ")
    whole = Finding("size", "size", Question.CARE, Level.REPORT, "", None, "240 lines")
    assert annotation(whole, blocking=True) == "::warning title=guard size::240 lines"


def test_agent_payloads() -> None:
    def bash(command: str) -> dict[str, object]:
        return {"tool_name": "Bash", "tool_input": {"command": command}}

    assert commit_command(bash('git commit -m "x"')) == 'git commit -m "x"'
    assert commit_command(bash("cd app && git -c user.name=x commit -q -F msg")) is not None
    assert commit_command(bash("git commit-tree HEAD^{tree}")) is None
    assert commit_command(bash("echo git commit")) is not None  # errs on the side of judging
    assert commit_command(bash("git log --grep commit")) is None
    assert commit_command({"tool_name": "Edit", "tool_input": {"command": "git commit"}}) is None
    assert commit_command("not a dict") is None
    assert stages_first("git add -A && git commit -m x")
    assert stages_first("git commit -am 'fix a bug'")
    assert stages_first("git commit --all -m x")
    assert not stages_first("git commit -m 'add a test'")
    assert stages_first("git commit -av -m x") and stages_first("git commit -sa")
    assert not stages_first("git commit -ma") and not stages_first("git commit -S -m x")  # -m's value
    assert not stages_first("ls -la && git commit -m x")  # another command's -a
    assert stages_first("git commit -m x src/m1.py") and stages_first("git commit -m x -- a.py")
    assert not stages_first('git commit --message="a b" -v --author "A <a@b>"')
    assert read_commit("cd ../other && git -C sub -c a=b commit -q") == Commit(("../other", "sub"), ("-q",))
    assert read_commit("git commit -m 'x'; cd elsewhere").folders == ()
    # Redirections are the shell's, not file names; a quoted `git add` is a message.
    for command in ("git commit -m tweak 2>&1", "git commit -m x > /tmp/log 2>&1", "git commit -F- <<EOF",
                    'git commit -m "git add all"'):
        assert not stages_first(command), command
    assert stages_first("git commit --pathspec-from-file=list") and stages_first("git commit -am x | tee log")
    # A subshell's `cd` ends with it; `cd -` goes back.
    assert read_commit("(cd sub && make) && git commit -m x").folders == ()
    assert read_commit("cd /clean && cd - && git commit -m x").folders == ()
    assert read_commit("git -C a add . ; git -C a commit -m x") == Commit(("a",), ("-m", "x"), adds=True)


def test_github_context_from_payloads() -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request_target",
           "GITHUB_STEP_SUMMARY": "/s"}
    payload = {"pull_request": {"base": {"sha": "b"}, "head": {"sha": "h", "ref": "copilot/x"},
                                "user": {"login": "Copilot", "type": "Bot"}, "body": None,
                                "labels": [{"name": "guard:approved"}, {"name": ""}]}}
    context = github(env, payload)
    assert platform(env) == GITHUB and (context.base, context.head) == ("b", "h")
    assert context.pull_request is not None
    assert context.pull_request.author_login == "Copilot" and context.pull_request.author_type == "Bot"
    assert context.pull_request.body == "" and context.pull_request.labels == ("guard:approved",)
    assert context.approving_labels == ()  # there before this run: it may predate the last push
    added = github(env, {**payload, "action": "labeled", "label": {"name": "guard:approved"}})
    assert added.approving_labels == ("guard:approved",)
    assert github(env, {**payload, "action": "labeled", "label": {"name": "bug"}}).approving_labels == ()
    assert "fetch-depth: 0" in context.depth_hint
    push = github({"GITHUB_EVENT_NAME": "push"}, {"before": ZERO, "after": "h",
                                                  "repository": {"default_branch": "main"}})
    assert (push.base, push.head, push.default_branch) == ("", "h", "main")


def test_gitlab_context_from_variables() -> None:
    env = {"GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
           "CI_MERGE_REQUEST_IID": "3", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": "t",
           "CI_COMMIT_SHA": "merge", "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA": "src",
           "CI_MERGE_REQUEST_LABELS": "a, guard:approved,", "GITLAB_USER_LOGIN": "dev"}
    context = gitlab(env)  # a merged-results pipeline: CI_COMMIT_SHA is the merge commit
    assert platform(env) == GITLAB and (context.base, context.head) == ("t", "src")
    assert context.approving_labels == ("a", "guard:approved") and "GIT_DEPTH: 0" in context.depth_hint
    env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = "diffbase"
    assert gitlab(env).base == "diffbase"
    push = gitlab({"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": "old", "CI_COMMIT_SHA": "new"})
    assert (push.base, push.head, push.pull_request) == ("old", "new", None)


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(repo: Repo) -> None:
    result = repo.guard("init")
    assert result.code == 0, result.err
    config = repo.path / ".guard.toml"
    assert config.is_file() and "wrote" in result.err
    snippet = yaml.safe_load(result.out)
    assert [h["id"] for h in snippet["repos"][0]["hooks"]] == ["guard", "guard-commit-msg", "guard-pre-push"]
    repo.add()
    repo.commit("configure guard")
    # The committed starter config is the one that applies, and it loads.
    repo.write("x.py", "x = 1\n")
    repo.add("x.py")
    judged = repo.guard("diff", "--format", "json")
    assert judged.code == 0, judged.err
    again = repo.guard("init")
    assert again.code == 2 and "already exists" in again.err
    assert repo.guard("diff", "--config", str(config)).code == 0


def test_init_from_a_subfolder_writes_at_the_top(repo: Repo) -> None:
    (repo.path / "sub").mkdir()
    assert run_guard("init", cwd=repo.path / "sub").code == 0
    assert (repo.path / ".guard.toml").is_file() and not (repo.path / "sub" / ".guard.toml").exists()


def test_composite_action_runs_guard_ci(tmp_path: Path) -> None:
    """The action's last step, run by bash as the runner would, with a stand-in venv."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite" and {"args", "sarif"} <= set(action["inputs"])
    install, step = action["runs"]["steps"][1], action["runs"]["steps"][2]
    assert '-m pip install --quiet "$GITHUB_ACTION_PATH"' in install["run"]
    runner_temp = tmp_path / "runner"
    bin_dir = runner_temp / "guard-venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "guard").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m guard "$@"\n')
    (bin_dir / "guard").chmod(0o755)
    repo = project(tmp_path / "p")
    base = head(repo)
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    sha = repo.commit("remove", env=clean_env(**COPILOT_AGENT))
    sarif = tmp_path / "out.sarif"
    env = clean_env(RUNNER_TEMP=str(runner_temp), GUARD_SARIF=str(sarif),
                    GUARD_ARGS=f"--base {base} --head {sha}")
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo.path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "deletes src/client/legacy_importer.py" in done.stdout
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_hooks_section_lists_every_id() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "## Hooks" in readme
    docs = (ROOT / "docs" / "integrations.md").read_text()
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert hook["id"] in docs


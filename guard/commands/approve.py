"""`guard approve [RANGE]`: a human at a terminal approves exactly the staged change, or exactly
the commits of a range (what a push publishes) and their whole.

An approval is bound to a diff's fingerprint and kept in $GIT_DIR/guard/approvals; the next
`guard diff`, hook or `guard log` on that same diff passes, and any further edit asks again. A
change approved while staged is the same diff once committed, so pushing it passes too. Approving
is the human's call, so it refuses without a terminal and inside an agent's environment."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from guard import authorship, state
from guard.commands.judging import discover, in_colour, run_source
from guard.commands.log import judge_range, parse_spec
from guard.config import Config
from guard.errors import GuardError
from guard.git import Repo
from guard.git import run as run_git
from guard.model import Approval, Authorship, Level, Verdict
from guard.report.range import RangeVerdict, format_range_text
from guard.sources import resolve

_AS_AGENT = Authorship(ai=True, assumed=True)  # show what guard asks an agent about


def _refuse_inside_an_agent(config: Config) -> None:
    found = authorship.from_environment(os.environ, config)
    if found:
        raise GuardError(f"refusing to approve where an AI agent runs ({'; '.join(found)})",
                         "approval is the human's call: run `guard approve` yourself, in your own terminal")


def _refuse_without_a_terminal() -> None:
    if not sys.stdin.isatty():
        raise GuardError("refusing to approve: stdin is not a terminal",
                         "approval is the human's call: run `guard approve` yourself, in your own terminal")


def _judge(repo: Repo, config_path: str | None, scope: Sequence[str]) -> Verdict:
    verdict, config = run_source(resolve(repo, None), repo, config_path=config_path,
                                 authorship=_AS_AGENT, scope=scope)
    _refuse_inside_an_agent(config)
    return verdict


def _judge_range(repo: Repo, spec: str, config_path: str | None) -> RangeVerdict:
    result, config = judge_range(repo, parse_spec(spec), config_path=config_path, assume_ai=True,
                                 recorded=state.approvals(repo.state_dir), fingerprints=True)
    _refuse_inside_an_agent(config)
    return result


def _confirmed(question: str) -> bool:
    print()
    try:
        answer = input(f"{question} Type yes to approve: ")
    except EOFError:
        answer = ""
    if answer.strip().lower() != "yes":
        print("Not approved; nothing recorded.")
        return False
    return True


def _approver(repo: Repo) -> str:
    """`Name <email>` as git would sign the commit (config or GIT_AUTHOR_* variables)."""
    code, out, _ = run_git(["var", "GIT_AUTHOR_IDENT"], repo.cwd)
    ident = out.decode("utf-8", "replace").strip()
    if code != 0 or not ident:
        raise GuardError("git does not know who you are", "set git config user.name and user.email")
    return ident.rsplit(" ", 2)[0]  # drop the timestamp and zone


def _show(verdict: Verdict) -> None:
    from guard.report import text

    render = text.format_rich if in_colour() else text.format_plain
    sys.stdout.write(render(verdict, None))


def main(*, config_path: str | None = None, scope: Sequence[str] = (), spec: str | None = None) -> int:
    repo = discover(required=True)
    assert repo is not None
    if spec is not None:
        if scope:
            raise GuardError("--scope is for the staged change", "approve a range without it")
        return _approve_range(repo, spec, config_path)
    verdict = _judge(repo, config_path, scope)
    _refuse_without_a_terminal()
    if not verdict.changeset.files:
        raise GuardError("nothing is staged", "stage the change you want to approve (git add), then run it "
                         "again; to approve commits, name them: guard approve origin/main..HEAD")
    if verdict.approval is not None:
        print(f"Already approved by {verdict.approval.by} at {verdict.approval.at}: this exact change passes.")
        return 0
    _show(verdict)
    if verdict.level is not Level.ASK:
        # A hook may judge with more (`--scope`, another config): the approval binds the diff.
        print("\nguard does not ask about this change as judged here; approving binds it anyway.")
    if not _confirmed("Approve exactly this change?"):
        return 1
    again = _judge(repo, config_path, scope)
    if again.fingerprint != verdict.fingerprint:
        raise GuardError("the staged change changed while you were reading it",
                         "run `guard approve` again to see the current change")
    approval = _record(repo, [verdict])
    print(f"Approved by {approval.by} (fingerprint {approval.fingerprint[:12]}). guard passes this exact "
          "change; any further edit asks again.")
    return 0


def _approve_range(repo: Repo, spec: str, config_path: str | None) -> int:
    """The whole and every commit: each is a diff some check judges (a push judges both)."""
    result = _judge_range(repo, spec, config_path)
    _refuse_without_a_terminal()
    if not result.commits:
        raise GuardError(f"{spec} has no commits", "name the commits to approve, such as origin/main..HEAD")
    verdicts = _verdicts(result)
    recorded = state.approvals(repo.state_dir)
    if all(v.fingerprint in recorded for v in verdicts):
        print(f"Already approved: {spec} passes as it is.")
        return 0
    sys.stdout.write(format_range_text(result, None))
    if result.level is not Level.ASK:
        print("\nguard does not ask about these commits as judged here; approving binds them anyway.")
    count = len(result.commits)
    if not _confirmed("Approve exactly this commit?" if count == 1 else
                      f"Approve exactly these {count} commits and their whole?"):
        return 1
    again = _judge_range(repo, spec, config_path)
    if [v.fingerprint for v in _verdicts(again)] != [v.fingerprint for v in verdicts]:
        raise GuardError(f"{spec} changed while you were reading it",
                         f"run `guard approve {spec}` again to see the current commits")
    approval = _record(repo, [v for v in verdicts if v.fingerprint not in recorded])
    what = "this commit" if count == 1 else "these commits and their whole"
    print(f"Approved by {approval.by}: guard passes exactly {what}; any other commit or edit asks again.")
    return 0


def _verdicts(result: RangeVerdict) -> list[Verdict]:
    """The diffs a range's checks judge; a merge of the base, passed over, has none."""
    return [v for v in (result.whole, *(verdict for _, verdict in result.commits)) if v.fingerprint]


def _record(repo: Repo, verdicts: list[Verdict]) -> Approval:
    """One approval per distinct diff (a one-commit range's whole is that commit). Each rule
    that asked is listed once, with the first diff that raised it (the whole before its
    commits): `guard calibrate` counts a change once, not once per view of it."""
    by, at = _approver(repo), state.now()
    recorded: dict[str, Approval] = {}
    listed: set[str] = set()
    for verdict in verdicts:
        if verdict.fingerprint in recorded:
            continue
        recorded[verdict.fingerprint] = approval = Approval(by=by, at=at, fingerprint=verdict.fingerprint)
        rules = {f.rule for f in verdict.findings if f.level is Level.ASK} - listed
        listed |= rules
        state.record_approval(repo.state_dir, approval, sorted(rules))
    return next(iter(recorded.values()))


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "approve", help="approve exactly the staged change, or the commits of a range (a human, at a terminal)")
    parser.add_argument("spec", metavar="RANGE", nargs="?",
                        help="commits to approve instead, as `guard log` takes them (A..B, A...B or "
                             "one commit): each of them and their whole")
    parser.add_argument("--config", dest="config_path", metavar="PATH",
                        help="use this config file instead of the committed one")
    parser.add_argument("--scope", action="append", default=[], metavar="GLOB",
                        help="the declared scope the change was judged with (repeatable)")


def run(args: argparse.Namespace) -> int:
    return main(config_path=args.config_path, scope=args.scope, spec=args.spec)

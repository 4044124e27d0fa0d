"""`guard approve`: a human at a terminal approves exactly the staged change.

The approval is bound to the diff's fingerprint and kept in $GIT_DIR/guard/approvals; the next
`guard diff` or hook on that same diff passes, and any further edit asks again. Approving is the
human's call, so it refuses without a terminal and inside an agent's environment."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from guard import authorship, state
from guard.commands.judging import discover, run_source
from guard.errors import GuardError
from guard.git import Repo
from guard.git import run as run_git
from guard.model import Approval, Authorship, Level, Verdict
from guard.sources import resolve

_AS_AGENT = Authorship(ai=True, assumed=True)  # show what guard asks an agent about


def _judge(repo: Repo, config_path: str | None, scope: Sequence[str]) -> tuple[Verdict, str]:
    verdict, config = run_source(resolve(repo, None), repo, config_path=config_path,
                                 authorship=_AS_AGENT, scope=scope)
    found = authorship.from_environment(os.environ, config)
    if found:
        raise GuardError(f"refusing to approve inside an agent's environment ({'; '.join(found)})",
                         "approval is the human's call: run `guard approve` yourself, in your own terminal")
    return verdict, config.approval_label


def _approver(repo: Repo) -> str:
    """`Name <email>` as git would sign the commit (config or GIT_AUTHOR_* variables)."""
    code, out, _ = run_git(["var", "GIT_AUTHOR_IDENT"], repo.cwd)
    ident = out.decode("utf-8", "replace").strip()
    if code != 0 or not ident:
        raise GuardError("git does not know who you are", "set git config user.name and user.email")
    return ident.rsplit(" ", 2)[0]  # drop the timestamp and zone


def _show(verdict: Verdict, label: str) -> None:
    from guard.report import text

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    render = text.format_rich if colour else text.format_plain
    sys.stdout.write(render(verdict, label, approve_hint=False))


def main(*, config_path: str | None = None, scope: Sequence[str] = ()) -> int:
    repo = discover(required=True)
    assert repo is not None
    verdict, label = _judge(repo, config_path, scope)
    if not sys.stdin.isatty():
        raise GuardError("refusing to approve: stdin is not a terminal",
                         "approval is the human's call: run `guard approve` yourself, in your own terminal")
    if not verdict.changeset.files:
        raise GuardError("nothing is staged", "stage the change you want to approve (git add), then run it again")
    if verdict.approval is not None:
        print(f"Already approved by {verdict.approval.by} at {verdict.approval.at}: this exact change passes.")
        return 0
    _show(verdict, label)
    if verdict.level is not Level.ASK:
        # A hook may judge with more (`--scope`, another config): the approval binds the diff.
        print("\nguard does not ask about this change as judged here; approving binds it anyway.")
    print()
    try:
        answer = input("Approve exactly this change? Type yes to approve: ")
    except EOFError:
        answer = ""
    if answer.strip().lower() != "yes":
        print("Not approved; nothing recorded.")
        return 1
    again, _ = _judge(repo, config_path, scope)
    if again.fingerprint != verdict.fingerprint:
        raise GuardError("the staged change changed while you were reading it",
                         "run `guard approve` again to see the current change")
    approval = Approval(by=_approver(repo), at=state.now(), fingerprint=verdict.fingerprint)
    state.record_approval(repo.git_dir, approval, sorted({f.rule for f in verdict.findings if f.level is Level.ASK}))
    print(f"Approved by {approval.by} (fingerprint {approval.fingerprint[:12]}). guard passes this exact "
          "change; any further edit asks again.")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("approve", help="approve exactly the staged change (a human, at a terminal)")
    parser.add_argument("--config", dest="config_path", metavar="PATH",
                        help="use this config file instead of the committed one")
    parser.add_argument("--scope", action="append", default=[], metavar="GLOB",
                        help="the declared scope the change was judged with (repeatable)")


def run(args: argparse.Namespace) -> int:
    return main(config_path=args.config_path, scope=args.scope)

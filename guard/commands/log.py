"""`guard log RANGE`: one verdict per commit and one for the whole range.

Splitting a large change into small commits does not make it small: the whole is judged as one
diff too. All commits come from ONE `git log -p` stream (guard.logstream), the whole from one
`git diff`; pre-push, pre-receive and `guard ci` reuse `judge_range`.
"""

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from functools import cache
from typing import BinaryIO, NamedTuple, cast

from guard import authorship, state
from guard.commands.judging import (
    codeowners_at,
    discover,
    load_config,
    new_text_reader,
    roots_lookup,
    rule_context,
)
from guard.config import Config
from guard.engine import Examined, RootsLookup, conclude, examine, judge
from guard.errors import GuardError
from guard.fingerprint import Fingerprint
from guard.git import DIFF_OPTIONS, EMPTY_TREE, Repo, git_failure
from guard.git import run as run_git
from guard.logstream import LOG_OPTIONS, LoggedCommit, split
from guard.measure import candidate_roots
from guard.model import Approval, Authorship, Level, Verdict
from guard.parse import parse
from guard.policy import decide
from guard.report.range import RangeVerdict, format_range_json, format_range_text
from guard.report.text import at_terminal
from guard.sources import Source

FORMATS = ("text", "json")


class Range(NamedTuple):
    """What to judge: the commits (`git log` revision arguments) and the whole (`git diff`)."""

    label: str
    revs: tuple[str, ...]
    whole_args: tuple[str, ...]
    config_rev: str | None  # the policy before the change: the base
    head: str
    spec: str = ""  # what `guard approve` takes to approve the same commits; "" if nothing does
    one_commit: bool = False  # a commit named on its own: a merge is judged too, not passed over


def short(rev: str, length: int = 12) -> str:
    """A commit id cut to `length` characters; a name (origin/main) as it is."""
    return rev[:length] if len(rev) == 40 and all(c in "0123456789abcdef" for c in rev) else rev


def between(base: str, head: str, label: str = "", spec: str = "") -> Range:
    """A pull request's view: the commits on head not on base, the whole from their merge base."""
    return Range(label or f"{base}...{head}", (f"{base}..{head}",),
                 ("diff", *DIFF_OPTIONS, f"{base}...{head}", "--"), base, head,
                 spec or f"{short(base)}..{short(head)}")


def new_commits(repo: Repo, head: str, exclude: Sequence[str], label: str) -> Range:
    """Commits on `head` reachable from none of `exclude` (a new branch being pushed); the whole
    runs from the first parent of the oldest of them along the first-parent chain."""
    code, out, err = run_git(["rev-list", "--first-parent", head, "--not", *exclude], repo.cwd)
    if code != 0:
        raise git_failure(["rev-list"], err, repo.shallow)
    chain = out.decode().split()
    if not chain:
        return Range(label, (head, "--not", *exclude), (), head, head)
    code, out, _ = run_git(["rev-parse", "-q", "--verify", f"{chain[-1]}^1^{{commit}}"], repo.cwd)
    base = out.decode().strip() if code == 0 else ""
    whole = ("diff", *DIFF_OPTIONS, base or EMPTY_TREE, head, "--")
    # From the parent of the oldest, the same commits unless a side branch merged in brings more
    # (their approvals then cover those too); a history with no parent, from the empty tree.
    spec = f"{short(base) if base else EMPTY_TREE}..{short(head)}"
    return Range(label, (head, "--not", *exclude), whole, base or None, head, spec)


def parse_spec(spec: str) -> Range:
    if spec.startswith("-"):
        raise GuardError(f"{spec!r} is not a range", "give A..B, A...B or one commit")
    for sep in ("...", ".."):
        if sep in spec:
            base, _, head = spec.partition(sep)
            if base == EMPTY_TREE:  # a whole history, as its first push publishes it
                head = head or "HEAD"
                return Range(spec, (head,), ("diff", *DIFF_OPTIONS, EMPTY_TREE, head, "--"), None, head, spec)
            return between(base or "HEAD", head or "HEAD", spec, spec)
    # One commit: itself, judged against its first parent.
    return Range(spec, (f"{spec}^!",), ("diff-tree", *DIFF_OPTIONS, "-r", "--root", "--no-commit-id",
                                         "--diff-merges=first-parent", spec, "--"), f"{spec}^", spec, spec,
                 one_commit=True)


def _cached_roots(lookup: RootsLookup) -> RootsLookup:
    """Package roots at the range's head, each folder asked once: a range of a thousand commits
    touches the same few folders again and again (one `cat-file` round trip per commit otherwise)."""
    known: dict[str, bool] = {}

    def cached(candidates: set[str]) -> frozenset[str]:
        unknown = {d for d in candidates if d not in known}
        if unknown:
            found = lookup(unknown)
            known.update((d, d in found) for d in unknown)
        return frozenset(d for d in candidates if known[d])
    return cached


def _members(repo: Repo, target: Range) -> frozenset[str]:
    """The commits of the range (rev-list, no patches): tells a merge of the base from a merge of
    the range's own side branch."""
    code, out, err = run_git(["rev-list", *target.revs, "--"], repo.cwd)
    if code != 0:
        raise git_failure(["rev-list"], err, repo.shallow)
    return frozenset(out.decode().split())


def _merge_from_outside(config: Config, logged: LoggedCommit, who: Authorship) -> Verdict:
    empty = judge(iter(()), config, source=logged.info.sha[:12], authorship=who)
    return empty._replace(summary="merges commits from outside the range (the base); "
                       "what the merge itself changed is judged in the whole")


def judge_range(
    repo: Repo,
    target: Range,
    *,
    config_path: str | None = None,
    assume_ai: bool = False,
    assume_human: bool = False,
    extra_signals: Sequence[str] = (),
    approval: Callable[[Config], Approval | None] = lambda config: None,
    environment: Mapping[str, str] | None = None,
    recorded: Mapping[str, Approval] | None = None,
    fingerprints: bool = False,
    config_committed: bool = False,
) -> tuple[RangeVerdict, Config]:
    """Judge every commit of `target` from one `git log -p` stream, then the whole. Config comes
    from the base revision; `approval` (e.g. a pull-request label) sees that config. An agent's
    variables in `environment` (the process pushing) count for every commit. `recorded`
    are the approvals `guard approve` recorded, by fingerprint: each passes the diff it binds
    (only where a human can have recorded them: in CI anything earlier in the job could write
    that file). `fingerprints` gives every verdict its fingerprint even with nothing recorded
    (to approve the range). `config_committed` reads `config_path` as committed at the base."""
    with ExitStack() as stack:
        blobs = stack.enter_context(repo.blobs())
        config = load_config(config_path, Source(target.label, config_rev=target.config_rev), blobs,
                             committed=config_committed)
        if environment is not None:
            extra_signals = [*extra_signals, *authorship.from_environment(environment, config)]
        # git-ai keeps authorship in refs/notes/ai (a missing ref only makes git warn). The
        # whole's diff starts now, so git works on it while guard reads the commits.
        commits_stream = stack.enter_context(repo.stream((*LOG_OPTIONS, "--notes=ai", *target.revs, "--")))
        whole_stream = stack.enter_context(repo.stream(target.whole_args)) if target.whole_args else None
        # Commits are concluded after the loop, so the folders they touch are looked up at once.
        examined: list[tuple[LoggedCommit, Examined | Verdict, Authorship, str]] = []
        all_signals: list[str] = list(extra_signals)
        roots = _cached_roots(roots_lookup(repo, Source(target.label, tree_rev=target.head), blobs))
        owners = codeowners_at(blobs, target.config_rev)  # read once for every commit
        in_range = cache(lambda: _members(repo, target))  # asked only of merges
        texts: dict[tuple[str | None, str], str | None] = {}  # one file, whichever commit read it
        # Each commit and the whole by its own fingerprint. Hashing costs: without any recorded
        # approval to find, it is left out.
        approved = recorded or {}
        hashing = fingerprints or bool(approved)
        for logged, patch in split(commits_stream):
            signals = [*authorship.from_commit(logged.info, config), *extra_signals]
            all_signals.extend(signals)
            who = authorship.decide(signals, assume_ai=assume_ai, assume_human=assume_human)
            if logged.is_merge and not target.one_commit and not in_range().intersection(logged.parents[1:]):
                # Merging the base back in: its first-parent diff is the base's own work,
                # already reviewed there. Whatever the merge itself changed is in the whole.
                examined.append((logged, _merge_from_outside(config, logged, who), who, ""))
            else:
                extra = rule_context(config, owners, new_text_reader(repo, blobs, logged.info.sha, cache=texts),
                                     lambda: (logged.info.author_email,))
                hashed = Fingerprint(patch, after_blank_lines=True) if hashing else None
                item = examine(parse(cast(BinaryIO, hashed) if hashed else patch, expect_diff=False,
                                     trusted=True),
                               config, source=logged.info.sha[:12], context_extra=extra)
                examined.append((logged, item, who, _digest(hashed)))
        roots(set().union(*(candidate_roots(item.changeset) for _, item, _, _ in examined
                             if isinstance(item, Examined))))

        def concluded(item: Examined, who: Authorship, fingerprint: str) -> Verdict:
            verdict = conclude(item, roots=roots, authorship=who,
                               approval=lambda: approval(config) or approved.get(fingerprint))
            return verdict._replace(fingerprint=fingerprint)

        commits = [(logged, item if isinstance(item, Verdict) else concluded(item, who, fingerprint))
                   for logged, item, who, fingerprint in examined]
        who = authorship.decide(all_signals, assume_ai=assume_ai, assume_human=assume_human)
        if whole_stream is not None and commits:
            authors = tuple(dict.fromkeys(logged.info.author_email for logged, _ in commits))
            extra = rule_context(config, owners, new_text_reader(repo, blobs, target.head, cache=texts),
                                 lambda: authors)
            whole_hashed = Fingerprint(whole_stream) if hashing else None
            whole = judge(parse(cast(BinaryIO, whole_hashed) if whole_hashed else whole_stream, trusted=True),
                          config, source=target.label, roots=roots, authorship=who, context_extra=extra,
                          approval=lambda: approval(config) or approved.get(_digest(whole_hashed)))
            whole = whole._replace(fingerprint=_digest(whole_hashed))
            if whole.level is Level.ASK and (covered := approved_in_commits(whole, commits)) is not None:
                whole = decide(whole.changeset, whole.stats, list(whole.findings), config, who,
                               covered)._replace(fingerprint=whole.fingerprint)
        else:
            whole = judge(iter(()), config, source=target.label, authorship=who)
    commits.reverse()  # oldest first, as a reviewer reads them
    return RangeVerdict(target.label, whole, tuple(commits)), config


def approved_in_commits(whole: Verdict, commits: Sequence[tuple[LoggedCommit, Verdict]]) -> Approval | None:
    """The whole passes when each thing it asks about is exactly what a human approved in its own
    commit (the same rule saying the same of the same file): a change approved while staged,
    pushed with harmless commits. Anything else the whole shows is new and still asks: what only
    the whole has (its size, its spread), a change a passed-over merge made, a file changed
    again later (the finding says something else)."""
    approved = [verdict for _, verdict in commits if verdict.approval is not None]
    covered = {(f.rule, f.path, f.message) for verdict in approved
               for f in verdict.findings if f.level is Level.ASK}
    asking = {(f.rule, f.path, f.message) for f in whole.findings if f.level is Level.ASK}
    if not asking or not all(path for _, path, _ in asking) or not asking <= covered:
        return None
    who = "; ".join(dict.fromkeys(v.approval.by for v in approved if v.approval is not None))
    return Approval(by=f"{who} (each change, in its own commit)", fingerprint="",
                    at=max(v.approval.at for v in approved if v.approval is not None))


def _digest(hashed: Fingerprint | None) -> str:
    return hashed.hexdigest() if hashed is not None else ""


def approve_at_terminal(target: Range, config: Config, guard: str = "guard") -> str | None:
    """How a human approves the range on their machine (None: no range names its commits);
    `guard` is how they run it (judging.guard_command)."""
    return at_terminal(config.approval_label, f"{guard} approve {target.spec}") if target.spec else None


def render(result: RangeVerdict, output_format: str, how: str | None) -> str:
    """`how` a human approves (None: nobody can where this runs)."""
    if output_format == "json":
        return format_range_json(result)
    return format_range_text(result, how)


def main(*, spec: str, output_format: str, config_path: str | None, assume_ai: bool,
         assume_human: bool) -> int:
    repo = discover(required=True)
    assert repo is not None
    target = parse_spec(spec)
    result, config = judge_range(repo, target, config_path=config_path, assume_ai=assume_ai,
                                 assume_human=assume_human, recorded=state.approvals(repo.state_dir))
    sys.stdout.write(render(result, output_format, approve_at_terminal(target, config)))
    return result.exit_code


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from guard.commands.diff import add_target_options

    parser = subparsers.add_parser("log", help="judge each commit of a range, and the whole")
    parser.add_argument("spec", metavar="RANGE",
                        help="A..B or A...B (commits on B not on A; the whole from their merge "
                             "base), or one commit")
    add_target_options(parser, FORMATS, scope=False)


def run(args: argparse.Namespace) -> int:
    return main(spec=args.spec, output_format=args.output_format, config_path=args.config_path,
                assume_ai=args.assume_ai, assume_human=args.assume_human)

"""From a stream of file changes to a verdict: rules run on each file as it arrives (examine),
then on the whole change, and the policy decides (conclude). Pure: git lookups come in as
functions. A range concludes its commits together, so their folders are looked up at once."""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from guard.config import Config
from guard.measure import candidate_roots, measure
from guard.model import Approval, Authorship, ChangeSet, FileChange, Finding, Verdict
from guard.policy import decide
from guard.rules import Context, Hit, changeset_checks, file_checks

RootsLookup = Callable[[set[str]], frozenset[str]]


def _no_roots(candidates: set[str]) -> frozenset[str]:
    return frozenset()


def _finding(hit: Hit, config: Config) -> Finding:
    return Finding(
        rule=hit.rule.id,
        category=hit.rule.category,
        question=hit.rule.question,
        level=config.level_for(hit.rule.id, hit.path, hit.rule.level),
        path=hit.path,
        line=hit.line,
        message=hit.message,
    )


class Examined(NamedTuple):
    """A change its file rules have read: what `conclude` needs to give its verdict."""

    changeset: ChangeSet
    findings: list[Finding]
    context: Context


def examine(files: Iterable[FileChange], config: Config, *, source: str = "",
            context_extra: dict[str, object] | None = None) -> Examined:
    """Run the file rules on each file as it arrives, keeping the file without its text."""
    context = Context(config=config, extra=context_extra or {})
    per_file = list(file_checks())
    findings: list[Finding] = []
    kept: list[FileChange] = []
    for change in files:
        for check in per_file:
            for hit in check(change, context):  # a loop, not extend(genexpr): 3,000 files x 13 checks
                findings.append(_finding(hit, config))
        kept.append(change._replace(body=b""))  # bounded memory: drop the text
    return Examined(ChangeSet(files=tuple(kept), source=source), findings, context)


def conclude(
    examined: Examined,
    *,
    roots: RootsLookup = _no_roots,
    authorship: Authorship = Authorship(ai=True, assumed=True),
    approval: Callable[[], Approval | None] = lambda: None,
) -> Verdict:
    """Measure the change, run the rules on it as a whole, and let the policy decide."""
    changeset, file_findings, context = examined
    config = context.config
    stats = measure(changeset, config, roots(candidate_roots(changeset)))
    context = context._replace(stats=stats)
    findings = list(file_findings)  # the examined change stays as it was
    for set_check in changeset_checks():
        findings.extend(_finding(hit, config) for hit in set_check(changeset, context))
    return decide(changeset, stats, findings, config, authorship, approval())


def judge(
    files: Iterable[FileChange],
    config: Config,
    *,
    source: str = "",
    roots: RootsLookup = _no_roots,
    authorship: Authorship = Authorship(ai=True, assumed=True),
    approval: Callable[[], Approval | None] = lambda: None,
    context_extra: dict[str, object] | None = None,
) -> Verdict:
    examined = examine(files, config, source=source, context_extra=context_extra)
    return conclude(examined, roots=roots, authorship=authorship, approval=approval)

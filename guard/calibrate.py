"""What the journal says about each rule: how often guard asked, how often the human approved
the change unchanged, and which levels could be lowered. Pure: records in, numbers and text out."""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from guard.words import counted


class RuleStats(NamedTuple):
    rule: str
    asked: int  # distinct changes (fingerprints) guard asked about because of this rule
    approved: int  # of those, approved by a human exactly as asked about

    @property
    def always_approved(self) -> bool:
        return self.asked > 0 and self.approved == self.asked


def tally(records: Iterable[Mapping[str, object]]) -> tuple[list[RuleStats], int, int]:
    """(per-rule stats, verdicts read, approvals read). A change judged many times (pre-commit,
    commit-msg, retries) counts once: its fingerprint is the unit."""
    asked: dict[str, set[str]] = {}
    approved: set[str] = set()
    verdicts = approvals = 0
    for record in records:
        fingerprint = str(record.get("fingerprint", ""))
        if record.get("event") == "verdict":
            verdicts += 1
            if record.get("verdict") == "ask" or record.get("approved_by"):
                for rule in _strings(record.get("ask_rules")):
                    asked.setdefault(rule, set()).add(fingerprint)
        elif record.get("event") == "approval":
            approvals += 1
            approved.add(fingerprint)
            for rule in _strings(record.get("rules")):
                asked.setdefault(rule, set()).add(fingerprint)
    stats = [RuleStats(rule, len(fps), len(fps & approved)) for rule, fps in asked.items()]
    stats.sort(key=lambda s: (-s.asked, s.rule))
    return stats, verdicts, approvals


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def suggestions(stats: list[RuleStats], minimum: int) -> list[RuleStats]:
    """Rules asked about at least `minimum` times and approved unchanged every time."""
    return [s for s in stats if s.asked >= minimum and s.always_approved]


def format_report(stats: list[RuleStats], verdicts: int, approvals: int, minimum: int, where: str) -> str:
    if not verdicts and not approvals:
        return f"The journal ({where}) is empty: guard has not judged anything in this repository yet.\n"
    lines = [f"guard calibrate · {counted(verdicts, 'verdict')} and {counted(approvals, 'approval')} in {where}", ""]
    if not stats:  # nothing to suggest either: saying so again only repeats it
        return "\n".join([*lines, "guard has not asked about anything yet, so it suggests nothing."]) + "\n"
    width = max(len("rule"), *(len(s.rule) for s in stats))
    lines.append(f"{'rule':<{width}}  asked  approved unchanged")
    for s in stats:
        share = f"{100 * s.approved // s.asked}%" if s.asked else "-"
        lines.append(f"{s.rule:<{width}}  {s.asked:>5}  {s.approved:>8} ({share})")
    lines.append("")
    chosen = suggestions(stats, minimum)
    if not chosen:
        lines.append(f"No change suggested: no rule was asked about {minimum}+ times and approved every time.")
        return "\n".join(lines) + "\n"
    lines.append("Suggested (add to .guard.toml, or under [tool.guard.rules] in pyproject.toml;")
    lines.append("guard never edits the config, the call is yours):")
    lines.append("")
    lines.append("[rules]")
    for s in chosen:
        lines.append(f'{s.rule} = "report"  # asked {counted(s.asked, "time")}, approved unchanged every time')
    return "\n".join(lines) + "\n"

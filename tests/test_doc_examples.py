"""The docs' examples are what guard prints: each is made again in a real repository and compared
line by line (commit ids, which differ from run to run, aside), and their tables agree with
`guard rules`."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, Repo, clean_env, run_guard
from integration_helpers import CLAUDE_TRAILER, at_terminal, head

from guard.config import load_text
from guard.rules import all_rules, rule_ids

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md")}
AGENT = clean_env(CLAUDECODE="1")
SHA = re.compile(r"\b[0-9a-f]{10}(?:[0-9a-f]{2})?\b")
IDENTITY = ("Jane Roe <jane@example.com>", "Test Author <author@example.com>")


def after(text: str, line: str) -> list[str]:
    """The lines of a code block that follow `line`, up to the next command or the block's end."""
    start = text.index(line + "\n") + len(line) + 1
    block = text[start:text.index("```", start)]
    lines = block.splitlines()
    return lines[:next((i for i, l in enumerate(lines) if l.startswith("$ ")), len(lines))]


def shas_aside(lines: list[str]) -> list[str]:
    return [SHA.sub("<sha>", line) for line in lines]


def delete_then_fix(repo: Repo) -> tuple[str, str]:
    """The feature branch of the examples: an agent deletes the importer, then the retry fix."""
    base = head(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.git("rm", "-q", "src/client/legacy_importer.py")
    repo.commit(f"Remove the legacy CRM importer\n\n{CLAUDE_TRAILER}")
    repo.apply(FIXTURES / "retry-fix.patch")
    return base, repo.commit("Cap the retry delay")


def test_the_readme_handoff_is_what_guard_prints(tmp_path: Path) -> None:
    """The patch named as the README names it, from where it is: the handoff quotes it."""
    shown = after(README, "$ CLAUDECODE=1 guard diff --patch fixtures/delete-file.patch")
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "delete-file.patch").write_bytes((FIXTURES / "delete-file.patch").read_bytes())
    result = run_guard("diff", "--patch", "fixtures/delete-file.patch", cwd=tmp_path, env=AGENT)
    assert result.code == 1
    assert result.out.splitlines() == shown


def test_the_approval_docs_handoff_is_what_guard_prints_for_the_staged_change(project: Repo) -> None:
    project.git("rm", "-q", "src/client/legacy_importer.py")
    handoff = DOCS["approval.md"].split("```text\n", 1)[1].split("```", 1)[0]
    result = project.guard("diff", env=AGENT)
    assert result.code == 1 and result.out == handoff


def test_the_handoff_to_relay_is_what_guard_prints(project: Repo) -> None:
    shown = after(DOCS["approval.md"], "$ CLAUDECODE=1 guard diff --format handoff      "
                                       "# an agent's change (a human's is reported)")
    project.git("rm", "-q", "src/client/legacy_importer.py")
    assert project.guard("diff", "--format", "handoff", env=AGENT).out.splitlines() == shown


def test_the_guard_log_example_is_what_guard_prints(project: Repo) -> None:
    delete_then_fix(project)
    shown = after(DOCS["integrations.md"], "$ guard log main..feature")
    result = project.guard("log", "main..feature")
    assert result.code == 1
    assert shas_aside(result.out.splitlines()) == shas_aside(shown)


def test_the_refused_push_example_is_what_the_pre_push_hook_prints(project: Repo) -> None:
    base, tip = delete_then_fix(project)
    shown = [line for line in after(DOCS["approval.md"], "$ git push") if line.strip() != "..."]
    result = project.guard("hook", "pre-push", "origin", "url",
                           stdin=f"refs/heads/feature {tip} refs/heads/main {base}\n".encode())
    assert result.code == 1
    printed = iter(shas_aside(result.out.splitlines()))
    for line in shas_aside(shown):  # in order, with what the example leaves out (...) between
        assert line in printed, (line, result.out)


@pytest.mark.skipif(os.name == "nt", reason="needs a pseudo-terminal")
def test_the_approve_examples_end_as_guard_approve_does(project: Repo) -> None:
    approval = DOCS["approval.md"]
    project.git("rm", "-q", "src/client/legacy_importer.py")
    code, out = at_terminal(project, "yes")
    assert code == 0
    said = [line.replace(*IDENTITY) for line in after(approval, "(the handoff for the staged change)")]
    printed = out.splitlines()
    # What follows the handoff, blank lines included: the line before it is the handoff's last.
    assert shas_aside(printed[-len(said):]) == shas_aside(said) and printed[-len(said) - 1], out
    project.commit("Remove the importer")
    project.apply(FIXTURES / "retry-fix.patch")
    project.commit("Cap the retry delay")
    code, out = at_terminal(project, "yes", None, "HEAD~2..HEAD")
    assert code == 0
    said = [line.replace(*IDENTITY) for line in after(approval, "(the range's report)")]
    printed = out.splitlines()
    assert printed[-len(said):] == said and printed[-len(said) - 1], out


def test_the_calibrate_example_is_what_guard_calibrate_prints(project: Repo) -> None:
    """41 verdicts and 7 approvals: six deletions asked about and approved, three changes outside
    the declared scope of which one was approved."""
    records: list[dict[str, Any]] = []
    changes = [(f"d{n}", "file-deleted", True) for n in range(6)] + \
              [(f"s{n}", "scope-undeclared", n == 0) for n in range(3)]
    for fingerprint, rule, approved in changes:
        records.append({"event": "verdict", "verdict": "ask", "fingerprint": fingerprint, "ask_rules": [rule]})
        if approved:
            records.append({"event": "approval", "fingerprint": fingerprint, "rules": [rule]})
    records += [{"event": "verdict", "verdict": "ship", "fingerprint": f"p{n}", "ask_rules": []} for n in range(32)]
    journal = project.path / ".git" / "guard" / "journal.jsonl"
    journal.parent.mkdir()
    journal.write_text("".join(json.dumps(record) + "\n" for record in records))
    shown = after(DOCS["approval.md"], "$ guard calibrate            # --min N: how many asks before "
                                       "suggesting (default 5)")
    said = [line.replace("/home/jane/shop/.git/guard/journal.jsonl", str(journal)) for line in shown]
    assert project.guard("calibrate").out.splitlines() == said


def test_the_authorship_examples_are_what_guard_says(project: Repo) -> None:
    authorship = DOCS["authorship.md"]
    staged = after(authorship, "$ CLAUDECODE=1 guard diff --format json | jq -c .authorship")
    project.write("src/client/retry.py", (project.path / "src/client/retry.py").read_text() + "X = 1\n")
    project.add()
    found = project.guard("diff", "--format", "json", env=AGENT).json["authorship"]
    assert [json.dumps(found, separators=(",", ":"))] == staged
    project.git("reset", "-q", "--hard")
    delete_then_fix(project)
    ranged = after(authorship, "$ guard diff 'main...HEAD' --format json | jq -c .authorship")
    found = project.guard("diff", "main...HEAD", "--format", "json").json["authorship"]
    assert shas_aside([json.dumps(found, separators=(",", ":"))]) == shas_aside(ranged)


def elided(shown: Any, real: Any) -> bool:
    """`real` is what `shown` says, where a string of `shown` that ends in '…' is a beginning."""
    if isinstance(shown, dict):
        return isinstance(real, dict) and list(shown) == list(real) and all(
            elided(shown[key], real[key]) for key in shown)
    if isinstance(shown, list):
        return isinstance(real, list) and len(shown) == len(real) and all(map(elided, shown, real))
    if isinstance(shown, str) and shown.endswith("…"):
        return isinstance(real, str) and real.startswith(shown[:-1].rstrip())
    return bool(shown == real)


def test_the_readme_json_example_is_what_guard_prints(tmp_path: Path) -> None:
    shown = json.loads(README.split("```json\n", 1)[1].split("```", 1)[0])
    result = run_guard("diff", "--patch", str(FIXTURES / "large-change.patch"), "--format", "json",
                       cwd=tmp_path, env=AGENT)
    assert len(result.out.splitlines()) == 1  # "on one line"
    assert elided(shown, result.json), result.out


def table(text: str, heading: str) -> dict[str, list[str]]:
    """The rows of the first table after `heading`, by their first cell's rule id."""
    section = text[text.index(heading):]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if line.startswith("| `"):
            rows[cells[0].strip("`")] = [cell.strip("*") for cell in cells[1:]]
        elif rows and not line.startswith("|"):
            break
    return rows


def test_the_rule_tables_agree_with_guard_rules() -> None:
    rules = {rule.id: rule for rule in all_rules()}
    risk = table(DOCS["rules-risk.md"], "| rule | category |")
    config = table(DOCS["rules-config.md"], "| rule | category |")
    assert not set(risk) & set(config) and set(risk) | set(config) <= set(rules)
    for rule_id, (category, question, level, _) in risk.items():
        rule = rules[rule_id]
        assert (category, question, level) == (rule.category, str(rule.question), str(rule.level)), rule_id
    assert "All default to `ask`." in DOCS["rules-config.md"]
    for rule_id, (category, question, _) in config.items():
        rule = rules[rule_id]
        assert (category, question, str(rule.level)) == (rule.category, str(rule.question), "ask"), rule_id
    assert f"`guard rules` lists all {len(rules)};" in README


@pytest.mark.parametrize("name", sorted(DOCS))
def test_every_configuration_example_in_the_docs_is_valid(name: str) -> None:
    for block in re.findall(r"```toml\n(.*?)```", DOCS[name], re.S):
        load_text(block, name, rule_ids())

"""The README's examples are true: its config parses, its first command's output is real."""
from __future__ import annotations

import re

from conftest import FIXTURES, ROOT, clean_env, run_guard

from guard.config import load_text
from guard.rules import rule_ids

README = (ROOT / "README.md").read_text()


def test_the_configuration_example_is_valid() -> None:
    section = README[README.index("## Configuration"):]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    config = load_text(block.group(1), "README.md", rule_ids())
    assert config.scope and config.sensitive and config.me and config.ai_signals


def test_the_bundled_example_ships_as_shown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_guard("diff", "--patch", str(FIXTURES / "retry-fix.patch"), cwd=tmp_path)
    assert result.code == 0
    assert result.out.strip() in README
    assert README.index("guard diff --patch fixtures/retry-fix.patch") < README.index("## ")


def test_the_handoff_example_is_what_guard_prints(tmp_path) -> None:  # type: ignore[no-untyped-def]
    shown = README[README.index("$ CLAUDECODE=1 guard diff --patch fixtures/delete-file.patch"):]
    shown = shown[shown.index("\n") + 1:shown.index("```")]
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "delete-file.patch").write_bytes((FIXTURES / "delete-file.patch").read_bytes())
    result = run_guard("diff", "--patch", "fixtures/delete-file.patch", cwd=tmp_path, env=clean_env(CLAUDECODE="1"))
    assert result.code == 1
    assert result.out == shown

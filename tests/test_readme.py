"""The README's examples are true: its config parses, its first command's output is real."""
from __future__ import annotations

import re

from conftest import FIXTURES, ROOT, run_guard

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


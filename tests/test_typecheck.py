"""The package type-checks under mypy --strict (STYLE.md)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_mypy_strict() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "guard"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]

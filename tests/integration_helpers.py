"""Helpers shared by the integration tests: the fixture project, agent identities, PATH."""
from __future__ import annotations

import os
import sys

from conftest import ROOT, Repo, base_project, clean_env

CLAUDE_TRAILER = "Co-authored-by: Claude <noreply@anthropic.com>"
COPILOT_AGENT = {
    "GIT_AUTHOR_NAME": "copilot-swe-agent[bot]",
    "GIT_AUTHOR_EMAIL": "198982749+Copilot@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "copilot-swe-agent[bot]",
    "GIT_COMMITTER_EMAIL": "198982749+Copilot@users.noreply.github.com",
}


def hook_env(**extra: str) -> dict[str, str]:
    """clean_env with this interpreter's bin first on PATH, so the shims find the `guard` that
    was installed into it (or `python3` with guard importable)."""
    env = clean_env(**extra)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


project = base_project


def head(repo: Repo, rev: str = "HEAD") -> str:
    return repo.git("rev-parse", rev).strip()


HOOKS = ROOT / "hooks"

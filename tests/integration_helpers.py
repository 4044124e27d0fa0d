"""Helpers shared by the integration tests: the fixture project, agent identities, PATH."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time

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


def at_terminal(repo: Repo, answer: str | None, env: dict[str, str] | None = None,
                *args: str) -> tuple[int, str]:
    """Run `guard approve ARGS` with a pty as its terminal; type `answer` once it asks."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "guard", "approve", *args], cwd=repo.path,
                            env=env or clean_env(), stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 30
    typed = answer is None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        if not typed and b"Type yes" in output:
            os.write(master, f"{answer}\n".encode())
            typed = True
        if proc.poll() is not None and not ready:
            break
    os.close(master)
    return proc.wait(timeout=30), output.decode("utf-8", "replace").replace("\r\n", "\n")

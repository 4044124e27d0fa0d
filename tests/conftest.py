"""Shared test helpers: real git repositories in temporary folders, guard run as a process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}
# Agent variables of the machine running the tests must not leak into them.
AGENT_VARIABLES = ("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CURSOR_AGENT", "CURSOR_TRACE_ID",
                   "CODEX_SANDBOX", "GEMINI_CLI", "AI_AGENT", "AGENT", "GITHUB_ACTIONS",
                   "GITLAB_CI", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY", "CI")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in AGENT_VARIABLES and not k.startswith(("GIT_", "GUARD_", "CI_"))}
    env.update(IDENTITY)
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


@dataclass
class Repo:
    path: Path

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, env=env or clean_env(),
                              capture_output=True, check=True)
        return done.stdout.decode("utf-8", "surrogateescape")

    def write(self, name: str, content: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        target.write_bytes(content)
        return target

    def add(self, *names: str) -> None:
        self.git("add", "--", *(names or (".",)))

    def commit(self, message: str = "change", env: dict[str, str] | None = None) -> str:
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def apply(self, patch: Path | str, index: bool = True) -> None:
        """Apply a fixture patch to the work tree (and the index)."""
        args = ["apply", "--index"] if index else ["apply"]
        self.git(*args, str(patch))

    def guard(self, *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> Result:
        return run_guard(*args, cwd=self.path, env=env, stdin=stdin)


def run_guard(*args: str, cwd: Path, env: dict[str, str] | None = None,
              stdin: bytes | None = None) -> Result:
    done = subprocess.run([sys.executable, "-m", "guard", *args], cwd=cwd, env=env or clean_env(),
                          input=stdin, capture_output=True)
    return Result(done.returncode, done.stdout.decode("utf-8", "replace"),
                  done.stderr.decode("utf-8", "replace"))


_THEN = """
import gc, io, sys
from contextlib import redirect_stdout
from guard.cli import main
with redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print({report})
"""


def guard_then(cwd: Path, report: str, *args: str) -> str:
    """Run guard with `args` in a Python process of its own, then what `report` (an expression,
    evaluated in that process once guard is done: `gc.collect()`, `sys.modules`) says of it."""
    done = subprocess.run([sys.executable, "-c", _THEN.format(report=report), *args], cwd=cwd,
                          env=clean_env(), capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(path: Path, bare: bool = False) -> Repo:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", *(["--bare"] if bare else []), str(path)],
                   check=True, env=clean_env())
    return Repo(path)


def base_project(path: Path, config: str | None = None) -> Repo:
    """fixtures/base committed on main (with `config` as its .guard.toml, if given)."""
    import shutil

    repo = make_repo(path)
    shutil.copytree(FIXTURES / "base", repo.path, dirs_exist_ok=True)
    if config is not None:
        repo.write(".guard.toml", config)
    repo.add()
    repo.commit("base project")
    return repo


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    return base_project(tmp_path / "project")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return make_repo(tmp_path / "repo")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES

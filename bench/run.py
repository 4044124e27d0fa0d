"""Benchmarks against the budgets in DESIGN.md, each side by side with its peer, as a ratio.

    python bench/run.py            # all four
    python bench/run.py small      # one of: small, large, memory, history

Repositories are built once (deterministically) under bench/.cache/. Times are medians of
alternating runs; peak memory is the max RSS of guard's process.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

# The installed console script, as a hook runs it (`pip install -e .` first).
GUARD = [shutil.which("guard", path=str(Path(sys.executable).parent)) or "guard"]
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "NO_COLOR": "1"}
# Installed packages carry compiled bytecode; without it every run would recompile guard.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def _timed(command: list[str], cwd: Path, stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, input=stdin, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _peak_rss_mb(command: list[str], cwd: Path) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, env=ENV,
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def _streamed_peak_rss_mb(command: list[str], megabytes: int) -> float:
    """Peak memory of `command` reading a generated diff of `megabytes` MB on its stdin."""
    probe = ("import resource, subprocess, sys; sys.path.insert(0, sys.argv[1]); import synth;"
             "p = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL);"
             "[p.stdin.write(c) for c in synth.patch_chunks(int(sys.argv[2]))]; p.stdin.close(); p.wait();"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, str(HERE), str(megabytes), *command], env=ENV,
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def medians(ours: list[str], peer: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    mine, theirs = [], []
    for _ in range(runs):  # alternate, so drift in machine load hits both sides alike
        theirs.append(_timed(peer, cwd))
        mine.append(_timed(ours, cwd))
    return statistics.median(mine), statistics.median(theirs)


def compare(name: str, ours: list[str], peer: list[str], cwd: Path, runs: int, budget: float) -> None:
    mine, theirs = medians(ours, peer, cwd, runs)
    ratio = mine / theirs
    verdict = "within budget" if ratio <= budget else "OVER BUDGET"
    print(f"{name}: guard {mine * 1000:.0f} ms, peer {theirs * 1000:.0f} ms, ratio {ratio:.2f} "
          f"(budget {budget}) {verdict}")


def _repo(name: str, build) -> Path:  # type: ignore[no-untyped-def]
    path = CACHE / name
    if not (path / ".git").exists():
        shutil.rmtree(path, ignore_errors=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        build(path)
    return path


def _small_repo() -> Path:
    path = CACHE / "small"
    if not (path / ".git").exists():
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(ROOT / "fixtures" / "base", path)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base"],
                     ["apply", "--index", str(ROOT / "fixtures" / "retry-fix.patch")]):
            subprocess.run(["git", *args], cwd=path, check=True, env=ENV)
    return path


def _hook_command() -> list[str]:
    """`guard hook pre-commit` where it exists; `guard diff --staged` is the same work."""
    probe = subprocess.run([*GUARD, "hook", "--help"], env=ENV, capture_output=True)
    return [*GUARD, "hook", "pre-commit"] if probe.returncode == 0 else [*GUARD, "diff", "--staged"]


def small() -> None:
    path = _small_repo()
    peer = shutil.which("check-added-large-files") or str(Path(sys.executable).parent / "check-added-large-files")
    if not Path(peer).exists():
        sys.exit("install pre-commit-hooks for the peer: pip install pre-commit-hooks")
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=path, env=ENV,
                            capture_output=True, text=True, check=True).stdout.split()
    compare("small staged change (hook vs check-added-large-files)", _hook_command(),
            [peer, *staged], path, runs=15, budget=1.5)


def large() -> None:
    path = _repo("large", synth.large_range)
    size = len(subprocess.run(["git", "diff", "-p", "HEAD~1", "HEAD"], cwd=path, env=ENV,
                              capture_output=True, check=True).stdout)
    print(f"large range: {size / 1e6:.1f} MB of diff")
    ours = [*GUARD, "diff", "HEAD~1..HEAD", "--format", "json"]
    compare("large range (guard diff vs git diff -p)", ours,
            ["git", "diff", "-p", "HEAD~1", "HEAD"], path, runs=5, budget=1.5)
    print(f"large range: peak memory {_peak_rss_mb(ours, path):.0f} MB (budget 150 MB)")


def memory() -> None:
    """Streaming: a diff ten times larger must not need ten times the memory."""
    ours = [*GUARD, "diff", "--patch", "-", "--format", "json"]
    one, ten = (_streamed_peak_rss_mb(ours, size) for size in (25, 250))
    verdict = "within budget" if ten < 150 and ten < 10 * one else "OVER BUDGET"
    print(f"memory: peak {one:.0f} MB on a 25 MB diff, {ten:.0f} MB on a 250 MB diff, "
          f"{ten / one:.1f}x for ten times the diff (budget 150 MB, under 10x) {verdict}")


def history() -> None:
    path = _repo("history", synth.history)
    probe = subprocess.run([*GUARD, "log", "--help"], env=ENV, capture_output=True)
    if probe.returncode != 0:
        print("history: guard log is not available yet")
        return
    ours = [*GUARD, "log", "HEAD~999..HEAD", "--format", "json"]
    compare("history, 1,000 commits (guard log vs git log -p)", ours,
            ["git", "log", "-p", "HEAD~999..HEAD"], path, runs=5, budget=2.0)
    # Where the time goes: what a run costs before its first commit (interpreter, imports,
    # config), and then each commit, beside the same two for git.
    fixed, git_fixed = medians([*GUARD, "log", "HEAD~1..HEAD", "--format", "json"],
                               ["git", "log", "-p", "HEAD~1..HEAD"], path, runs=5)
    whole, git_whole = medians(ours, ["git", "log", "-p", "HEAD~999..HEAD"], path, runs=5)
    print(f"history: one commit takes guard {fixed * 1000:.0f} ms, git {git_fixed * 1000:.0f} ms; "
          f"each further commit {(whole - fixed) / 998 * 1e6:.0f} us, git {(git_whole - git_fixed) / 998 * 1e6:.0f} us")
    print(f"history: peak memory {_peak_rss_mb(ours, path):.0f} MB")
    # The floor under any Python guard log: the same stream, only read and cut at its headers.
    from guard.logstream import LOG_OPTIONS

    floor, git_whole = medians([sys.executable, str(HERE / "floor.py"), *LOG_OPTIONS, "HEAD~999..HEAD", "--"],
                               ["git", "log", "-p", "HEAD~999..HEAD"], path, runs=5)
    print(f"history: reading the same stream and finding its headers, judging nothing, takes "
          f"{floor / git_whole:.2f}x git log -p (bench/floor.py): {2 - floor / git_whole:.2f}x of the "
          f"budget is left for importing guard, judging and reporting")


if __name__ == "__main__":
    chosen = sys.argv[1:] or ["small", "large", "memory", "history"]
    for name in chosen:
        {"small": small, "large": large, "memory": memory, "history": history}[name]()

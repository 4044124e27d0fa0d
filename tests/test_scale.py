"""Huge changes are judged with exact counts (memory is measured in bench/, not here)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, guard_then, make_repo, run_guard


def test_two_hundred_thousand_changed_lines_are_counted_exactly(tmp_path: Path) -> None:
    files = []
    for index in range(4):
        name = f"src/part{index}/table.py"
        removed = "".join(f"-old_{index}_{n} = {n}\n" for n in range(25_000))
        added = "".join(f"+new_{index}_{n} = {n}\n" for n in range(25_000))
        files.append(f"diff --git a/{name} b/{name}\n--- a/{name}\n+++ b/{name}\n"
                     f"@@ -1,25000 +1,25000 @@\n{removed}{added}")
    # Past the first megabytes, found all the same (the gates' automaton takes over from `in`).
    files.append("diff --git a/src/late.py b/src/late.py\n--- a/src/late.py\n+++ b/src/late.py\n"
                 "@@ -1,1 +1,2 @@\n-x = 1\n+x = 1  # noqa: E501\n+key = 'AKIAZQ2RPX7KT4MVN3WB'\n")
    patch = "".join(files).encode()
    assert len(patch) > 4_000_000
    result = run_guard("diff", "--patch", "-", "--assume-ai", "--format", "json", cwd=tmp_path, stdin=patch)
    assert result.code == 1
    stats = result.json["stats"]
    assert (stats["added"], stats["removed"], stats["changed_lines"]) == (100_002, 100_001, 200_003)
    assert stats["files"] == 5 and len(result.json["files"]) == 5
    late = {(f["rule"], f["line"]) for f in result.json["findings"] if f["path"] == "src/late.py"}
    assert late == {("secret-token", 2), ("lint-suppression", 1)}, result.json["findings"]


def _repo_with_a_base(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path / "repo")
    repo.write("README.md", "x\n")
    repo.add()
    repo.commit("base")
    return repo


def test_thousands_of_staged_folders(tmp_path: Path) -> None:
    """Looking up package manifests for every folder of a huge change must not stall on pipes."""
    repo = _repo_with_a_base(tmp_path)
    for index in range(3000):
        repo.write(f"pkg{index % 60}/mod{index}/deep/file.py", f"VALUE = {index}\n")
    repo.add()
    result = repo.guard("diff", "--format", "json")
    assert result.code in (0, 1), result.err
    assert result.json["stats"]["files"] == 3000


def test_where_the_pipe_cannot_be_widened_a_thread_drains_it_in_order() -> None:
    """Off Linux a pipe holds 64 KB, and a thread reads git's output ahead of the parser;
    every byte must arrive, in order, however the reads are cut."""
    import subprocess
    import sys

    from guard.git import _Prefetch

    writer = "import sys\nfor n in range(200000): sys.stdout.write(f'line {n}\\n')\n"
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    reader = _Prefetch(proc.stdout, thread=True)
    pieces = []
    while piece := reader.read():
        pieces.append(piece)
    proc.wait()
    assert reader._queue is not None  # past the first 256 KB the thread took over
    assert b"".join(pieces) == b"".join(b"line %d\n" % n for n in range(200000))


# guard runs with the cyclic garbage collector off (guard/cli.py): that is safe only while its
# data holds no reference cycles, so what the collector would find must not grow with the input.
def test_cyclic_garbage_does_not_grow_with_the_change(tmp_path: Path) -> None:
    repo = _repo_with_a_base(tmp_path)
    for commit in range(40):
        for index in range(5 if commit else 50):
            repo.write(f"pkg{index % 7}/mod{index}.py", f"def f_{commit}():\n    return {commit}\n")
        repo.add()
        repo.commit(f"change {commit}")
    small, history, wide = (int(guard_then(repo.path, "gc.collect()", *args)) for args in (
        ("log", "HEAD~1..HEAD", "--format", "json"), ("log", "HEAD~39..HEAD", "--format", "json"),
        ("diff", "HEAD~40..HEAD", "--format", "json")))
    assert history < small + 100 and wide < small + 100, (small, history, wide)


# The peak of the process's own memory: ru_maxrss would also count the test runner's, which
# a child spawned with vfork inherits until it runs Python.
PEAK_KB = 'next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))'


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_a_range_does_not_keep_each_commits_manifest_text(tmp_path: Path) -> None:
    """Rules read a changed manifest whole; a range concludes its commits at the end, and
    must not hold every commit's copy of a megabyte manifest until then."""
    import json

    repo = make_repo(tmp_path / "repo")
    dependencies = {f"package-{n}": "1.0.0" for n in range(25_000)}
    for commit in range(31):
        dependencies["package-0"] = f"1.0.{commit}"
        repo.write("package.json", json.dumps({"name": "big", "dependencies": dependencies}, indent=2))
        repo.add()
        repo.commit(f"bump {commit}")
    three, thirty = (int(guard_then(repo.path, PEAK_KB, "log", spec, "--format", "json"))
                     for spec in ("HEAD~3..HEAD", "HEAD~30..HEAD"))
    assert thirty - three < 15_000, (three, thirty)  # one manifest is about 0.8 MB

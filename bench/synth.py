"""Deterministic synthetic repositories for the benchmarks, built with one `git fast-import`."""
from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

WORDS = ("retry", "client", "buffer", "token", "schema", "render", "commit", "index", "parse",
         "value", "stream", "cursor", "config", "handler", "result", "payload", "session")


def _line(rng: random.Random, number: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(6))
    return f"    value_{number} = compute('{words}', {rng.randint(0, 99999)})\n"


def _file(rng: random.Random, lines: int) -> list[str]:
    out = []
    for number in range(lines):
        if number % 20 == 0:
            out.append(f"def function_{number}(argument):\n")
        out.append(_line(rng, number))
    return out


def _mutate(rng: random.Random, lines: list[str], share: float) -> list[str]:
    return [
        _line(rng, n) if not line.startswith("def ") and rng.random() < share else line
        for n, line in enumerate(lines)
    ]


class _FastImport:
    def __init__(self, path: Path) -> None:
        subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
        self.proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
        self.mark = 0
        self.time = 1_700_000_000

    def _write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def commit(self, message: str, files: dict[str, str], parent: bool) -> None:
        self.mark += 1
        self.time += 60
        msg = message.encode()
        self._write(f"commit refs/heads/main\nmark :{self.mark}\n"
                    f"author Bench <bench@example.com> {self.time} +0000\n"
                    f"committer Bench <bench@example.com> {self.time} +0000\n"
                    f"data {len(msg)}\n".encode() + msg + b"\n")
        if parent:
            self._write(f"from :{self.mark - 1}\n".encode())
        for path, text in files.items():
            data = text.encode()
            self._write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        self._write(b"\n")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def large_range(path: Path, files: int = 3000, lines: int = 80, share: float = 0.5) -> None:
    """Two commits whose diff is about 25 MB over `files` files (defaults)."""
    rng = random.Random(1)
    before = {f"pkg{i % 40}/module_{i}.py": _file(rng, lines) for i in range(files)}
    writer = _FastImport(path)
    writer.commit("before", {p: "".join(t) for p, t in before.items()}, parent=False)
    writer.commit("after", {p: "".join(_mutate(rng, t, share)) for p, t in before.items()}, parent=True)
    writer.close()


def history(path: Path, commits: int = 1000, files: int = 200) -> None:
    """A linear history of `commits` small commits, each editing a few lines of one file."""
    rng = random.Random(2)
    contents = {f"src/part{i % 10}/file_{i}.py": _file(rng, 60) for i in range(files)}
    writer = _FastImport(path)
    writer.commit("initial", {p: "".join(t) for p, t in contents.items()}, parent=False)
    for number in range(1, commits):
        target = rng.choice(list(contents))
        contents[target] = _mutate(rng, contents[target], 0.1)
        writer.commit(f"change {number}", {target: "".join(contents[target])}, parent=True)
    writer.close()


def patch_chunks(megabytes: int) -> Iterator[bytes]:
    """A unified diff of about `megabytes` MB, generated as it is written: files of eighty lines
    with half of them changed, as in large_range, under ever new names."""
    rng = random.Random(3)
    bodies = []
    for _ in range(50):
        old = _file(rng, 80)
        new = _mutate(rng, old, 0.5)
        hunk = [f"@@ -1,{len(old)} +1,{len(new)} @@\n"]
        for before, after in zip(old, new):
            hunk.append(f" {before}" if before == after else f"-{before}+{after}")
        bodies.append("".join(hunk).encode())
    written, number = 0, 0
    while written < megabytes << 20:
        name = f"pkg{number % 40}/module_{number}.py".encode()
        chunk = b"diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n" % (name, name, name, name) + bodies[number % 50]
        written += len(chunk)
        number += 1
        yield chunk

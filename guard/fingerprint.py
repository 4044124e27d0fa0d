"""The fingerprint of a diff: sha256 of the normalised patch, computed while it streams by.

Normalised: git produces it with guard's pinned options (guard/git.py: no colour, fixed a/ b/
prefixes, quoted paths, no external diff or textconv, rename detection), so the user's git
config cannot change it. The `index` lines stay in: they bind binary and out-of-hunk content.
"""
from __future__ import annotations

from typing import Any, BinaryIO

# Past this much data, hashlib's sha256 (OpenSSL) takes over from CPython's own: its import
# costs ~3 ms, which a small diff does not repay. It hashes on the parser's thread: on a 25 MB
# diff a hashing thread lost more waiting for the GIL than the 16 ms of hashing it took over.
_INLINE = 1 << 18


def _builtin_sha256() -> Any:
    """CPython's own sha256: loading hashlib's OpenSSL binding costs ~4 ms of a ~60 ms hook
    run, and a small diff gains nothing from its speed."""
    try:
        from _sha256 import sha256 as make  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256 as make  # type: ignore[import-not-found]  # 3.12+
        except ImportError:
            from hashlib import sha256 as make
    return make()


class Fingerprint:
    """Wraps the diff stream the parser reads; `hexdigest()` is final once it is consumed."""

    def __init__(self, stream: BinaryIO, after_blank_lines: bool = False) -> None:
        self._stream = stream
        # A commit's patch in `git log -p` follows its message after blank lines; without them
        # it is byte for byte what `git diff` prints, so an approval given before the commit
        # (on the staged diff) is found for the commit.
        self._leading = after_blank_lines
        self._head: list[bytes] = []  # the first _INLINE bytes, hashed at the end if that is all
        self._hash: Any = None  # hashlib's sha256, once the diff outgrows _INLINE
        self._seen = 0
        self._digest = ""

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._leading and data:
            data = data.lstrip(b"\n")
            self._leading = not data
            if not data:
                return self.read(size)
        self._seen += len(data)
        if self._hash is not None:
            self._hash.update(data)
        elif self._seen <= _INLINE:
            self._head.append(data)
        else:
            import hashlib

            self._hash = hashlib.sha256(b"".join(self._head))
            self._hash.update(data)
            self._head = []
        return data

    def hexdigest(self) -> str:
        if not self._digest:
            while self.read(1 << 20):  # what the parser left unread still belongs to the diff
                pass
            if self._hash is None:
                self._hash = _builtin_sha256()
                self._hash.update(b"".join(self._head))
            self._digest = self._hash.hexdigest()
        return self._digest

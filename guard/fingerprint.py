"""The fingerprint of a diff: sha256 of the normalised patch, computed while it streams by.

Normalised: git produces it with guard's pinned options (guard/git.py: no colour, fixed a/ b/
prefixes, quoted paths, no external diff or textconv, rename detection), so the user's git
config cannot change it. The `index` lines stay in: they bind binary and out-of-hunk content.
"""
from __future__ import annotations

import hashlib
from typing import BinaryIO


class Fingerprint:
    """Wraps the diff stream the parser reads; `hexdigest()` is final once it is consumed."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._hash.update(data)
        return data

    def hexdigest(self) -> str:
        while self.read(1 << 20):  # whatever the parser left unread still belongs to the diff
            pass
        return self._hash.hexdigest()

"""The fingerprint of a diff: sha256 of the normalised patch, computed while it streams by.

Normalised: git produces it with guard's pinned options (guard/git.py: no colour, fixed a/ b/
prefixes, quoted paths, no external diff or textconv, rename detection), so the user's git
config cannot change it. The `index` lines stay in: they bind binary and out-of-hunk content.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import queue
    import threading

# Past this much data the hashing moves to a thread: hashlib releases the GIL on large buffers,
# so a big diff is hashed while the parser works instead of after it (~60 ms on 28 MB).
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

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._head: list[bytes] = []  # the first _INLINE bytes, hashed at the end if that is all
        self._hash: Any = None  # hashlib's sha256, once the diff outgrows _INLINE
        self._seen = 0
        self._queue: queue.Queue[bytes | None] | None = None
        self._thread: threading.Thread | None = None
        self._digest = ""

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._seen += len(data)
        if self._queue is None and self._seen <= _INLINE:
            self._head.append(data)
        elif data:
            self._offload(data)
        return data

    def _offload(self, data: bytes) -> None:
        if self._queue is None:
            import hashlib
            import queue
            import threading

            self._hash = hashlib.sha256(b"".join(self._head))
            self._head = []
            self._queue = queue.Queue(8)  # bounded: memory stays bounded
            self._thread = threading.Thread(target=self._work, daemon=True)
            self._thread.start()
        self._queue.put(data)

    def _work(self) -> None:
        assert self._queue is not None
        while (chunk := self._queue.get()) is not None:
            self._hash.update(chunk)

    def hexdigest(self) -> str:
        if not self._digest:
            while self.read(1 << 20):  # what the parser left unread still belongs to the diff
                pass
            if self._queue is not None and self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._digest = self._hash.hexdigest()
            else:
                small = _builtin_sha256()
                small.update(b"".join(self._head))
                self._digest = small.hexdigest()
        return self._digest

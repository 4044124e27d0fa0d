"""A diff's fingerprint is sha256 of exactly its bytes, however it was read and however large."""
from __future__ import annotations

import hashlib
import io

import pytest

from guard.fingerprint import Fingerprint


@pytest.mark.parametrize("size", [0, 100, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3 << 20])
def test_fingerprint_is_sha256_of_the_stream(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    wrapped = Fingerprint(io.BytesIO(data))
    while wrapped.read(65536):
        pass
    assert wrapped.hexdigest() == hashlib.sha256(data).hexdigest()


def test_what_the_parser_left_unread_still_counts() -> None:
    data = b"diff --git a/x b/x\n" * 50_000
    wrapped = Fingerprint(io.BytesIO(data))
    wrapped.read(10)
    assert wrapped.hexdigest() == hashlib.sha256(data).hexdigest()

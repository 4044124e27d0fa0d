"""Property tests of the parser: generated diffs keep exact counts; arbitrary bytes never crash."""
from __future__ import annotations

import difflib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guard.errors import GuardError
from guard.parse import parse, unquote

# Line content: any bytes but the newline, including \r, NUL and invalid UTF-8.
line = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"") + b"\n")
lines = st.lists(line, max_size=30)
segment = st.text(alphabet=st.characters(blacklist_characters="/\n\t\"\\\x00", blacklist_categories=("Cs",), min_codepoint=32),
                  min_size=1, max_size=12)
path = st.lists(segment, min_size=1, max_size=3).map("/".join)


def file_patch(name: str, old: list[bytes], new: list[bytes], context: int) -> tuple[bytes, int, int]:
    body = list(difflib.diff_bytes(difflib.unified_diff, old, new, n=context))[2:]
    added = sum(1 for row in body if row.startswith(b"+"))
    removed = sum(1 for row in body if row.startswith(b"-"))
    encoded = name.encode("utf-8", "surrogateescape")
    header = (b"diff --git a/%s b/%s\nindex 83db48f..bf269f4 100644\n--- a/%s\n+++ b/%s\n"
              % (encoded, encoded, encoded, encoded))
    return (header + b"".join(body) if body else b""), added, removed


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(path, lines, lines, st.integers(0, 4)), max_size=6, unique_by=lambda f: f[0]))
def test_generated_diffs_round_trip_to_exact_counts(files) -> None:  # type: ignore[no-untyped-def]
    patch, expected = b"", {}
    for name, old, new, context in files:
        text, added, removed = file_patch(name, old, new, context)
        if text:
            patch += text
            expected[name] = (added, removed)
    parsed = {change.path: (change.added, change.removed) for change in parse(io.BytesIO(patch))}
    assert parsed == expected
    # git's own output takes the shorter count; on a well-formed diff it must find the same.
    trusted = {change.path: (change.added, change.removed) for change in parse(io.BytesIO(patch), trusted=True)}
    assert trusted == expected


@settings(max_examples=60)
@given(st.lists(st.tuples(path, lines, lines), min_size=1, max_size=4, unique_by=lambda f: f[0]),
       st.integers(1, 64))
def test_counts_do_not_depend_on_how_the_stream_is_chunked(files, chunk) -> None:  # type: ignore[no-untyped-def]
    # A format-patch signature after the last hunk sends the parser down its line-by-line path.
    patch = b"".join(file_patch(name, old, new, 3)[0] for name, old, new in files)
    patch += b"-- \n2.39.5\n" if patch else b""

    class Trickle(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            return super().read(chunk)

    def seen(change):  # type: ignore[no-untyped-def]
        return change.path, change.old_path, change.new_mode, change.added, change.removed, change.body

    whole = [seen(c) for c in parse(io.BytesIO(patch))]
    trickled = [seen(c) for c in parse(Trickle(patch))]
    trusted = [seen(c) for c in parse(io.BytesIO(patch), trusted=True)]
    trusted_trickled = [seen(c) for c in parse(Trickle(patch), trusted=True)]
    assert whole == trickled == trusted == trusted_trickled
    assert all(mode == "100644" for _, _, mode, _, _, _ in whole)


@given(path, path, st.integers(0, 100))
def test_renames_and_binary_markers(old, new, similarity) -> None:  # type: ignore[no-untyped-def]
    patch = (f"diff --git a/{old} b/{new}\nsimilarity index {similarity}%\n"
             f"rename from {old}\nrename to {new}\n"
             f"diff --git a/{new}.bin b/{new}.bin\nnew file mode 100644\nindex 0000000..1234567\n"
             f"Binary files /dev/null and b/{new}.bin differ\n").encode("utf-8", "surrogateescape")
    renamed, binary = list(parse(io.BytesIO(patch)))
    assert (renamed.old_path, renamed.path, renamed.status, renamed.similarity) == (old, new, "renamed", similarity)
    assert binary.binary and binary.status == "added" and binary.changed == 0


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        for _ in parse(io.BytesIO(data)):
            pass
    except GuardError:
        pass


@settings(max_examples=200)
@given(st.lists(st.sampled_from([b"diff --git a/x b/x\n", b"--- a/x\n", b"+++ b/x\n",
                                 b"@@ -1,2 +1,2 @@\n", b"@@ -1 +1 @@ f\n", b"-a\n", b"+b\n",
                                 b" c\n", b"\\ No newline at end of file\n", b"\n",
                                 b"Binary files a/x and b/x differ\n", b"GIT binary patch\n",
                                 b"rename from x\n", b"new file mode 100644\n", b"\r\n"]),
                max_size=40))
def test_shuffled_diff_grammar_never_crashes(parts: list[bytes]) -> None:
    try:
        for _ in parse(io.BytesIO(b"".join(parts))):
            pass
    except GuardError:
        pass


def test_git_quoted_paths() -> None:
    assert unquote('"caf\\303\\251 \\"x\\"\\ttab\\\\"') == 'café "x"\ttab\\'
    assert unquote("plain name") == "plain name"
    assert unquote('"\\377"') == "\udcff"  # not UTF-8: kept as a surrogate escape


def test_the_diff_git_grammar_is_unidiffs() -> None:
    from unidiff.constants import RE_DIFF_GIT_HEADER

    from guard.parse import GIT_HEADER

    assert (GIT_HEADER.pattern, GIT_HEADER.flags) == (RE_DIFF_GIT_HEADER.pattern, RE_DIFF_GIT_HEADER.flags)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(path, lines, lines, st.integers(0, 4)), min_size=1, max_size=5,
                unique_by=lambda f: f[0]))
def test_counts_agree_with_unidiff(files) -> None:  # type: ignore[no-untyped-def]
    """unidiff's PatchSet, which holds a whole patch as objects, is the oracle for the counts."""
    from unidiff import PatchSet

    patch = b"".join(file_patch(name, old, new, context)[0] for name, old, new, context in files)
    ours = [(c.added, c.removed) for c in parse(io.BytesIO(patch))]
    theirs = [(f.added, f.removed) for f in PatchSet(io.BytesIO(patch), encoding="latin-1")]
    assert ours == theirs

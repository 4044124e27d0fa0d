"""The rule gates' shared literal scan: the automaton (large changes, in batches on a thread)
must give the same answers as `in` per literal (small changes)."""
from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

import guard.rules as rules
from guard.parse import parse
from guard.rules import gates
from guard.rules.gates import _LITERALS, present_by_automaton, present_directly, scan_ahead

rules.all_rules()  # every rule module imported: every gate's literals registered
LITERALS = sorted(_LITERALS)

piece = st.one_of(st.sampled_from(LITERALS), st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")))
line = st.tuples(st.sampled_from(b"+- @\\"), st.lists(piece, max_size=4)).map(
    lambda kind_pieces: bytes([kind_pieces[0]]) + b"".join(kind_pieces[1]) + b"\n")
body = st.lists(line, max_size=40).map(b"".join)


@settings(max_examples=300)
@given(body)
def test_automaton_and_direct_search_agree(text: bytes) -> None:
    assert present_by_automaton([text]) == [present_directly(text)]


@settings(max_examples=100)
@given(st.lists(body, min_size=1, max_size=8))
def test_one_scan_over_many_texts_places_each_match_in_its_own(texts: list[bytes]) -> None:
    assert present_by_automaton(texts) == [present_directly(text) for text in texts]


def test_literals_only_in_removed_or_context_lines_do_not_open_added_gates() -> None:
    from guard.rules.secrets import _BODY_GATE

    text = b"@@ -1,2 +1,2 @@\n-token = 'ghp_x'\n context AKIA\n+plain\n" * 2000
    [found] = present_by_automaton([text])
    assert found.anywhere and not found.added
    assert _BODY_GATE.in_body(text) and not _BODY_GATE.in_added(text)


def test_a_large_change_scanned_ahead_answers_every_file_as_a_direct_scan_would() -> None:
    """Three and a half megabytes over 800 files, a secret planted in every seventh: most
    batches go through the thread, and each file's gates answer as if scanned alone."""
    patch = io.BytesIO()
    for number in range(800):
        line = b"+key = 'AKIAZQ2RPX7KT4MVN3WB'\n" if number % 7 == 0 else b"+plain = 1\n"
        removed = b"-old = 'ghp_" + b"e" * 36 + b"'\n" if number % 5 == 0 else b""
        patch.write(b"diff --git a/f%d.py b/f%d.py\n--- a/f%d.py\n+++ b/f%d.py\n" % ((number,) * 4))
        patch.write(b"@@ -1,%d +1,%d @@\n" % (100 + bool(removed), 101) + b" a context line, long enough to make the diff large\n" * 50 + removed
                    + line + b" more context\n" * 50)
    patch.seek(0)
    gates._scanned[0] = 0
    seen = ahead = 0
    for change in scan_ahead(parse(patch)):
        ahead += id(change.body) in gates._ahead
        assert gates._present(change.body) == present_directly(change.body), change.path
        seen += 1
    assert seen == 800 and ahead > 400 and not gates._ahead

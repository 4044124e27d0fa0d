"""The rule gates' shared literal scan: the automaton (past the first 64 KB of a change) must
give the same answers as `in` per literal (small changes)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guard import rules
from guard.rules.gates import _LITERALS, present_by_automaton, present_directly

rules.all_rules()  # every rule module imported: every gate's literals registered
LITERALS = sorted(_LITERALS)

piece = st.one_of(st.sampled_from(LITERALS), st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")))
line = st.tuples(st.sampled_from(b"+- @\\"), st.lists(piece, max_size=4)).map(
    lambda kind_pieces: bytes([kind_pieces[0]]) + b"".join(kind_pieces[1]) + b"\n")
body = st.lists(line, max_size=40).map(b"".join)


@settings(max_examples=300)
@given(body)
def test_automaton_and_direct_search_agree(text: bytes) -> None:
    assert present_by_automaton(text) == present_directly(text)


def test_literals_only_in_removed_or_context_lines_do_not_open_added_gates() -> None:
    from guard.rules.secrets import _BODY_GATE

    text = b"@@ -1,2 +1,2 @@\n-token = 'ghp_x'\n context AKIA\n+plain\n" * 2000
    found = present_by_automaton(text)
    assert found.anywhere and not found.added
    assert _BODY_GATE.in_body(text) and not _BODY_GATE.in_added(text)



def test_without_the_automaton_library_the_scan_falls_back_to_in(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An environment installed before guard needed ahocorasick-rs must still be judged."""
    import sys

    from guard.rules import gates

    text = b"@@ -1 +1 @@\n-x\n+key = 'AKIAZQ2RPX7KT4MVN3WB'\n" * 3000
    monkeypatch.setitem(sys.modules, "ahocorasick_rs", None)  # `import` raises ImportError
    gates._automaton.cache_clear()
    try:
        assert gates._automaton(len(_LITERALS)) is None
        assert present_by_automaton(text) == present_directly(text) != gates.NOTHING
    finally:
        gates._automaton.cache_clear()

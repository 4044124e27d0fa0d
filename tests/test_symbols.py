"""Which definitions a file's hunks touch: the names a summary gives a change."""
from __future__ import annotations

from guard.symbols import symbols_in


def test_a_change_inside_a_function_named_by_the_hunk_header() -> None:
    body = (b"@@ -10,4 +10,4 @@ def retry_with_backoff(call, attempts=3):\n"
            b"     for attempt in range(attempts):\n"
            b"-        delay = 2 ** attempt\n"
            b"+        delay = min(2 ** attempt, 30)\n"
            b"         time.sleep(delay)\n")
    assert symbols_in(body) == ("retry_with_backoff",)


def test_changed_definitions_and_the_ones_enclosing_a_change() -> None:
    body = (b"@@ -1,9 +1,9 @@\n"
            b" class Client:\n"
            b"     def get(self):\n"
            b"         return 1\n"
            b"     def post(self):\n"
            b"-        return 2\n"
            b"+        return 3\n"
            b"-def old_name():\n"
            b"+def new_name():\n"
            b"     pass\n")
    # `get` holds no change; Client's scope ends where the next definition starts.
    assert symbols_in(body) == ("post", "old_name", "new_name")


def test_a_new_hunk_ends_what_encloses_a_change() -> None:
    body = (b"@@ -1,2 +1,2 @@\n"
            b" def first():\n"
            b"     return 1\n"
            b"@@ -40,2 +40,2 @@\n"
            b"-x = 1\n"
            b"+x = 2\n")
    assert symbols_in(body) == ()


def test_other_languages() -> None:
    body = (b"@@ -1,12 +1,12 @@\n"
            b"+export const fetchUser = async (id) => {\n"
            b"+func (s *Server) Handle(w http.ResponseWriter) {\n"
            b"+pub fn parse_config(text: &str) -> Config {\n"
            b"+    public static int countItems(List<Item> items) {\n"
            b"+interface Shape {\n"
            b"+defmodule Guard.Rules do\n"
            b"+  defp helper(x) do\n"
            b"+  value = compute()\n")
    assert symbols_in(body) == ("fetchUser", "Handle", "parse_config", "countItems", "Shape", "Guard.Rules", "helper")


def test_a_section_that_does_not_start_with_a_definition_names_nothing() -> None:
    body = (b"@@ -3,2 +3,2 @@ some text @@ def hidden():\n"
            b"-a = 1\n"
            b"+a = 2\n")
    assert symbols_in(body) == ()


def test_repeated_lines_keep_their_names_and_only_the_first_64_kb_is_read() -> None:
    hunk = b"@@ -1,2 +1,2 @@ def same():\n-a = 1\n+a = 2\n"
    assert symbols_in(hunk) == symbols_in(hunk) == ("same",)
    late = b" x = 0\n" * 20_000 + b"+def too_late():\n"
    assert symbols_in(late) == ()
    assert symbols_in(b"") == ()


def test_what_is_kept_of_long_lines_stays_small() -> None:
    from guard import symbols

    for n in range(50):
        symbols_in(b"@@ -1 +1 @@\n+var x%d = [%s];\n" % (n, b"1," * 30_000))
    assert all(len(line) <= 256 for line in symbols._named)

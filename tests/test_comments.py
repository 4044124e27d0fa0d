"""Code without its comments (guard.rules.comments): what is blanked and what is kept, by file
type. A mistake that blanks code hides a real wipe from data-deleted, so the kept cases matter
as much as the blanked ones."""
from __future__ import annotations

import time

import pytest

from guard.rules.comments import code_lines, syntax_of


def code(path: str, text: str, first: int = 1) -> list[str]:
    syntax = syntax_of(path)
    assert syntax is not None, path
    return [kept.rstrip() for _, kept in code_lines(syntax, enumerate(text.splitlines(), first))]


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("a.py", "# TRUNCATE t\nx = 1  # TRUNCATE t", ["", "x = 1"]),
    ("a.py", 'run("TRUNCATE t  # now")  # why', ['run("TRUNCATE t  # now")']),
    ("a.py", "run('it\\'s # not')  # gone", ["run('it\\'s # not')"]),
    ("a.py", "x = \"it's\"  # gone", ['x = "it\'s"']),
    ("a.sh", 'echo "${#items[@]}" $# x#y # gone', ['echo "${#items[@]}" $# x#y']),
    ("a.sh", "curl https://example.com/#top  # gone", ["curl https://example.com/#top"]),
    ("a.yml", "run: psql -c 'TRUNCATE t'  # nightly\n# run: DROP TABLE t", ["run: psql -c 'TRUNCATE t'", ""]),
    ("x/Dockerfile", "# DROP TABLE t\nRUN make", ["", "RUN make"]),
    ("a.js", 'q("DELETE FROM t") // all\nconst u = "http://x" // gone', ['q("DELETE FROM t")', 'const u = "http://x"']),
    ("a.js", "q(`\n  DELETE FROM t // kept: in the string\n`)",
     ["q(`", "  DELETE FROM t // kept: in the string", "`)"]),
    ("a.go", "/* TRUNCATE t */ db.Exec(`TRUNCATE logs`)", ["  db.Exec(`TRUNCATE logs`)"]),
    ("a.go", "/*\n * TRUNCATE t\n */\nf()", ["", "", "", "f()"]),
    ("a.java", " * TRUNCATE t: a block comment opened above the hunk\n */\nf();", ["", "", "f();"]),
    ("a.php", "# DB::statement('TRUNCATE t')\n// also\n$db->exec('TRUNCATE t');", ["", "", "$db->exec('TRUNCATE t');"]),
    # A stray quote keeps the rest of its own line, and no more.
    ("a.rs", "fn f<'a>() {} // TRUNCATE t\n// TRUNCATE u", ["fn f<'a>() {} // TRUNCATE t", ""]),
])
def test_comments_are_blanked_and_strings_kept(path: str, text: str, expected: list[str]) -> None:
    assert code(path, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('"""Module: TRUNCATE t."""\nimport os', ["", "import os"]),
    ('def f():\n    """User.delete_all.\n\n    TRUNCATE t\n    """\n    g()', ["def f():", "", "", "", "", "    g()"]),
    ('def f(\n    a: int,\n) -> None:\n    r"""TRUNCATE t"""', ["def f(", "    a: int,", ") -> None:", ""]),
    ('class C:\n    # why\n    """TRUNCATE t"""', ["class C:", "", ""]),
    # A triple-quoted string that is an argument, a value or an entry is code.
    ('run(\n    """\n    DELETE FROM t\n    """\n)', ["run(", '    """', "    DELETE FROM t", '    """', ")"]),
    ('q = """\nDELETE FROM t  # kept: in the string\n"""', ['q = """', "DELETE FROM t  # kept: in the string", '"""']),
    ('Q = {\n    "purge":\n        """DELETE FROM t""",\n}',
     ["Q = {", '    "purge":', '        """DELETE FROM t""",', "}"]),
])
def test_python_docstrings_are_blanked_other_strings_kept(text: str, expected: list[str]) -> None:
    assert code("a.py", text) == expected


def test_what_was_open_before_a_gap_between_hunks_is_forgotten() -> None:
    syntax = syntax_of("a.py")
    assert syntax is not None
    lines = [(10, "def f():"), (11, '    """Starts a docstring'), (40, '    run("TRUNCATE t")  # x')]
    assert code_lines(syntax, lines)[-1] == (40, '    run("TRUNCATE t")  ')
    # Not at the top of the file: a triple-quoted string first in a hunk may be an argument.
    assert code("a.py", '"""\nDELETE FROM t\n"""', first=7) == ['"""', "DELETE FROM t", '"""']


def test_unknown_and_sql_files_have_no_syntax_here() -> None:
    """SQL scripts are read by sql.statements; an unknown file is read whole."""
    assert [syntax_of(p) for p in ("a.sql", "notes", "a.txt", ".bashrc")] == [None] * 4


def test_a_long_line_costs_one_scan() -> None:
    syntax = syntax_of("a.py")
    assert syntax is not None
    for text in ("'" * 1_000_000, '"\\"' * 300_000 + '" # x', "x # " * 300_000):
        start = time.perf_counter()
        code_lines(syntax, [(1, text)])
        assert time.perf_counter() - start < 2.0  # ~0.2 s measured; quadratic would be minutes

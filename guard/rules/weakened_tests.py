"""Weakened tests: new skip/xfail/only markers, deleted tests and assertions, lowered coverage
thresholds. A green build that checks less is the easiest way to ship a bug unnoticed."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from guard.hunks import joined, new_lines, normalized
from guard.model import FileChange, Level, Line, Question, Status
from guard.paths import is_test
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.gates import Gate
from guard.rules.patterns import Lazy, lazy


def _rule(id: str, summary: str, what: str, example: str, options: str) -> Rule:
    doc = rule_doc(what, "Tests are the safety net that lets a change ship without a human "
                   "reading every line. A change that quietly skips, deletes or loosens them makes "
                   "the build green by checking less, which is exactly what a human would want to "
                   "know.", example, options)
    return Rule(id, "tests", Question.CARE, Level.ASK, summary, doc)


TEST_SKIPPED = _rule(
    "test-skipped", "a test is skipped, marked to fail, or focused with .only",
    "Asks when added lines skip or disable tests: pytest `@pytest.mark.skip/skipif/xfail`, "
    "`pytest.skip()`, unittest `@skip*`/`expectedFailure`/`skipTest`, Jest/Mocha/Vitest "
    "`it.skip`, `describe.skip`, `xit`, `xdescribe` and `.only`/`fit` (which skips every other "
    "test), JUnit `@Disabled`/`@Ignore`, Go `t.Skip`, RSpec `xit`/`skip`/`pending`, Rust "
    "`#[ignore]`, .NET `[Ignore]` and `Skip = \"...\"`, PHPUnit `markTestSkipped`, ExUnit "
    "`@tag :skip`; and pytest told to leave tests out: `--ignore`/`--deselect` and `-k \"not ...\"` "
    "(addopts, tox.ini), a conftest's `collect_ignore`. A marker that only moved (removed and "
    "re-added) is not reported.",
    "`@pytest.mark.skip(reason=\"flaky\")` above `test_retry_gives_up` → `skips a test "
    "(@pytest.mark.skip)`.",
    "`rules.test-skipped = \"report\"`; or per path with `[[overrides]]`, e.g. for an "
    "experimental suite.")
TEST_DELETED = _rule(
    "test-deleted", "test functions or assertions are removed",
    "In a test file that is edited (not deleted: that is `file-deleted`), asks when test "
    "functions (`def test_*`, `it(...)`, `func TestX`, `@Test`, `#[test]`, `[Fact]`) are removed "
    "and not re-added under the same name, or when more assertion lines are removed than added "
    "(an edited assertion counts once each way, so rewording one is fine). An assertion that "
    "cannot fail (`assert True`, `assert x == x`, `expect(1).toBe(1)`, `toBeDefined()`) does "
    "not count as one.",
    "Removing `assert response.status == 200` from `tests/test_api.py` → `removes 1 assertion "
    "(was: assert response.status == 200)`.",
    "`rules.test-deleted = \"report\"`.")
COVERAGE_LOWERED = _rule(
    "coverage-lowered", "a coverage threshold is lowered or removed",
    "Asks when a coverage gate goes down or away: coverage.py `fail_under`, pytest-cov "
    "`--cov-fail-under`, Jest/Vitest `coverageThreshold`/`thresholds` "
    "(`lines`/`branches`/`functions`/`statements`), nyc, SimpleCov `minimum_coverage`, "
    "tarpaulin `fail-under`, JaCoCo `<minimum>`, codecov `target`.",
    "`fail_under = 90` → `fail_under = 75` in `pyproject.toml` → `lowers the coverage threshold "
    "fail_under from 90 to 75`.",
    "`rules.coverage-lowered = \"report\"`.")
RULES = (TEST_SKIPPED, TEST_DELETED, COVERAGE_LOWERED)

# (marker shown, pattern, needs a test file). Patterns match one added line.
# Matched line by line over all added lines at once (re.M), so `\s` must not cross a newline.
# (marker shown, pattern, needs a test file, substrings one of which a match contains: the
# pattern runs only when one is present, since a leading \b or ^ makes `re` try every position).
_SKIPS: tuple[tuple[str, Lazy, bool, tuple[str, ...]], ...] = tuple(
    (shown, lazy(rx.replace(r"\s", r"[ \t]").replace("[^)]", "[^)\n]"), re.M), test_only, needles)
    for shown, rx, test_only, needles in (
    ("@pytest.mark.{0}", r"@pytest\.mark\.(skip|skipif|xfail)\b", False, ("@pytest.mark.",)),
    ("pytestmark {0}", r"^\s*pytestmark\s*=.*\bmark\.(skip|skipif|xfail)\b", False, ("pytestmark",)),
    ("pytest.{0}()", r"\bpytest\.(skip|xfail)\s*\(", True, ("pytest.skip", "pytest.xfail")),
    ("@{0}", r"^\s*@(?:unittest\.)?(skip|skipIf|skipUnless|expectedFailure)\b", True, ("@skip", "@unittest.", "@expected")),
    ("{0}()", r"\b(?:self\.)(skipTest)\s*\(|\braise\s+(?:unittest\.)?(SkipTest)\b", True, ("skipTest", "SkipTest")),
    ("{0}", r"\b((?:it|test|describe|context|suite|specify)(?:\.concurrent)?\.(?:skip|only))\s*\(", True,
     (".skip", ".only")),
    ("{0}", r"^\s*(xit|xtest|xdescribe|xcontext|xspecify|xexample|xscenario|fit|fdescribe|fcontext)\b", True,
     ("xit", "xtest", "xdescribe", "xcontext", "xspecify", "xexample", "xscenario", "fit", "fdescribe", "fcontext")),
    ("@{0}", r"^\s*@(Disabled\w*|Ignore)\b", True, ("@Disabled", "@Ignore")),
    ("t.{0}", r"\b[tb]\.(Skip(?:f|Now)?)\s*\(", True, (".Skip",)),
    ("{0}", r"^\s*(skip|pending)(?:\s*\(|\s+['\"]|\s*$)", True, ("skip", "pending")),
    ("{0}", r"\b(skip:\s*true|:skip\s*=>\s*true)", True, ("skip",)),
    ("#[{0}]", r"#\[(ignore)\b", False, ("#[ignore",)),
    ("[{0}]", r"\[(Ignore)\b", True, ("[Ignore",)),
    ("{0} = \"...\"", r"\[(?:Fact|Theory|Test\w*)\s*\([^)]{0,200}\b(Skip)\s*=", True, ("Skip",)),
    ("{0}()", r"\b(markTestSkipped|markTestIncomplete)\s*\(", True, ("markTest",)),
    ("@{0}", r"@(?:module)?tag\s+:?(skip)\b", True, ("tag",)),
    # pytest told to leave tests out (addopts, tox.ini, a conftest's collect_ignore).
    ("{0}", r"(--(?:ignore|ignore-glob|deselect)[= ]\S+)", False, ("--ignore", "--deselect")),
    ("{0}", r"(-k\s+['\"]?not\b[^'\"\n]{0,100})", False, ("-k",)),
    ("{0}", r"\b(collect_ignore(?:_glob)?)\s*\+?=", False, ("collect_ignore",)),
))
_FOCUS = lazy(r"\.only\b|^\s*f(?:it|describe|context)\b")

# (kind, pattern with a `name` group) for test definitions on removed lines.
_TEST_DEFS = tuple(lazy(rx) for rx in (
    r"^\s*(?:async\s+)?def\s+(?P<name>test\w*)\s*\(",
    r"^\s*[xf]?(?:it|test|specify|scenario)(?:\.\w+){0,2}\s*\(?\s*(?P<q>['\"`])(?P<name>[^'\"`]{1,200})(?P=q)",
    r"^func\s+(?P<name>Test\w+)\s*\(",
    r"^\s*(?:pub\s+)?(?:async\s+)?fn\s+(?P<name>test_\w+)\s*\(",
    r"^\s*(?:public\s+)?(?:async\s+)?(?:void|Task)\s+(?P<name>test\w*|\w+_should_\w+|should\w+)\s*\(",
))
# An assertion that cannot fail checks nothing: put in a real one's place, it weakens the test.
_TRIVIAL = lazy(
    r"^\s*assert\s+(?:True|1)\s*(?:#.*)?$|^\s*assert\s+(?P<same>[\w.'\"]+)\s*==\s*(?P=same)\s*(?:#.*)?$"
    r"|\bexpect\(\s*(?P<value>[\w.'\"]+)\s*\)\.(?:toBe|toEqual)\(\s*(?P=value)\s*\)"
    r"|\bassertTrue\(\s*True\s*\)|\bexpect\([^()]*\)\.toBeDefined\(\s*\)")
_ASSERTION = lazy(
    r"^\s*assert\b|\bself\.assert\w*\s*\(|\bassert\w*!?\s*\(|\bexpect\s*\(|\.should\b|\bt\.(?:Error|Fatal|Fail)\w*\s*\("
    r"|\b(?:require|assert)\.\w+\s*\(|\bAssert\.\w+\s*\(|\bverify\s*\(|\bassertThat\s*\(")

_COVERAGE = tuple(lazy(rx) for rx in (
    r"(?<![-\w])(?P<key>fail_under|fail-under|minimum_coverage|minimum_coverage_by_file)\b['\"]?\s*[=:]?\s*(?P<value>\d+(?:\.\d+)?)",
    r"(?P<key>--cov-fail-under|--fail-under)[= ](?P<value>\d+(?:\.\d+)?)",
    r"<(?P<key>minimum)>\s*(?P<value>\d+(?:\.\d+)?)",
))
_COVERAGE_JS = lazy(r"^\s*['\"]?(?P<key>branches|functions|lines|statements)['\"]?\s*:\s*(?P<value>-?\d+(?:\.\d+)?)")
_COVERAGE_JS_FILES = lazy(r"^(?:jest|vitest|vite|karma)\.config\.[cm]?[jt]s$|^package\.json$|^\.nycrc(?:\.json|\.ya?ml)?$")
_CODECOV = lazy(r"^\s*(?P<key>target|threshold):\s*(?P<value>\d+(?:\.\d+)?)%?")


def _rustlike(path: str) -> bool:
    return path.endswith(".rs")


# Test files can hold any marker; elsewhere only the ones that are not test_only apply.
_SKIP_GATE = Gate((b"skip", b"xfail", b"xit", b"xtest", b"xdescribe", b"xcontext", b"xspecify",
                   b"xexample", b"xscenario", b"only", b"fit", b"fdescribe", b"fcontext", b"disabled",
                   b"ignore", b"pending", b"expectedfailure"), ignore_case=True)
_SKIP_GATE_ANY_FILE = Gate((b"pytest", b"#[ignore", b"--ignore", b"--deselect", b"-k ", b"collect_ignore"))
_COVERAGE_GATE = Gate((b"fail_under", b"fail-under", b"minimum"))


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.status is Status.DELETED or change.binary:
        return
    test = is_test(change.path)
    skips = (_SKIP_GATE if test or _rustlike(change.path) else _SKIP_GATE_ANY_FILE).in_added(change.body)
    coverage = _COVERAGE_GATE.in_body(change.body) or bool(_coverage_extra(change.path))
    if not (test or skips or coverage):
        return  # the common case: nothing to read, nothing decoded
    added = change.added_lines()
    removed = change.removed_lines()
    if skips:
        yield from _skips(change, added, removed, test or _rustlike(change.path))
    if test:
        yield from _deleted(change, added, removed)
    if coverage:
        yield from _coverage(change, added, removed)


def _skips(change: FileChange, added: list[Line], removed: list[Line], testish: bool) -> Iterator[Hit]:
    all_added = joined(added)
    text = all_added.text
    found: dict[int, tuple[str, re.Match[str]]] = {}  # added-line index -> first marker on it
    for shown, rx, test_only, needles in _SKIPS:
        if (test_only and not testish) or not any(needle in text for needle in needles):
            continue
        for match in rx.finditer(text):
            found.setdefault(all_added.line_at(match.start()), (shown, match))
    for index in new_lines(added, removed, found):
        line = added[index]
        shown, match = found[index]
        marker = shown.format(next((g for g in match.groups() if g), ""))
        if _FOCUS.search(match.group()):
            message = f"focuses the suite with {marker}: every other test stops running"
        else:
            message = f"skips a test ({marker})"
        yield Hit(TEST_SKIPPED, change.path, line.number, message)


def _deleted(change: FileChange, added: list[Line], removed: list[Line]) -> Iterator[Hit]:
    def names(lines: list[Line]) -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        for line in lines:
            for rx in _TEST_DEFS:
                if match := rx.search(line.text):
                    found.setdefault(match["name"], line.place)
                    break
        return found

    now, before = names(added), names(removed)
    lost = {name: number for name, number in before.items() if name not in now}
    fresh = [name for name in now if name not in before]
    if lost and not fresh:
        for name, number in lost.items():
            yield Hit(TEST_DELETED, change.path, number, f"removes the test {name}")
    elif len(lost) > len(fresh):  # some were renamed, more were removed
        yield Hit(TEST_DELETED, change.path, next(iter(lost.values())),
                  f"removes {len(lost)} tests ({', '.join(lost)}) and adds {len(fresh)} ({', '.join(fresh)})")
    removed_asserts = [line for line in removed if _ASSERTION.search(line.text)]
    if not removed_asserts:
        return  # nothing was taken away (and a hook run need not compile _TRIVIAL)
    added_asserts = Counter(normalized(line.text) for line in added
                            if _ASSERTION.search(line.text) and not _TRIVIAL.search(line.text))
    dropped: list[Line] = []
    for line in removed_asserts:
        if _TRIVIAL.search(line.text):
            continue
        key = normalized(line.text)
        if added_asserts[key]:
            added_asserts[key] -= 1
        else:
            dropped.append(line)
    # The assertions of a test removed whole are said with it ("removes the test ..."), not again.
    gone = {line.number for line in removed}
    within: set[int] = set()
    for line in removed:
        if any((m := rx.search(line.text)) and m["name"] in lost for rx in _TEST_DEFS):
            number = line.number + 1
            while number in gone:
                within.add(number)
                number += 1
    dropped = [line for line in dropped if line.number not in within]
    net = len(dropped) - sum(added_asserts.values())
    if net > 0:
        example = normalized(dropped[0].text)
        example = example if len(example) <= 80 else example[:77] + "..."
        plural = "assertion" if net == 1 else "assertions"
        yield Hit(TEST_DELETED, change.path, dropped[0].place, f"removes {net} {plural} (was: {example})")


def _coverage_extra(path: str) -> list[Lazy]:
    name = path.rpartition("/")[2]
    if _COVERAGE_JS_FILES.match(name):
        return [_COVERAGE_JS]
    if name in ("codecov.yml", ".codecov.yml", "codecov.yaml"):
        return [_CODECOV]
    return []


def _thresholds(change: FileChange, lines: list[Line]) -> dict[str, tuple[float, int | None]]:
    patterns = [*_COVERAGE, *_coverage_extra(change.path)]
    found: dict[str, tuple[float, int | None]] = {}
    for line in lines:
        for rx in patterns:
            if match := rx.search(line.text):
                found.setdefault(match["key"], (float(match["value"]), line.place))
    return found


def _coverage(change: FileChange, added: list[Line], removed: list[Line]) -> Iterator[Hit]:
    before = _thresholds(change, removed)
    if not before:
        return
    after = _thresholds(change, added)
    for key, (old, number) in before.items():
        new = after.get(key)
        if new is None:
            yield Hit(COVERAGE_LOWERED, change.path, number, f"removes the coverage threshold {key} (was {old:g})")
        elif _lower(new[0], old):
            yield Hit(COVERAGE_LOWERED, change.path, new[1],
                      f"lowers the coverage threshold {key} from {old:g} to {new[0]:g}")


def _lower(new: float, old: float) -> bool:
    # Jest reads a negative threshold as "at most N uncovered": closer to zero is stricter, so
    # `new < old` holds for both signs; a change of sign changes the meaning and is not compared.
    return (new < 0) == (old < 0) and new < old

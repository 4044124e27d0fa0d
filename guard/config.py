"""Configuration: `[tool.guard]` in pyproject.toml or the top level of `.guard.toml`, validated."""

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from guard.errors import GuardError
from guard.globs import matches, specificity
from guard.model import Level

CONFIG_FILES = (".guard.toml", "pyproject.toml")
LEVELS = tuple(str(level) for level in Level)


class Limits(NamedTuple):
    lines: int
    files: int
    areas: int


class Override(NamedTuple):
    paths: tuple[str, ...]
    level: Level | None
    rules: Mapping[str, Level]


class Config(NamedTuple):
    source: str = "defaults"
    applies_to: str = "ai"
    ship: Limits = Limits(lines=50, files=3, areas=1)
    report: Limits = Limits(lines=200, files=10, areas=3)
    components: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    rules: Mapping[str, Level] = MappingProxyType({})
    overrides: tuple[Override, ...] = ()
    approval_label: str = "guard:approved"
    ai_signals: tuple[str, ...] = ()
    humans: tuple[str, ...] = ()
    me: tuple[str, ...] = ()  # [ownership] me: the author's CODEOWNERS handles, teams, e-mails

    def level_for(self, rule: str, path: str, default: Level) -> Level:
        """The level a rule's finding on `path` gets: the most specific matching override,
        then `[rules]`, then the rule's default."""
        best: tuple[tuple[int, int], Level] | None = None
        for override in self.overrides:
            level = override.rules.get(rule, override.level)
            if level is None:
                continue
            includes = [p for p in override.paths if not p.startswith("!")]
            if any(matches(path, p[1:]) for p in override.paths if p.startswith("!")):
                continue
            for pattern in includes:
                if matches(path, pattern) and (best is None or specificity(pattern) >= best[0]):
                    best = (specificity(pattern), level)
        if best is not None:
            return best[1]
        return self.rules.get(rule, default)


def _suggest(key: str, valid: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(valid), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Reader:
    """Validates one table, naming the file and the dotted key in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> GuardError:
        return GuardError(f"{self.source}: {key}: {problem}", "fix the value or remove the key")

    def table(self, data: Any, key: str, valid: Iterable[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, f"expected a table, got {type(data).__name__}")
        valid = tuple(valid)
        for name in data:
            if name not in valid:
                where = f"{key}.{name}" if key else name
                raise GuardError(
                    f'{self.source}: unknown key "{where}"{_suggest(name, valid)}',
                    "see `guard init` or the README for the valid keys",
                )
        return data

    def integer(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f"expected a whole number >= 0, got {value!r}")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def string(self, value: Any, key: str, choices: tuple[str, ...] = ()) -> str:
        if isinstance(value, str) and choices and value not in choices:  # a string, not one of them
            raise self.fail(key, f"expected one of {', '.join(choices)}, got {value!r}")
        if not isinstance(value, str):
            allowed = f" (one of {', '.join(choices)})" if choices else ""
            raise self.fail(key, f"expected a string{allowed}, got {value!r}")
        return value

    def label(self, value: Any, key: str) -> str:
        """A pull-request label's name: an empty one could never be added, so nothing could approve."""
        text = self.string(value, key).strip()
        if not text:
            raise self.fail(key, "expected a label's name, got an empty string")
        return text

    def level(self, value: Any, key: str) -> Level:
        return Level(self.string(value, key, LEVELS))

    def rule_levels(self, value: Any, key: str, known: frozenset[str]) -> dict[str, Level]:
        data = self.table(value, key, known)
        return {rule: self.level(level, f"{key}.{rule}") for rule, level in data.items()}


def parse_config(data: Mapping[str, Any], source: str, known_rules: frozenset[str]) -> Config:
    reader = _Reader(source)
    reader.table(data, "", _KEYS)
    values: dict[str, Any] = {"source": source}
    for key, value in data.items():
        values.update(_KEYS[key](reader, value, known_rules))
    return Config(**values)


def _limits(name: str) -> Callable[[_Reader, Any, frozenset[str]], dict[str, Any]]:
    def read(reader: _Reader, value: Any, known: frozenset[str]) -> dict[str, Any]:
        base = Config._field_defaults[name]
        table = reader.table(value, f"thresholds.{name}", ("lines", "files", "areas"))
        return {name: Limits(**{
            field: reader.integer(table.get(field, getattr(base, field)), f"thresholds.{name}.{field}")
            for field in ("lines", "files", "areas")
        })}
    return read


def _thresholds(reader: _Reader, value: Any, known: frozenset[str]) -> dict[str, Any]:
    table = reader.table(value, "thresholds", ("ship", "report"))
    out: dict[str, Any] = {}
    for name, sub in table.items():
        out.update(_limits(name)(reader, sub, known))
    ship = out.get("ship", Config._field_defaults["ship"])
    report = out.get("report", Config._field_defaults["report"])
    for field in ("lines", "files", "areas"):
        if getattr(ship, field) > getattr(report, field):
            raise reader.fail(f"thresholds.ship.{field}", "must not be larger than thresholds.report")
    return out


def _overrides(reader: _Reader, value: Any, known: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, list):
        raise reader.fail("overrides", "expected an array of tables ([[overrides]])")
    out = []
    for index, item in enumerate(value):
        key = f"overrides[{index}]"
        table = reader.table(item, key, ("paths", "level", "rules"))
        if "paths" not in table:
            raise reader.fail(key, "needs `paths`")
        out.append(Override(
            paths=reader.strings(table["paths"], f"{key}.paths"),
            level=reader.level(table["level"], f"{key}.level") if "level" in table else None,
            rules=reader.rule_levels(table.get("rules", {}), f"{key}.rules", known),
        ))
    return {"overrides": tuple(out)}


def _ai(reader: _Reader, value: Any, known: frozenset[str]) -> dict[str, Any]:
    from guard.authorship import SIGNAL_KINDS, parse_signal

    table = reader.table(value, "ai", ("signals", "humans"))
    signals = reader.strings(table.get("signals", []), "ai.signals")
    for pattern in signals:
        if parse_signal(pattern) is None:
            raise GuardError(f"{reader.source}: ai.signals: {pattern!r} is not KIND:VALUE",
                             f"KIND is one of {', '.join(SIGNAL_KINDS)}, e.g. \"env:MY_AGENT\"")
    return {
        "ai_signals": signals,
        "humans": reader.strings(table.get("humans", []), "ai.humans"),
    }


def _ownership(reader: _Reader, value: Any, known: frozenset[str]) -> dict[str, Any]:
    table = reader.table(value, "ownership", ("me",))
    return {"me": reader.strings(table.get("me", []), "ownership.me")}


def _list(name: str, attr: str) -> Callable[[_Reader, Any, frozenset[str]], dict[str, Any]]:
    return lambda reader, value, known: {attr: reader.strings(value, name)}


_KEYS: dict[str, Callable[[_Reader, Any, frozenset[str]], dict[str, Any]]] = {
    "applies-to": lambda r, v, k: {"applies_to": r.string(v, "applies-to", ("ai", "all"))},
    "thresholds": _thresholds,
    "components": _list("components", "components"),
    "generated": _list("generated", "generated"),
    "sensitive": _list("sensitive", "sensitive"),
    "scope": _list("scope", "scope"),
    "rules": lambda r, v, k: {"rules": r.rule_levels(v, "rules", k)},
    "overrides": _overrides,
    "approval-label": lambda r, v, k: {"approval_label": r.label(v, "approval-label")},
    "ai": _ai,
    "ownership": _ownership,
}


def load_text(text: str, name: str, known_rules: frozenset[str], pyproject: bool = False) -> Config:
    """Parse a config file's text; in a pyproject.toml only `[tool.guard]` is guard's."""
    if (pyproject or name.endswith("pyproject.toml")) and "guard" not in text:
        # Most pyproject.toml files say nothing to guard: skip parsing them (and the import).
        return Config(source=f"{name} (no [tool.guard]: defaults)")
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuardError(f"{name}: not valid TOML ({error})", "fix the syntax") from None
    if pyproject or name.endswith("pyproject.toml"):
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "guard" not in tool:
            return Config(source=f"{name} (no [tool.guard]: defaults)")
        return parse_config(tool["guard"], f"{name} [tool.guard]", known_rules)
    return parse_config(data, name, known_rules)

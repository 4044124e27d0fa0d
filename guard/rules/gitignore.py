"""A .gitignore that stops ignoring files that hold secrets: a removed `.env` or `*.pem` line, or
an added `!.env.production`. The change publishes nothing by itself; the next `git add .` does,
and agents run it as a matter of course. Which files hold secrets is secrets.secret_file's call.
"""
import re
from collections.abc import Callable, Iterator

from guard.globs import compile_glob
from guard.model import FileChange, Level, Line, Question, Status
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.patterns import lazy
from guard.rules.secrets import secret_file

SECRET_UNIGNORED = Rule(
    "secret-unignored", "secret", Question.REVERSIBLE, Level.REPORT,
    "a .gitignore stops ignoring files that hold secrets (.env, keys, credentials)",
    rule_doc(
        "Reports when a `.gitignore` (at any depth) loses a pattern that kept files holding secrets "
        "out of git, or gains a `!` negation that includes them again: `.env` files (not templates "
        "such as `.env.example`), private keys (`*.pem`, `*.key`, `id_rsa*`, `*.p12`), credential "
        "files (`credentials.json`, `.npmrc`, `.pypirc`, `.netrc`, `config/master.key`...), "
        "`secrets.*`, Terraform `*.tfvars` and state. A removed pattern that an added or unchanged "
        "line of the same hunk still covers (`.env` replaced by `.env*` or `*.env`) is not a loss, "
        "one narrowed is (`.env*` replaced by `.env` no longer ignores `.env.local`); a comment "
        "(`# .env`) is not a pattern. Each pattern is one finding, on its line.",
        "The change itself publishes nothing, but the next `git add .` (which coding agents run "
        "routinely) stages the secret file sitting in the work tree, and once pushed a secret is "
        "public for good. It is `report`, not `ask`: nothing leaves the machine with this change, "
        "and the commit that would add such a file is read by `secret-credentials`, "
        "`secret-private-key` and `secret-token`, which ask. The report tells the human that the "
        "net under those rules has a hole, while there is still nothing to rotate.",
        "`.env` removed from `.gitignore` → `no longer ignores .env (line removed): a later \"git "
        "add .\" commits it`; `!.env.production` added → `no longer ignores .env.production "
        "(!.env.production added): ...`.",
        "`rules.secret-unignored = \"ask\"` to be asked first; `\"off\"` in a project that commits "
        "its `.env` on purpose (Symfony's holds defaults only), or an `[[overrides]]` entry for one "
        "`.gitignore`."),
)
RULES = (SECRET_UNIGNORED,)

# Wildcards matching as little as they can: `*` nothing, `?` and a class one character.
_WILDCARDS = lazy(r"\*\*/|\*|\?|\[!?\^?([^]])[^]]*\]")


def _pattern(text: str) -> tuple[str, bool] | None:
    """A .gitignore line's pattern and whether it is a negation (`!`); None for a blank line or
    a comment. Git drops trailing spaces; `\\#` and `\\!` start a pattern with `#` or `!`."""
    text = text.rstrip()
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    if negated or text.startswith(("\\#", "\\!")):
        text = text[1:]
    return (text, negated) if text else None


def _probes(pattern: str) -> tuple[str, ...]:
    """Paths the pattern ignores: its wildcards matching as little as they can (`*.pem` →
    `.pem`, `id_rsa*` → `id_rsa`, `/config/*.key` → `config/.key`), and each `*` matching a
    suffix such as `.local` (`.env*` → `.env.local`, which `.env` alone does not ignore).
    Nothing for a pattern that names only directories (`.env/` is a virtualenv) or a class of
    excluded characters."""
    if pattern.endswith("/") or "[!" in pattern or "[^" in pattern:
        return ()
    probes = []
    for star in ("", ".local"):
        probe = _WILDCARDS.compiled.sub(_least(star), pattern.lstrip("/"))
        if probe and probe not in probes:
            probes.append(probe)
    return tuple(probes)


def _least(star: str) -> Callable[[re.Match[str]], str]:
    """What a wildcard stands for in a probe: a class its first character, `?` one, `*` `star`."""
    def least(match: re.Match[str]) -> str:
        return match[1] or ("x" if match[0] == "?" else star if match[0] == "*" else "")
    return least


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.name != ".gitignore":  # every other file costs this one comparison
        return
    removed: list[tuple[Line, str, list[str]]] = []
    # Patterns that still ignore after the change: the hunk's added and unchanged lines (the
    # rest of the file is not in the diff, so a cover elsewhere in it goes unseen).
    kept: list[str] = []
    for line in change.lines:
        parsed = _pattern(line.text)
        if parsed is None:
            continue
        pattern, negated = parsed
        secret = [probe for probe in _probes(pattern) if secret_file(probe)]
        if line.kind == "-":
            if not negated and secret:
                removed.append((line, pattern, secret))
        elif negated:
            if line.kind == "+" and secret:
                yield _hit(change, line, pattern, f"!{pattern} added")
        else:
            kept.append(pattern)
    why = "file deleted" if change.status is Status.DELETED else "line removed"
    for line, pattern, secret in removed:
        # Lost when a file it ignored is ignored by nothing kept: `.env*` replaced by `.env`
        # still ignores .env, not .env.local.
        if not all(any(compile_glob(other)(probe) for other in kept) for probe in secret):
            yield _hit(change, line, pattern, why)


def _hit(change: FileChange, line: Line, pattern: str, why: str) -> Hit:
    what = "them" if _WILDCARDS.search(pattern) else "it"
    return Hit(SECRET_UNIGNORED, change.path, line.place,
               f"no longer ignores {pattern} ({why}): a later \"git add .\" commits {what}")

"""Commit-message trailers as git reads them (`git interpret-trailers --parse`), and a message
file as git will store it. Pure text; no git process, because a hook must stay cheap."""
from __future__ import annotations

import re

from guard.rules.patterns import Lazy

# Compiled on first use: a pre-commit hook has no message.
_TRAILER = Lazy(r"^(?P<key>[A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(?P<value>.*)$")
_SCISSORS = Lazy(r"^# -+ >8 -+$")


def clean_message(text: str, comment_char: str = "#") -> str:
    """A message file as git will store it: comment lines and everything below the scissors
    line (`git commit -v`) removed."""
    kept = []
    for line in text.splitlines():
        if _SCISSORS.match(line):
            break
        if comment_char and line.startswith(comment_char):
            continue
        kept.append(line)
    return "\n".join(kept)


def trailers(message: str) -> list[tuple[str, str]]:
    """The trailer block of a message, as `git interpret-trailers --parse` finds it: the last
    paragraph (never the subject), all trailer lines, or at least a quarter of them with a
    Signed-off-by; indented lines continue the previous trailer."""
    paragraphs = re.split(r"\n[ \t]*\n", message.strip("\n"))
    if len(paragraphs) < 2:
        return []
    lines = [line for line in paragraphs[-1].splitlines() if line.strip()]
    parsed: list[list[str]] = []
    plain = 0
    signed = False
    for line in lines:
        if line[:1] in (" ", "\t") and parsed:
            parsed[-1][1] += " " + line.strip()
            continue
        match = _TRAILER.match(line)
        if match:
            parsed.append([match["key"], match["value"].strip()])
            signed = signed or match["key"].lower() == "signed-off-by"
        else:
            plain += 1
    if not parsed or (plain and not (signed and len(parsed) * 3 >= plain)):
        return []
    return [(key, value) for key, value in parsed]

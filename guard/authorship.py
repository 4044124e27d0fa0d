"""Who wrote a change: evidence of an AI agent, gathered at every moment guard runs.

Interface shared by the commands (diff, hook, log, ci). Detection is pure: callers pass the
environment, messages, identities and pull-request metadata they read. Every signal is a line of
evidence naming what was seen (`environment CLAUDECODE=1`, `trailer Co-authored-by: Claude <…>`).
The exact markers per tool are in research/ai-signals.md. All markers are voluntary: a match is
evidence, a missing marker proves nothing.

Configuration (`[ai]`):
- `signals = ["KIND:VALUE", ...]` adds patterns, KIND one of SIGNAL_KINDS (see `_configured`);
- `humans = [...]` names people (name, e-mail, `Name <email>` or login). A listed identity is
  never itself taken as an AI signal, even when it looks like one; other evidence still counts.
"""

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from guard.config import Config
from guard.model import Authorship
from guard.rules.patterns import Lazy
from guard.trailers import clean_message, trailers

__all__ = ["CommitInfo", "PullRequest", "clean_message", "decide", "from_commit", "from_commits",
           "from_environment", "from_identity", "from_message", "from_note", "from_pull_request",
           "is_ai_identity", "parse_signal", "trailers"]

SIGNAL_KINDS = ("env", "trailer", "message", "identity", "login", "branch", "body")


class CommitInfo(NamedTuple):
    sha: str
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    message: str
    note: str = ""  # git-ai note under refs/notes/ai, if any


class PullRequest(NamedTuple):
    author_login: str = ""
    author_type: str = ""  # GitHub's user.type: "User" or "Bot"
    head_ref: str = ""
    body: str = ""
    labels: tuple[str, ...] = ()


# --- environment -------------------------------------------------------------------------------

# Variable -> required value (None: any value that is not empty/0/false). Not listed on purpose:
# CURSOR_TRACE_ID and ZED_TERM are set in every terminal of the editor, human ones too.
ENVIRONMENT: dict[str, str | None] = {
    "CLAUDECODE": None,                    # Claude Code
    "CLAUDE_CODE_ENTRYPOINT": None,
    "CLAUDE_CODE_REMOTE": None,            # Claude Code on the web
    "CURSOR_AGENT": None,                  # Cursor agent / CLI shells
    "CODEX_SANDBOX": None,                 # Codex CLI
    "CODEX_THREAD_ID": None,
    "CODEX_CI": None,
    "CODEX_INTERNAL_ORIGINATOR_OVERRIDE": None,  # Codex cloud
    "COPILOT_CLI": None,                   # Copilot CLI
    "COPILOT_AGENT_SESSION_ID": None,
    "COPILOT_AGENT": None,                 # Copilot agent terminals in VS Code
    "GEMINI_CLI": None,                    # Gemini CLI (also its `!` shell mode)
    "CLINE_ACTIVE": None,                  # Cline
    "ROO_ACTIVE": None,                    # Roo Code
    "GOOSE_TERMINAL": None,                # Goose
    "OPENCODE": None,                      # OpenCode
    "AMP_CURRENT_THREAD_ID": None,         # Amp
    "AI_AGENT": None,                      # generic: @vercel/detect-agent, VS Code, Kilo
    "AGENT": None,                         # generic: Goose, Amp, Bun's AGENT=1
}
_FALSE = frozenset({"", "0", "false", "no", "off"})


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _FALSE


def from_environment(env: Mapping[str, str], config: Config | None = None) -> list[str]:
    """Signals from the committing process's environment (agent shells set variables)."""
    found = [f"environment {name}={env[name]}" for name, want in ENVIRONMENT.items()
             if (_truthy(env.get(name)) if want is None else env.get(name) == want)]
    for kind, value, pattern in _configured(config, "env"):
        name, has_value, wanted = value.partition("=")
        actual = env.get(name)
        if (actual == wanted) if has_value else _truthy(actual):
            found.append(f"environment {name}={actual} (ai.signals {pattern!r})")
    return found


# --- identities --------------------------------------------------------------------------------

# Names of AI tools as they sign. Anchored: "Claude Dupont" or "Jules Martin" are people.
_AI_NAMES = Lazy(
    r"""^(?:
        claude(?:\s+(?:opus|sonnet|haiku|fable|instant|code)\b.*|\s+\d.*)?
      | claude\[bot\]
      | (?:github\s+)?copilot(?:\s.*)?
      | copilot-swe-agent\[bot\]
      | cursor(?:\s+agent)?
      | aider(?:\s*\(.*\))?
      | codex(?:\s.*)?
      | openai(?:\s.*)?
      | google-labs-jules\[bot\]
      | openhands(?:-agent)?
      | devin\s+ai | devin-ai-integration\[bot\]
      | opencode
      | gemini(?:\s+cli|\s+code\s+assist|\s+\d.*)? | gemini-code-assist\[bot\]
      | amazon-q-developer\[bot\]
      | chatgpt-codex-connector\[bot\]
      | sweep-ai\[bot\]
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Exact addresses the tools use. Never a bare vendor domain: people work at those companies.
_AI_EMAILS = frozenset({
    "noreply@anthropic.com", "cursoragent@cursor.com", "aider@aider.chat", "noreply@aider.dev",
    "noreply@openai.com", "codex@openai.com", "openhands@all-hands.dev", "noreply@opencode.ai",
    "copilot@github.com",
})
# GitHub's `<id>+<login>@users.noreply.github.com` for the agents' accounts.
_AI_NOREPLY = Lazy(
    r"^\d+\+(?:copilot|claude\[bot\]|copilot-swe-agent\[bot\]|devin-ai-integration\[bot\]"
    r"|google-labs-jules\[bot\]|gemini-code-assist\[bot\]|amazon-q-developer\[bot\]"
    r"|chatgpt-codex-connector\[bot\])@users\.noreply\.github\.com$",
    re.IGNORECASE,
)
_IDENTITY = Lazy(r"^\s*(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s*$")


def split_identity(text: str) -> tuple[str, str]:
    """`Name <email>` -> (name, email); anything else is a bare name."""
    match = _IDENTITY.match(text)
    return (match["name"], match["email"].strip()) if match else (text.strip(), "")


def _human(name: str, email: str, config: Config | None) -> bool:
    if config is None or not config.humans:
        return False
    known = {h.strip().lower() for h in config.humans}
    candidates = {name.lower(), email.lower(), f"{name} <{email}>".lower()} - {""}
    return bool(known & candidates)


def is_ai_identity(name: str, email: str, config: Config | None = None) -> bool:
    """True when a name/e-mail pair is one an AI tool uses (not a person listed in ai.humans)."""
    if _human(name, email, config):
        return False
    name, email = name.strip(), email.strip().lower()
    if _AI_NAMES.match(name) or email in _AI_EMAILS or _AI_NOREPLY.match(email):
        return True
    if name.lower().endswith("(aider)"):  # aider appends it to the user's name
        return True
    whole = f"{name} <{email}>".lower() if email else name.lower()
    return any(value.lower() in whole for _, value, _ in _configured(config, "identity"))


def from_identity(role: str, name: str, email: str, config: Config | None = None) -> list[str]:
    """`author copilot-swe-agent[bot] <…>` when an author or committer is an AI tool."""
    if not is_ai_identity(name, email, config):
        return []
    return [f"{role} {name} <{email}>" if email else f"{role} {name}"]


# --- commit messages ---------------------------------------------------------------------------

# Keys whose value names the co-author or the tool: AI only when the value is one.
_IDENTITY_KEYS = frozenset({"co-authored-by", "assisted-by", "generated-by", "generated-with",
                            "made-with", "ai-assisted", "ai-generated", "written-by", "authored-by"})
# Keys that only AI tooling writes: any non-empty value is a signal.
_AI_KEYS = frozenset({"co-authored-by-ai", "ai-used-for", "agent-logs-url", "claude-session"})
# A tool named in a free-form value such as `Claude:claude-3-opus coccinelle` or `LLM`.
_AI_WORDS = Lazy(
    r"\b(?:claude|copilot|cursor|aider|codex|chatgpt|gpt-?\d[\w.-]*|openai|gemini|jules|openhands"
    r"|devin|opencode|windsurf|llm|large language model|qwen|deepseek|mistral|llama|grok|kiro)\b",
    re.IGNORECASE,
)
# "🤖 Generated with [Claude Code](https://claude.com/claude-code)" and its relatives.
_MARKER = Lazy(
    r"^\W*(?:generated|made|created|written|built)\s+(?:with|by|using)\s+\[?\s*"
    r"(?:claude|copilot|cursor|aider|codex|chatgpt|openai|gemini|jules|openhands|devin|opencode"
    r"|windsurf|amp\b)",
    re.IGNORECASE,
)


def _ai_trailer(key: str, value: str, config: Config | None) -> bool:
    lowered = key.lower()
    if not value or value.lower() in _FALSE | {"none", "n/a"}:
        return False
    if lowered in _AI_KEYS:
        return True
    if lowered not in _IDENTITY_KEYS:
        return False
    name, email = split_identity(value)
    if email:  # `Name <email>`: judge the identity, so a person named Claude is a person
        return is_ai_identity(name, email, config)
    if _human(name, "", config):
        return False
    return bool(_AI_WORDS.search(value)) or is_ai_identity(name, "", config)


def from_message(message: str, config: Config | None = None) -> list[str]:
    """Signals from a commit message: trailers and "Generated with" lines."""
    found = []
    pairs = trailers(message)
    for key, value in pairs:
        if _ai_trailer(key, value, config):
            found.append(f"trailer {key}: {value}")
    for _, value, pattern in _configured(config, "trailer"):
        want_key, has_value, want = value.partition("=")
        for key, text in pairs:
            if key.lower() == want_key.strip().lower() and (not has_value or want.strip().lower() in text.lower()):
                found.append(f"trailer {key}: {text} (ai.signals {pattern!r})")
    for line in message.splitlines():
        if _MARKER.match(line.strip()):
            found.append(f"message line {line.strip()!r}")
    for _, value, pattern in _configured(config, "message"):
        for line in message.splitlines():
            if value.lower() in line.lower():
                found.append(f"message line {line.strip()!r} (ai.signals {pattern!r})")
                break
    return found


# --- git-ai notes (refs/notes/ai) --------------------------------------------------------------

_SESSION_KEY = Lazy(r"^\s+(?:s_[0-9a-f]+(?:::\S+)?|[0-9a-f]{16})\s+\d")


def from_note(note: str) -> list[str]:
    """A git-ai note: attestation lines, `---`, JSON metadata. AI when lines are attributed to an
    AI session (`s_…` key, or a legacy 16-hex prompt key); `h_…` keys are people."""
    if not note.strip():
        return []
    import json

    head, _, meta = note.partition("\n---\n")
    tools: set[str] = set()
    try:
        data = json.loads(meta) if meta.strip() else {}
    except ValueError:
        data = {}
    if isinstance(data, dict):
        for table in ("sessions", "prompts"):
            entries = data.get(table)
            if isinstance(entries, dict):
                for entry in entries.values():
                    agent = entry.get("agent_id", entry) if isinstance(entry, dict) else None
                    if isinstance(agent, dict) and agent.get("tool"):
                        model = agent.get("model")
                        tools.add(f"{agent['tool']} {model}" if model else str(agent["tool"]))
    attributed = any(_SESSION_KEY.match(line) for line in head.splitlines())
    if tools:
        return [f"git-ai note ({', '.join(sorted(tools))})"]
    return ["git-ai note (lines attributed to an AI session)"] if attributed else []


def from_commit(commit: CommitInfo, config: Config | None = None) -> list[str]:
    """Signals from one commit: identities, message, git-ai note."""
    found = from_identity("author", commit.author_name, commit.author_email, config)
    if (commit.committer_name, commit.committer_email) != (commit.author_name, commit.author_email):
        found += from_identity("committer", commit.committer_name, commit.committer_email, config)
    return found + from_message(commit.message, config) + from_note(commit.note)


def from_commits(commits: Iterable[CommitInfo], config: Config | None = None) -> list[str]:
    """A range is AI-authored if any commit in it is; each signal names its commit."""
    return [f"commit {c.sha[:12]}: {signal}" for c in commits for signal in from_commit(c, config)]


# --- pull requests -----------------------------------------------------------------------------

_AI_LOGINS = frozenset({
    "copilot", "copilot-swe-agent[bot]", "claude[bot]", "devin-ai-integration[bot]",
    "google-labs-jules[bot]", "amazon-q-developer[bot]", "openhands-agent", "sweep-ai[bot]",
})
_AI_BRANCHES = ("copilot/", "claude/", "codex/", "cursor/", "devin/")
_BODY_MARKERS = (
    ("Claude Code", Lazy(r"(?:generated|made) (?:with|by) \[claude code\]|claude\.ai/code/session_", re.I)),
    ("Codex", Lazy(r"\[codex task\]|chatgpt\.com/codex/tasks/", re.I)),
    ("Cursor", Lazy(r"cursor\.com/agents/|made with \[cursor\]", re.I)),
    ("Devin", Lazy(r"app\.devin\.ai/sessions/|link to devin run", re.I)),
    ("Copilot", Lazy(r"copilot coding agent", re.I)),
    ("OpenCode", Lazy(r"generated with \[opencode\]", re.I)),
)


def from_pull_request(pr: PullRequest, config: Config | None = None) -> list[str]:
    """Signals from CI pull-request metadata: author login/type, head branch, body markers.
    `user.type == "Bot"` alone is not AI (dependabot is a bot)."""
    found = []
    login = pr.author_login.strip()
    if login and not _human(login, "", config):
        typed = f" ({pr.author_type})" if pr.author_type else ""
        configured = [p for _, v, p in _configured(config, "login") if v.strip().lower() == login.lower()]
        if login.lower() in _AI_LOGINS:
            found.append(f"pull request author {login}{typed}")
        elif configured:
            found.append(f"pull request author {login}{typed} (ai.signals {configured[0]!r})")
    branch = pr.head_ref.removeprefix("refs/heads/")
    if branch.lower().startswith(_AI_BRANCHES):
        found.append(f"pull request branch {branch}")
    for _, value, pattern in _configured(config, "branch"):
        if branch.lower().startswith(value.lower()):
            found.append(f"pull request branch {branch} (ai.signals {pattern!r})")
    for tool, marker in _BODY_MARKERS:
        match = marker.search(pr.body)
        if match:
            found.append(f"pull request body mentions {match.group(0)!r} ({tool})")
    for _, value, pattern in _configured(config, "body"):
        if value.lower() in pr.body.lower():
            found.append(f"pull request body mentions {value!r} (ai.signals {pattern!r})")
    found += [f"pull request body {signal}" for signal in from_message(pr.body, config)]
    return found


# --- configuration and decision ----------------------------------------------------------------

def parse_signal(pattern: str) -> tuple[str, str] | None:
    """`KIND:VALUE` -> (kind, value); None when KIND is not one of SIGNAL_KINDS or VALUE is empty."""
    kind, colon, value = pattern.partition(":")
    kind = kind.strip().lower()
    if not colon or kind not in SIGNAL_KINDS or not value.strip():
        return None
    return kind, value.strip()


def _configured(config: Config | None, kind: str) -> list[tuple[str, str, str]]:
    """The `ai.signals` entries of one kind, as (kind, value, original pattern).

    env:NAME[=VALUE]        variable set (and not empty/0/false), or exactly VALUE
    trailer:KEY[=TEXT]      a trailer with that key (any case), whose value contains TEXT
    message:TEXT            a message line containing TEXT
    identity:TEXT           author, committer or co-author `Name <email>` containing TEXT
    login:NAME              the pull request's author login
    branch:PREFIX           the pull request's head branch starts with PREFIX
    body:TEXT               the pull request body contains TEXT
    Text matches ignore case.
    """
    if config is None:
        return []
    out = []
    for pattern in config.ai_signals:
        parsed = parse_signal(pattern)
        if parsed is not None and parsed[0] == kind:
            out.append((kind, parsed[1], pattern))
    return out


def decide(signals: Iterable[str], *, assume_ai: bool = False, assume_human: bool = False) -> Authorship:
    if assume_human:
        return Authorship(ai=False, signals=("assumed human (--assume-human)",), assumed=True)
    if assume_ai:
        return Authorship(ai=True, signals=("assumed AI (--assume-ai)",), assumed=True)
    found = tuple(dict.fromkeys(signals))
    return Authorship(ai=bool(found), signals=found)

"""Secrets in added lines: private keys, cloud and platform tokens, webhook URLs that carry
their token, credential files. Once pushed, a secret is public for good: rotate, don't revert.

Patterns follow gitleaks' `config/gitleaks.toml` and shhgit's signatures (research/risk-rules.md
§2), rewritten with literal prefixes and bounded repeats so a multi-megabyte line is one linear
scan. Messages never hold the secret: the kind and at most its public prefix.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from guard.hunks import joined
from guard.model import FileChange, Level, Question, Status
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.gates import Gate
from guard.rules.patterns import Lazy, lazy

_OPTIONS = """A test fixture that must hold a fake key: `[[overrides]]` with `paths = ["tests/fixtures/keys/"]`
and `rules = {{ {id} = "off" }}`. Globally: `rules.{id} = "report"` (not recommended)."""


def _rule(id: str, summary: str, what: str, example: str) -> Rule:
    doc = rule_doc(f"{what} Only added lines are read; the message names the kind of secret and at "
                   "most its public prefix, never the secret.",
                   "A secret that reaches a shared repository is compromised: history, forks, clones "
                   "and CI logs keep it after the commit is reverted. The fix is to rotate it, which "
                   "is why guard asks before it leaves the machine.",
                   example, _OPTIONS.format(id=id))
    return Rule(id, "secret", Question.REVERSIBLE, Level.ASK, summary, doc)


SECRET_PRIVATE_KEY = _rule(
    "secret-private-key", "a private key is added",
    "Asks when an added line starts a PEM private key (`-----BEGIN ... PRIVATE KEY-----`: RSA, "
    "EC, DSA, OpenSSH, PGP, encrypted PKCS#8), or when a key file such as `id_rsa`, `*.p12`, "
    "`*.pfx`, `*.jks` or `*.keystore` is added.",
    "`deploy/id_ed25519` → `adds a private key (-----BEGIN OPENSSH PRIVATE KEY-----)`; a binary "
    "`android/app/release.keystore` → `adds the key file release.keystore`.")
SECRET_TOKEN = _rule(
    "secret-token", "a cloud or platform token is added",
    "Asks for tokens with a recognisable shape: AWS access keys (and `aws_secret_access_key` "
    "values), Google API keys, Azure storage keys and client secrets, GitHub and GitLab tokens, "
    "Slack, Stripe, OpenAI, Anthropic, Hugging Face, npm, PyPI, SendGrid, Twilio and Telegram "
    "tokens. AWS's documented `...EXAMPLE` keys are ignored.",
    "`token = \"ghp_...\"` in `scripts/release.py` → `adds a GitHub token (ghp_…)`.")
SECRET_WEBHOOK = _rule(
    "secret-webhook", "a webhook URL that carries its token is added",
    "Asks for Slack, Discord and Microsoft Teams incoming-webhook URLs: the URL itself is the "
    "credential, anyone who has it can post as the integration.",
    "`SLACK_WEBHOOK: https://hooks.slack.com/services/T0.../B0.../...` → `adds a Slack webhook "
    "URL (hooks.slack.com/services/…): the URL is the credential`.")
SECRET_CREDENTIALS = _rule(
    "secret-credentials", "a credential file or a password is added",
    "Asks for credentials in files made for them: values of `*SECRET*`, `*TOKEN*`, `*PASSWORD*`, "
    "`*API_KEY*` variables in `.env` files (not templates: `.env.example`/`.sample`/`.template`/`.dist`/`.defaults`/`.erb`), "
    "`_authToken` in `.npmrc`, `password` in `.pypirc`/`.netrc`, `aws_secret_access_key` in "
    "`.aws/credentials`, a GCP service-account key, new `credentials.json`/`client_secret*.json`/"
    "`.git-credentials`/`.pgpass`/`.htpasswd`/`config/master.key` files, and passwords inside "
    "URLs (`postgres://user:password@host`, not on `localhost`). In settings and config files (`settings*.py`, "
    "`*.yml`, `*.json`, `*.toml`, `*.tfvars`, `docker-compose*`..., not under tests or fixtures): "
    "a literal value for a `password`, `secret`, `api_key`, `token` or `private_key` key, and a "
    "Kubernetes `Secret` with `data`. Placeholders (`${VAR}`, `<token>`, `changeme`) and "
    "references (`os.environ[...]`, `process.env`, `{{ secrets.X }}`) are ignored.",
    "`DATABASE_PASSWORD=hunter2hunter2` in `.env` → `adds a value for DATABASE_PASSWORD in .env`.")
RULES = (SECRET_PRIVATE_KEY, SECRET_TOKEN, SECRET_WEBHOOK, SECRET_CREDENTIALS)

# (kind, public prefix shown, pattern). Every pattern starts with a literal so `re` can skip
# ahead with its fast prefix search; a leading word boundary is checked in Python (`_search`),
# because a leading `\b` alone makes a 5 MB line 40 times slower.
_TOKENS: tuple[tuple[str, str, Lazy], ...] = tuple(
    (kind, prefix, lazy(rx)) for kind, prefix, rx in (
        ("AWS access key ID", "", r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b(?<!EXAMPLE)"),
        ("AWS secret access key", "",
         r"(?:aws|AWS|Aws)_?(?:secret|SECRET|Secret)_?(?:access|ACCESS|Access)_?(?:key|KEY|Key)['\"]?\s{0,5}[:=]\s{0,5}"
         r"['\"]?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])"),
        ("Google API key", "AIza", r"AIza[0-9A-Za-z_-]{35}(?![\w-])"),
        ("Azure storage account key", "AccountKey=", r"AccountKey=[A-Za-z0-9+/]{86}=="),
        ("Azure AD client secret", "", r"Q~(?<=[a-zA-Z0-9_~.]{3}\dQ~)[a-zA-Z0-9_~.-]{31,34}(?![\w~.-])"),
        ("GitHub token", "ghp_", r"gh[pousr]_[0-9a-zA-Z]{36}\b"),
        ("GitHub fine-grained token", "github_pat_", r"github_pat_[0-9a-zA-Z_]{82}\b"),
        ("GitLab token", "glpat-", r"glpat-[0-9a-zA-Z_-]{20,50}\b"),
        ("GitLab runner token", "glrt-", r"glrt-[0-9a-zA-Z_-]{20,50}\b"),
        ("Slack token", "xoxb-", r"xox[baprse]-[0-9]{6,15}-[0-9A-Za-z-]{8,250}"),
        ("Stripe secret key", "sk_live_", r"(?:sk|rk)_(?:live|test|prod)_[a-zA-Z0-9]{10,99}\b"),
        ("Anthropic API key", "sk-ant-", r"sk-ant-[a-z]{3,10}\d{2}-[A-Za-z0-9_-]{80,120}"),
        ("OpenAI API key", "sk-", r"sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
        ("OpenAI API key", "sk-proj-", r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}"),
        ("Hugging Face token", "hf_", r"hf_[a-zA-Z]{34}\b"),
        ("npm token", "npm_", r"npm_[a-zA-Z0-9]{36}\b"),
        ("PyPI upload token", "pypi-", r"pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}"),
        ("SendGrid API key", "SG.", r"SG\.[\w-]{22}\.[\w-]{43}\b"),
        ("Twilio API key", "SK", r"SK[0-9a-fA-F]{32}\b"),
        ("Telegram bot token", "", r":AA(?<=\d{8}:AA)[0-9A-Za-z_-]{33}\b"),
    ))
# Patterns whose match may start inside a word (Azure's and Telegram's start mid-token).
_INNER = frozenset({"Azure AD client secret", "Telegram bot token", "Azure storage account key",
                    "Microsoft Teams webhook URL"})
# Substrings a match must contain: a pattern is compiled and run only when one is present,
# which keeps both a small hook run (no compiling) and a huge line (no regex) cheap.
_NEEDLES = {
    "AWS access key ID": ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
    "AWS secret access key": ("ccess", "CCESS"),
    "Google API key": ("AIza",), "Azure storage account key": ("AccountKey=",),
    "Azure AD client secret": ("Q~",), "GitHub token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    "GitHub fine-grained token": ("github_pat_",), "GitLab token": ("glpat-",),
    "GitLab runner token": ("glrt-",), "Slack token": ("xox",),
    "Stripe secret key": ("k_live_", "k_test_", "k_prod_"), "Anthropic API key": ("sk-ant-",),
    "OpenAI API key": ("sk-",), "Hugging Face token": ("hf_",), "npm token": ("npm_",),
    "PyPI upload token": ("pypi-AgEI",), "SendGrid API key": ("SG.",), "Twilio API key": ("SK",),
    "Telegram bot token": (":AA",), "Slack webhook URL": ("hooks.slack.com",),
    "Discord webhook URL": ("/api/webhooks/",), "Microsoft Teams webhook URL": (".webhook.office.com",),
}


def _search(kind: str, rx: Lazy, text: str) -> re.Match[str] | None:
    if not any(needle in text for needle in _NEEDLES[kind]):
        return None
    for match in rx.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        if "EXAMPLE" in match.group():  # AWS's documented example keys
            continue
        if kind in _INNER or not (before.isalnum() or before == "_"):
            return match
    return None


_PRIVATE_KEY = lazy(r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
_WEBHOOKS: tuple[tuple[str, str, Lazy], ...] = tuple(
    (kind, shown, lazy(rx)) for kind, shown, rx in (
        ("Slack webhook URL", "hooks.slack.com/{0}/…",
         r"hooks\.slack\.com/(services|workflows|triggers)/[A-Za-z0-9+/_-]{20,120}"),
        ("Discord webhook URL", "discord.com/api/webhooks/…",
         r"discord(?:app)?\.com/api/webhooks/\d{5,30}/[\w-]{20,100}"),
        ("Microsoft Teams webhook URL", "….webhook.office.com/…",
         r"\.webhook\.office\.com/webhookb2/[\w@-]{20,120}"),
    ))
_URL_PASSWORD = lazy(r"://[^\s:@/'\"]{1,100}:(?P<password>[^\s@/'\"]{3,200})@(?P<host>[\w.-]{1,200})")
_EXAMPLE_HOSTS = ("example.com", "example.org", "example.net")  # RFC 2606: documentation only
# A developer's own machine: the password in `postgres://user:pass@localhost/db` guards nothing.
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "host.docker.internal"})
_SCHEME = lazy(r"[a-z][a-z0-9+.-]{0,20}$", re.I)
_ENV_VALUE = lazy(
    r"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z0-9_]{0,80}(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|ACCESS_KEY)"
    r"[A-Za-z0-9_]{0,80})[ \t]*=[ \t]*['\"]?(?P<value>[^\s'\"#]{6,})", re.I | re.M)
_FILE_VALUES: tuple[tuple[str, Lazy], ...] = tuple((name, lazy(rx, re.I | re.M)) for name, rx in (
    (".npmrc", r"_auth(?:Token)?\s*=\s*(?P<value>\S{6,})"),
    (".pypirc", r"^[ \t]*password[ \t]*[:=][ \t]*(?P<value>\S{4,})"),
    (".netrc", r"\bpassword\s+(?P<value>\S{4,})"),
    ("_netrc", r"\bpassword\s+(?P<value>\S{4,})"),
    ("credentials", r"^[ \t]*aws_secret_access_key[ \t]*=[ \t]*(?P<value>\S{16,})"),
))
# A literal value for a key named as a secret (the name ends so: `DB_PASSWORD`, `jwtSecret`,
# `api_key`, not `secret_name`) in a settings or config file. A value that names where the
# secret lives (`${VAR}`, `os.environ[...]`, `{{ secrets.X }}`, a path) is not one, nor is a
# number or a placeholder.
_CONFIG_VALUE = lazy(
    r"""(?P<name>[\w.-]{0,60}(?:password|passwd|pwd|secret(?:[_-]?key(?:[_-]?base)?)?|api[_-]?key|token"""
    r"""|private[_-]?key))["']?[ \t]*(?:[:=]|=>)[ \t]*"""
    r"""(?:"(?P<double>[^"\n]{8,200})"|'(?P<single>[^'\n]{8,200})'"""
    r"""|(?P<bare>[^\s"',;{}\[\]()]{8,200})[ \t]*,?[ \t]*(?:[ \t]#.*)?$)""", re.I | re.M)
_REFERENCE = lazy(r"^\$|\$\{|\$\(|\{\{|<%|%\(|environ|getenv|process\.env|ENV\[|secrets\.|vault:|^/|^\w+://", re.I)
_CONFIG_SUFFIXES = (".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".properties", ".tfvars")
_TEST_PATH = lazy(r"(?:^|/)(?:tests?|spec|specs|fixtures|__tests__|testdata)/")
_K8S_SECRET = lazy(r"^kind:[ \t]*Secret[ \t]*$", re.M)
_K8S_DATA = lazy(r"^(?:data|stringData):[ \t]*$", re.M)
_SERVICE_ACCOUNT = lazy(r"\"type\"\s{0,5}:\s{0,5}\"service_account\"")
_PLACEHOLDER = lazy(
    r"^(?:\$|<|%\(|\{\{|changeme|change_me|xxx|your[_-]|example|dummy|placeholder|redacted|\*{3}|\.\.\.|"
    r"password$|secret$|null$|none$|true$|false$)", re.I)
_KEY_FILES = lazy(r"(?:^|/)(?:id_(?:rsa|dsa|ecdsa|ed25519)|[^/]+\.(?:p12|pfx|pkcs12|jks|keystore))$")
_CREDENTIAL_FILES = lazy(
    r"(?:^|/)(?:credentials\.json|client_secret[^/]*\.json|[^/]*service[-_]account[^/]*\.json|\.git-credentials"
    r"|\.pgpass|\.htpasswd|master\.key|[^/]+\.kdbx)$")
# Files that usually hold a secret though guard does not read them as one when they are added
# (a `.pem` may be a certificate, a `.tfvars` file plain settings): what a .gitignore should
# keep out of git. research/risk-rules.md §2 (shhgit's signatures).
_LIKELY_SECRET_FILES = lazy(
    r"(?:^|/)(?:[^/]*\.(?:pem|key|tfvars|tfvars\.json|tfstate|tfstate\.[^/]*|ovpn)|secrets?\.[^/]*|\.dockercfg"
    r"|[^/]*kubeconfig[^/]*)$")


def config_file(path: str) -> bool:
    """Settings and config files (not tests'): where a literal secret is a committed secret. Not
    messaging.is_config: that one also reads every file under config/ and .tf code, and this one
    also reads settings and config modules in JS, TypeScript and Ruby (`config.ts`)."""
    name = path.rpartition("/")[2]
    settings = name.startswith(("settings", "config")) and name.endswith((".py", ".js", ".ts", ".rb"))
    return (settings or name.endswith(_CONFIG_SUFFIXES) or name.startswith("docker-compose")) \
        and not _TEST_PATH.search(path)


def secret_file(path: str) -> bool:
    """A file that holds secrets by its name: a `.env` file (not a template), a private key,
    a credential file (`.npmrc`, `credentials.json`, `.pgpass`...), or one that usually holds
    a secret (`*.pem`, `*.key`, `secrets.*`, `*.tfvars`)."""
    name = path.rpartition("/")[2]
    return _env_file(name) or name in _ALWAYS_READ or any(
        files.search(path) is not None for files in (_KEY_FILES, _CREDENTIAL_FILES, _LIKELY_SECRET_FILES))


def _env_file(name: str) -> bool:
    # Templates are committed on purpose: `.env.example` and the like, and Rails' `.env*.erb`
    # (its default .gitignore ignores `/.env*` "except templates", `!/.env*.erb`).
    return (name == ".env" or name.startswith(".env.") or name.endswith(".env")) and not name.endswith(
        (".example", ".sample", ".template", ".dist", ".defaults", ".erb"))


def _redacted_url(text: str, match: re.Match[str]) -> str:
    scheme = _SCHEME.search(text, max(0, match.start() - 21), match.start())
    return f"{scheme.group() if scheme else ''}://…:…@{match['host']}"


def scan_text(text: str, name: str, config: bool = False) -> Iterator[tuple[str, str, int]]:
    """(rule id, message, offset) for the secrets in `text` (added lines joined by newlines) of
    a file called `name` (`config`: a settings or config file); each kind once. One C-level
    scan per pattern, not one per line."""
    if "PRIVATE KEY" in text and (key := _PRIVATE_KEY.search(text)):
        yield SECRET_PRIVATE_KEY.id, f"adds a private key ({key.group()})", key.start()
    for kind, prefix, rx in _TOKENS:
        if found := _search(kind, rx, text):
            shown = f" ({found.group()[:len(prefix)]}…)" if prefix else ""  # the public part only
            yield SECRET_TOKEN.id, f"adds {'an' if kind[:1] in 'AEIOU' else 'a'} {kind}{shown}", found.start()
    for kind, shown, rx in _WEBHOOKS:
        if hook := _search(kind, rx, text):
            yield (SECRET_WEBHOOK.id, f"adds a {kind} ({shown.format(*hook.groups())}): the URL is the credential",
                   hook.start())
    if "://" in text:
        for url in _URL_PASSWORD.finditer(text):
            if not (_PLACEHOLDER.match(url["password"]) or url["host"].endswith(_EXAMPLE_HOSTS)
                    or url["host"] in _LOCAL_HOSTS):
                yield SECRET_CREDENTIALS.id, f"adds a password inside a URL ({_redacted_url(text, url)})", url.start()
                break
    if _env_file(name):
        for env in _ENV_VALUE.finditer(text):
            if not _PLACEHOLDER.match(env["value"]):
                yield SECRET_CREDENTIALS.id, f"adds a value for {env['name']} in {name}", env.start()
    for file_name, rx in _FILE_VALUES:
        if name == file_name:
            for value in rx.finditer(text):
                if not _PLACEHOLDER.match(value["value"]):
                    yield SECRET_CREDENTIALS.id, f"adds a credential to {name}", value.start()
                    break
    if "service_account" in text and (account := _SERVICE_ACCOUNT.search(text)):
        yield SECRET_CREDENTIALS.id, "adds a Google Cloud service-account key", account.start()
    if config and not _env_file(name):
        if "Secret" in text and _K8S_SECRET.search(text) and (data := _K8S_DATA.search(text)):
            yield SECRET_CREDENTIALS.id, f"adds a Kubernetes Secret's values in {name}", data.start()
            return
        for found in _CONFIG_VALUE.finditer(text):
            literal = found["double"] or found["single"] or found["bare"]
            if not (_PLACEHOLDER.match(literal) or _REFERENCE.search(literal) or literal.isdigit()):
                yield SECRET_CREDENTIALS.id, f"adds a value for {found['name']} in {name}", found.start()
                break


# Bytes that some pattern needs: a file whose diff holds none of them is not decoded at all.
# The token shapes again, loosely and as bytes, each with a literal prefix: a file whose raw
# diff matches none of them is never decoded. (test_secret_gate_passes_every_kind checks that
# every kind's example gets through.)
_BODY_GATE = Gate((
    b"AKIA", b"ASIA", b"ABIA", b"ACCA", b"A3T", b"AIza", b"AccountKey=",
    b"ecret_access", b"ecretaccess", b"ecret_Access", b"ecretAccess", b"ECRET_ACCESS", b"ECRETACCESS",
    b"Q~", b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_", b"github_pat_", b"glpat-", b"glrt-",
    b"xoxb-", b"xoxa-", b"xoxp-", b"xoxr-", b"xoxs-", b"xoxe-", b"k_live_", b"k_test_", b"k_prod_",
    b"sk-ant-", b"sk-proj-", b"sk-svcacct-", b"sk-admin-", b"T3BlbkFJ", b"hf_", b"npm_", b"pypi-AgEI",
    b"SG.", b"SK", b":AA", b"hooks.slack.com/", b"/api/webhooks/", b".webhook.office.com",
    b"PRIVATE KEY", b"://", b"service_account",
))
_ALWAYS_READ = (".npmrc", ".pypirc", ".netrc", "_netrc", "credentials")
_BY_ID = {rule.id: rule for rule in RULES}


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    if change.status is Status.DELETED:
        return
    name = change.name
    found = list(_content(change, name))
    # An added file's old_path is its own path (the parser's convention), so status alone says
    # whether the file is new under this name. The name is said when what the file holds is not.
    fresh = change.status in (Status.ADDED, Status.COPIED, Status.RENAMED)
    said = {hit.rule for hit in found}
    if fresh and _KEY_FILES.search(change.path) and not change.path.endswith(".pub"):
        if SECRET_PRIVATE_KEY not in said:
            yield Hit(SECRET_PRIVATE_KEY, change.path, None, f"adds the key file {name}")
    elif fresh and _CREDENTIAL_FILES.search(change.path) and SECRET_CREDENTIALS not in said:
        yield Hit(SECRET_CREDENTIALS, change.path, None, f"adds the credential file {name}")
    yield from found


def _content(change: FileChange, name: str) -> Iterator[Hit]:
    config = config_file(change.path)
    if not (config or _env_file(name) or name in _ALWAYS_READ or _BODY_GATE.in_added(change.body)):
        return
    added = [line for line in change.lines if line.kind == "+"]
    all_added = joined(added)
    text = all_added.text
    seen: set[tuple[str, str]] = set()
    for rule_id, message, at in scan_text(text, name, config):
        if (rule_id, message) not in seen:
            seen.add((rule_id, message))
            line = added[all_added.line_at(at)]
            yield Hit(_BY_ID[rule_id], change.path, line.number, message)

"""Messages and schedules: settings that make the project e-mail, post to chat, call webhooks or
run on its own, found by content in any config or settings file."""
from __future__ import annotations

from collections.abc import Iterator

from guard.model import FileChange, Level, Question
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.outbound import ci_platform
from guard.rules.pathsets import PathSet
from guard.rules.signals import Signal, first_line, scan, signal
from guard.words import fold

CONFIG_SUFFIXES = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".json", ".jsonc", ".env",
                   ".properties", ".xml", ".config", ".neon", ".hcl", ".tf", ".tfvars")
CONFIG_PATHS = PathSet(".env", ".env.*", "*.env", "settings*.py", "*_settings.py", "settings/**", "config/**",
                "conf/**", "configs/**", "*.config.js", "*.config.ts", "*.config.mjs", "*.config.cjs",
                "config.py", "celery*.py", "*/celeryconfig.py", "app/Console/Kernel.php",
                "routes/console.php", "crontab", "*.cron", "*.timer", "cron.d/*")

_HOSTS = (
    (r"hooks\.slack\.com/(services|workflows|triggers)/", "a Slack webhook URL"),
    (r"discord(app)?\.com/api/webhooks/", "a Discord webhook URL"),
    (r"\.webhook\.office\.com/|outlook\.office\.com/webhook/|\.logic\.azure\.com/workflows/", "a Microsoft Teams webhook URL"),
    (r"chat\.googleapis\.com/v1/spaces/", "a Google Chat webhook URL"),
    (r"api\.telegram\.org/bot", "a Telegram bot URL"),
    (r"events\.pagerduty\.com|api\.opsgenie\.com", "an on-call paging endpoint"),
    (r"api\.sendgrid\.com|api\.mailgun\.net|api\.postmarkapp\.com|api\.resend\.com|mandrillapp\.com", "an e-mail API"),
    (r"api\.twilio\.com", "the Twilio API (SMS/calls)"),
    (r"api\.stripe\.com", "the Stripe API"),
    (r"email(-smtp)?\.[a-z0-9-]+\.amazonaws\.com", "Amazon SES"),
)
# Values are never echoed: webhook URLs carry their token in the path.
MESSAGING_SIGNALS: tuple[Signal, ...] = (
    signal(r"^\s*(EMAIL_(?:BACKEND|HOST|PORT|HOST_USER|HOST_PASSWORD|USE_TLS|USE_SSL|SUBJECT_PREFIX)|DEFAULT_FROM_EMAIL"
           r"|SERVER_EMAIL|ADMINS|MANAGERS)\s*[:=]", lambda m: f"Django {m.group(1)}", "+-"),
    signal(r"^\s*(MAIL_(?:SERVER|PORT|USERNAME|PASSWORD|DEFAULT_SENDER|SUPPRESS_SEND|USE_TLS|USE_SSL|MAILER|HOST"
           r"|FROM_ADDRESS|FROM_NAME|DRIVER))\s*[:=]", lambda m: m.group(1), "+-"),
    signal(r"action_mailer\.(delivery_method|smtp_settings|perform_deliveries|default_url_options)",
           lambda m: f"action_mailer.{m.group(1)}", "+-"),
    signal(r"(?<!\.)\b(SMTP_\w+|smtp_(?:host|server|port|user|username|password|address))\b\s*[:=]", lambda m: m.group(1), "+-"),
    signal(r"\bsmtps?://", "an SMTP URL", "+-"),
    signal(r"\b(\w*(?:WEBHOOK|HOOK_URL|CALLBACK_URL|NOTIFY_URL)\w*)['\"]?\s*[:=]", lambda m: m.group(1), "+-"),
    *(signal(regex, label, "+-") for regex, label in _HOSTS),
    signal(r"^\s*['\"]?(recipients?|notify|notifications?|notification_emails?|alert_emails?|mail_?to|email_to"
           r"|to_emails?|bcc|alert_?channel|slack_channel)['\"]?\s*[:=]", lambda m: f"notification setting {m.group(1)}", "+-"),
    # Alertmanager's receivers: who is paged or mailed.
    signal(r"^\s*-?\s*(email|pagerduty|opsgenie|slack|webhook|sns|telegram|msteams)_configs:",
           lambda m: f"Alertmanager {m.group(1)}_configs", "+-"),
)
SCHEDULE_SIGNALS: tuple[Signal, ...] = (
    signal(r"\bcron\s*[:(=]\s*['\"]?([^'\"#\n]*)", lambda m: f"cron '{m.group(1).strip()}'" if m.group(1).strip() else "cron", "+-"),
    signal(r"^\s*-?\s*schedule:\s*['\"]?((?:rate|cron)\([^)]*\)|@\w+|[*\d/,\- ]{9,}|every\s[^'\"#]+)",
           lambda m: f"schedule '{m.group(1).strip()}'", "+-"),
    signal(r"OnCalendar=(.*)", lambda m: f"OnCalendar={m.group(1).strip()}", "+-"),
    signal(r"beat_schedule|CELERY_BEAT_SCHEDULE", "Celery beat schedule", "+-"),
    signal(r"\bcrontab\(", "crontab(...)", "+-"),
    signal(r"^kind:\s*CronJob", "Kubernetes CronJob", "+-"),
    signal(r"\"crons\"\s*:", "Vercel crons", "+-"),
    signal(r"Schedule::|\$schedule->", "Laravel schedule", "+-"),
)
CRONTAB_LINE = signal(r"^\s*(@(?:reboot|yearly|annually|monthly|weekly|daily|hourly)\b|(?:[*0-9,\-/]+\s+){4}[*0-9,\-/a-z]+\s+\S)",
           "crontab entry", "+-")
SCHEDULE_PATHS = PathSet("cron.yaml", "*.cron", "crontab", "*.crontab", "cron.d/*", "*.timer", "config/schedule.rb",
                  "config/schedule.yml", "config/sidekiq_schedule.yml", "app/Console/Kernel.php",
                  "routes/console.php", "celerybeat*.py")


def _doc(what: str, why: str, example: str, rule_id: str) -> str:
    return rule_doc(what, why, example,
                    f"`rules.{rule_id} = \"report\"` to be told instead of asked; per path with "
                    f"`[[overrides]]`, e.g. `paths = [\"config/dev/**\"]`, `level = \"ship\"`.")


MESSAGING = Rule(
    "outbound-messaging", "outbound", Question.OTHERS, Level.ASK,
    "e-mail, webhook, chat or notification settings change",
    _doc("Asks when a config or settings file (YAML, TOML, INI, JSON, `.env`, `settings*.py`, anything "
         "under `config/`) adds or changes e-mail settings (Django `EMAIL_*`, `ADMINS`; Flask/Laravel "
         "`MAIL_*`; Rails `action_mailer`; `SMTP_*`, `smtp://`), webhook and callback settings, chat "
         "webhook URLs (Slack, Discord, Teams, Google Chat, Telegram), paging, e-mail and SMS APIs, or "
         "notification recipients. Names the setting, never its value (webhook URLs carry tokens).",
         "These settings decide who gets messages from the system: customers, colleagues on call, "
         "a channel. A wrong one spams people or leaks data to the wrong place.",
         "`EMAIL_HOST = \"smtp.sendgrid.net\"` in `app/settings.py` → "
         "`app/settings.py: Django EMAIL_HOST`.", "outbound-messaging"),
)
SCHEDULE = Rule(
    "outbound-schedule", "outbound", Question.OTHERS, Level.ASK,
    "a schedule (cron, timer, beat) is added or changed",
    _doc("Asks when a scheduled job changes: crontabs and `cron.d`, systemd timers (`OnCalendar=`), "
         "App Engine `cron.yaml`, whenever/sidekiq schedules, Laravel's scheduler, Celery beat, "
         "Kubernetes CronJobs, Vercel crons, Serverless `schedule: rate(...)`. CI schedules are named "
         "by `outbound-ci` instead.",
         "A schedule runs unattended, again and again, often against production data.",
         "`CELERY_BEAT_SCHEDULE` edited in `settings.py` → `settings.py: Celery beat schedule`.",
         "outbound-schedule"),
)
RULES = (MESSAGING, SCHEDULE)


# Translations say "notify" and "recipients" as words, not settings.
NOT_CONFIG = PathSet("locales/", "locale/", "i18n/", "translations/", "lang/", "l10n/", "fixtures/", "testdata/",
                     "package-lock.json", "*.lock", "*.min.json")


def is_config(path: str) -> bool:
    name = path.rpartition("/")[2]
    return (name.lower().endswith(CONFIG_SUFFIXES) or CONFIG_PATHS.matches(path)) and not NOT_CONFIG.matches(path)


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    path = change.path
    if change.binary or ci_platform(path) is not None:
        return  # CI files: outbound-ci names their schedules and notifications
    schedule_path = SCHEDULE_PATHS.matches(path)
    if not (is_config(path) or schedule_path):
        return
    found = scan(change, MESSAGING_SIGNALS)
    if found:
        yield Hit(MESSAGING, path, first_line(found), f"{path}: {fold([label for label, _ in found])}")
    timing = scan(change, (*SCHEDULE_SIGNALS, CRONTAB_LINE) if schedule_path else SCHEDULE_SIGNALS)
    if timing or schedule_path:
        detail = fold([label for label, _ in timing]) if timing else "schedule file changes"
        yield Hit(SCHEDULE, path, first_line(timing), f"{path}: {detail}")

"""The risk catalogue end to end: real repositories, staged changes, `guard diff`."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, Repo, make_repo

sys.path.insert(0, str(FIXTURES / "rules"))
import risk_cases as cases  # noqa: E402  (the same realistic files the fixtures are made from)


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path / "project")
    repo.write("README.md", "# shop\n")
    repo.write("app/accounts/migrations/0001_initial.py", cases.DJANGO_0001.lstrip("\n"))
    repo.write("app/accounts/migrations/__init__.py", "")
    repo.write("tests/test_retry.py", cases.PY_TEST.lstrip("\n"))
    repo.add()
    repo.commit("base")
    return repo


def judge(repo: Repo, files: dict[str, str | bytes]) -> tuple[int, dict]:
    for name, content in files.items():
        repo.write(name, content.lstrip("\n") if isinstance(content, str) else content)
    repo.add()
    result = repo.guard("diff", "--assume-ai", "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, result.json


IRREVERSIBLE = {
    "django RemoveField": ("app/accounts/migrations/0002_remove_legacy_id.py", cases.DJANGO_REMOVE_FIELD,
                           "migration-drop-column", "user.legacy_id"),
    "django RunPython without reverse_code": ("app/accounts/migrations/0002_fill.py", cases.DJANGO_RUNPYTHON,
                                              "migration-irreversible", "fill_display_names"),
    "alembic drop_column with a downgrade": ("migrations/versions/3f2a9c1d7b10_drop_fax.py", cases.ALEMBIC_DROP_COLUMN,
                                             "migration-drop-column", "users.fax"),
    "alembic empty downgrade": ("migrations/versions/3f2a9c1d7b10_add_timezone.py", cases.ALEMBIC_EMPTY_DOWN,
                                "migration-irreversible", "downgrade() is empty"),
    "rails remove_column": ("db/migrate/20260110091244_remove_fax_from_users.rb", cases.RAILS_REMOVE_COLUMN,
                            "migration-drop-column", "users.fax"),
    "rails remove_columns": ("db/migrate/20260110091244_remove_legacy.rb",
                             "class RemoveLegacy < ActiveRecord::Migration[7.1]\n  def change\n"
                             "    remove_columns :users, :legacy, :email, type: :string\n  end\nend\n",
                             "migration-drop-column", "remove_columns users (legacy, email): the data in them"),
    # Column operations inside a table's block name the table from the block.
    "knex dropColumn in alterTable": ("migrations/20260110091244_drop_fax.js", cases.KNEX_DROP_COLUMN,
                                      "migration-drop-column", "dropColumn customers.fax"),
    "laravel dropColumn in Schema::table": ("database/migrations/2026_01_10_091244_drop_fax_from_users.php",
                                            cases.LARAVEL_DROP_COLUMN, "migration-drop-column", "dropColumn users.fax"),
    "ecto remove in alter table": ("priv/repo/migrations/20260110091244_drop_legacy_carts.exs", cases.ECTO_DROP,
                                   "migration-drop-column", "remove orders.coupon_code"),
    "prisma DROP TABLE": ("prisma/migrations/20260110091244_drop_invitation/migration.sql", cases.PRISMA_DROP_TABLE,
                          "migration-drop-table", "Invitation"),
    "flyway DELETE without WHERE": ("src/main/resources/db/migration/V7__cleanup.sql", "DELETE FROM t;\n",
                                    "migration-data-loss", "DELETE FROM t"),
}


@pytest.mark.parametrize("case", list(IRREVERSIBLE))
def test_destructive_migration_asks_as_reversible(project: Repo, case: str) -> None:
    path, content, rule, named = IRREVERSIBLE[case]
    code, report = judge(project, {path: content})
    assert code == 1 and report["verdict"] == "ask"
    hits = [f for f in report["findings"] if f["rule"] == rule]
    assert hits, report["findings"]
    assert all(f["question"] == "reversible" and f["category"] == "migration" for f in hits)
    assert any(named in f["message"] and f["path"] == path and f["line"] for f in hits)
    assert any(f["rule"] == "migration-added" for f in report["findings"])


def test_nullable_add_field_asks_but_is_not_irreversible(project: Repo) -> None:
    code, report = judge(project, {"app/accounts/migrations/0002_user_nickname.py": cases.DJANGO_ADD_FIELD})
    assert code == 1
    migration = [f for f in report["findings"] if f["category"] == "migration"]
    assert [f["rule"] for f in migration] == ["migration-added"]
    assert migration[0]["question"] == "others"
    assert not [f for f in report["findings"] if f["question"] == "reversible"]


def test_editing_an_applied_migration_asks(project: Repo) -> None:
    edited = cases.DJANGO_0001.replace("max_length=150", "max_length=200")
    code, report = judge(project, {"app/accounts/migrations/0001_initial.py": edited})
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["migration-edited"]


def test_a_renamed_migration_runs_again_and_a_down_file_runs_on_rollback(project: Repo) -> None:
    old = "db/migrate/20260110091244_remove_fax_from_users.rb"
    judge(project, {old: cases.RAILS_REMOVE_COLUMN})
    project.commit("rails migration")
    project.git("mv", old, old.replace("20260110091244", "20260301000000"))
    _, report = judge(project, {})
    (edited,) = [f for f in report["findings"] if f["rule"] == "migration-edited"]
    assert "run it again" in edited["message"] and "will not" not in edited["message"]
    _, report = judge(project, {"db/migrations/000042_add_index.down.sql": "DROP INDEX idx_users_email;\n"})
    added = next(f for f in report["findings"] if f["rule"] == "migration-added"
                 and f["path"].endswith(".down.sql"))
    assert "runs when the migration is rolled back" in added["message"]


def test_a_test_removed_whole_is_said_once(project: Repo) -> None:
    body = "def test_a():\n    assert 1 + 1 == 2\n\n\ndef test_code():\n    assert f() == 3\n"
    judge(project, {"tests/test_once.py": body})
    project.commit("tests")
    _, report = judge(project, {"tests/test_once.py": body.split("\n\n\n")[0] + "\n"})
    messages = [f["message"] for f in report["findings"] if f["rule"] == "test-deleted"]
    assert messages == ["removes the test test_code"]  # not also "removes 1 assertion"


def test_private_key_asks_as_secret_and_is_never_printed(project: Repo) -> None:
    project.write("deploy/id_ed25519", cases.PRIVATE_KEY)
    project.add()
    for fmt in ("json", "text"):
        result = project.guard("diff", "--assume-ai", "--format", fmt)
        assert result.code == 1
        assert cases.FAKE_B64[:20] not in result.out + result.err
    report = project.guard("diff", "--assume-ai", "--format", "json").json
    assert {f["category"] for f in report["findings"]} == {"secret"}
    assert all(f["question"] == "reversible" for f in report["findings"])
    # The key is said once, by what it holds; a key or credential file that holds nothing
    # recognisable is said by its name.
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("secret-private-key", 1)]
    _, named = judge(project, {"config/master.key": "3f9e2b1c7d4a5e6f8091a2b3c4d5e6f7\n",
                               "android/app/release.keystore": b"\xfe\xed\xfe\xed\x00\x00\x00\x02\x00"})
    assert sorted((f["rule"], f["path"], f["message"]) for f in named["findings"] if f["category"] == "secret") == [
        ("secret-credentials", "config/master.key", "adds the credential file master.key"),
        ("secret-private-key", "android/app/release.keystore", "adds the key file release.keystore"),
        ("secret-private-key", "deploy/id_ed25519", "adds a private key (-----BEGIN OPENSSH PRIVATE KEY-----)"),
    ]


def test_token_message_shows_only_the_prefix(project: Repo) -> None:
    code, report = judge(project, {"scripts/release.py": f'TOKEN = "{cases.GH_TOKEN}"\n'})
    assert code == 1
    messages = " ".join(f["message"] for f in report["findings"])
    assert "ghp_…" in messages and cases.GH_TOKEN[4:] not in messages


def test_pytest_skip_asks_as_tests(project: Repo) -> None:
    skipped = cases.PY_TEST.replace("def test_retry_gives_up", '@pytest.mark.skip(reason="flaky")\ndef test_retry_gives_up')
    code, report = judge(project, {"tests/test_retry.py": skipped})
    assert code == 1
    assert [(f["rule"], f["category"], f["question"]) for f in report["findings"]] == [
        ("test-skipped", "tests", "care")]


def test_deleted_assertion_asks_as_tests(project: Repo) -> None:
    code, report = judge(project, {"tests/test_retry.py": cases.PY_TEST.replace("    assert calls == [1]\n", "")})
    assert code == 1
    assert [(f["rule"], f["category"]) for f in report["findings"]] == [("test-deleted", "tests")]


def test_new_png_is_reported_not_asked(project: Repo) -> None:
    code, report = judge(project, {"docs/img/architecture.png": cases.PNG})
    assert code == 0 and report["verdict"] == "report"
    assert [(f["rule"], f["category"], f["level"]) for f in report["findings"]] == [("binary-file", "binary", "report")]


def test_rule_level_is_configurable(project: Repo) -> None:
    project.write(".guard.toml", '[rules]\nmigration-added = "report"\n\n[[overrides]]\npaths = ["docs/"]\n'
                                 'rules = { binary-file = "ship" }\n')
    project.add()
    project.commit("config")
    code, report = judge(project, {"app/accounts/migrations/0002_user_nickname.py": cases.DJANGO_ADD_FIELD,
                                   "docs/img/logo.png": cases.PNG})
    assert code == 0 and report["verdict"] == "report"
    levels = {f["rule"]: f["level"] for f in report["findings"]}
    assert levels["migration-added"] == "report" and levels["binary-file"] == "ship"


def test_secret_scan_of_a_huge_line_is_fast() -> None:
    import random
    import string
    import time

    from guard.rules.secrets import scan_text

    rng = random.Random(7)
    line = "".join(rng.choice(string.ascii_letters + string.digits + "+/_-:") for _ in range(5_000_000))
    start = time.perf_counter()
    assert list(scan_text(line, ".env")) == []
    assert time.perf_counter() - start < 2.0  # ~0.1 s measured; catastrophic backtracking would be minutes


def test_secret_gate_passes_every_kind() -> None:
    """The per-file gate must let through every kind of secret the patterns know."""
    from guard.rules.secrets import _BODY_GATE, _NEEDLES, scan_text

    examples = {
        "AWS access key ID": "AKIAZQ2RPX7KT4MVN3WB", "AWS secret access key": "aws_secret_access_key = " + "a" * 40,
        "Google API key": "AIza" + "b" * 35, "Azure storage account key": "AccountKey=" + "c" * 86 + "==",
        "Azure AD client secret": "abc1Q~" + "d" * 32, "GitHub token": "ghp_" + "e" * 36,
        "GitHub fine-grained token": "github_pat_" + "f" * 82, "GitLab token": "glpat-" + "g" * 20,
        "GitLab runner token": "glrt-" + "h" * 20, "Slack token": "xoxb-1234567890-" + "i" * 20,
        "Stripe secret key": "sk_live_" + "j" * 24, "Anthropic API key": "sk-ant-api03-" + "k" * 93,
        "OpenAI API key": "sk-proj-" + "l" * 48, "Hugging Face token": "hf_" + "m" * 34,
        "npm token": "npm_" + "n" * 36, "PyPI upload token": "pypi-AgEIcHlwaS5vcmc" + "o" * 60,
        "SendGrid API key": "SG." + "p" * 22 + "." + "q" * 43, "Twilio API key": "SK" + "0" * 32,
        "Telegram bot token": "123456789:AA" + "r" * 33,
        "Slack webhook URL": "https://hooks.slack.com/services/T0/B0/" + "s" * 24,
        "Discord webhook URL": "https://discord.com/api/webhooks/123456/" + "t" * 30,
        "Microsoft Teams webhook URL": "https://acme.webhook.office.com/webhookb2/" + "u" * 30,
    }
    assert set(examples) == set(_NEEDLES)
    padding = b" context line\n" * 1000  # past the size where one automaton scans for every gate
    for kind, text in examples.items():
        added = f"+x = '{text}'\n".encode()
        assert _BODY_GATE.in_added(added) and _BODY_GATE.in_added(padding + added), kind
        assert not _BODY_GATE.in_added(padding + b"-" + added[1:]), kind
        assert any(kind in message for _, message, _ in scan_text(f"x = '{text}'", "config.py")), kind
    for text in ("-----BEGIN RSA PRIVATE KEY-----", "postgres://app:pw123@db", '"type": "service_account"'):
        assert _BODY_GATE.in_added(f"+{text}\n".encode()) and list(scan_text(text, "x.json")), text


def test_a_deleted_manifest_is_not_called_a_data_file_and_a_test_file_is_named(project: Repo) -> None:
    judge(project, {"k8s/deploy.yaml": "kind: Deployment\n", "data/users.json": "[]\n", "exports/users.csv": "id\n",
                    "tests/test_smoke.py": "def test_smoke(): assert True\n"})
    project.commit("files")
    project.git("rm", "-q", "k8s/deploy.yaml", "data/users.json", "exports/users.csv", "tests/test_smoke.py")
    _, report = judge(project, {})
    said = {f["path"]: f["message"] for f in report["findings"] if f["rule"] == "file-deleted"}
    assert said["k8s/deploy.yaml"] == "deletes k8s/deploy.yaml (1 line)"
    assert said["tests/test_smoke.py"] == "deletes the test file tests/test_smoke.py (1 line of tests)"
    assert said["data/users.json"] == "deletes the data file data/users.json"
    assert said["exports/users.csv"] == "deletes the data file exports/users.csv"


def test_data_deleted_reads_what_runs_not_comments_or_docstrings(project: Repo) -> None:
    """Each file mentions a wipe in a comment or a docstring; some also run one, beside it."""
    _, report = judge(project, {
        "app/jobs/cache.py": "# TRUNCATE would lock the table\nreset_cache()\n",
        "web/src/sessions.js": "// DELETE FROM sessions is too slow here\nexport const TTL = 3600;\n",
        "scripts/report.sql": "-- DROP TABLE legacy;\nSELECT 1;\n",
        "shop/accounts.py": 'def deactivate(user):\n    """Never call User.delete_all here."""\n    user.save()\n',
        "app/jobs/purge.py": '# nightly\ncursor.execute("DELETE FROM sessions")  # TRUNCATE is slower\n',
        "internal/store/logs.go": "/* DROP TABLE logs would lose the audit trail */\ndb.Exec(`TRUNCATE logs`) // nightly\n",
        "scripts/cleanup.sql": "-- nightly\nDELETE FROM sessions;\n",
        "app/jobs/carts.py": 'cursor.execute("TRUNCATE carts  # now")\n',
        "scripts/reset.sh": 'curl https://example.com/#reset && psql -c "TRUNCATE logs"\n',
        "lib/tasks/cleanup.rake": "User.delete_all # DROP TABLE users is for the GDPR job\n",
        "shop/carts.py": cases.CART_PURGE,
    })
    found = sorted((f["path"], f["line"], f["message"].split(":")[0])
                   for f in report["findings"] if f["rule"] == "data-deleted")
    assert found == [
        ("app/jobs/carts.py", 1, "TRUNCATE carts"),
        ("app/jobs/purge.py", 2, "DELETE FROM sessions without WHERE"),
        ("internal/store/logs.go", 2, "TRUNCATE logs"),
        ("lib/tasks/cleanup.rake", 1, "User.delete_all"),
        ("scripts/cleanup.sql", 2, "DELETE FROM sessions without WHERE"),
        ("scripts/reset.sh", 1, "TRUNCATE logs"),
        ("shop/carts.py", 5, "DELETE FROM shop_cart without WHERE"),
    ]


def test_data_deleted_names_every_table_and_a_placeholder_for_one(project: Repo) -> None:
    """A table name code fills in is said as written, not read as the keyword before it; a
    TRUNCATE of several tables names them all."""
    _, report = judge(project, {
        "app/jobs/purge.py": 'def purge(cur, table):\n    cur.execute(f"DELETE FROM {table}")\n',
        "app/jobs/legacy.py": 'def purge(cur, table):\n    cur.execute("DELETE FROM %s" % table)\n',
        "scripts/reset_staging.sh": 'psql "$STAGING_URL" -c "TRUNCATE events, sessions CASCADE;"\n',
        "lib/tasks/purge.rake": 'task :purge do\n  db.execute("TRUNCATE TABLE #{table}")\nend\n',
        "app/jobs/bound.py": 'cur.execute("DELETE FROM ?", [table])\n',
    })
    found = sorted((f["path"], f["message"]) for f in report["findings"] if f["rule"] == "data-deleted")
    assert found == [
        ("app/jobs/legacy.py", "DELETE FROM %s without WHERE: every row is deleted"),
        ("app/jobs/purge.py", "DELETE FROM {table} without WHERE: every row is deleted"),
        ("lib/tasks/purge.rake", "TRUNCATE #{table}: every row is deleted"),
        ("scripts/reset_staging.sh",
         "TRUNCATE events, sessions: every row is deleted (CASCADE: tables that reference them are emptied too)"),
    ]


LATER = 'a later "git add ." commits'
# (.gitignore before, after, what secret-unignored says; nothing when it must stay quiet)
UNIGNORED = {
    "env removed": (".env\n*.log\n", "*.log\n", [f"no longer ignores .env (line removed): {LATER} it"]),
    "key and credential patterns removed": (
        "*.pem\n*.key\nid_rsa*\ncredentials.json\nsecrets.*\n*.tfvars\n.npmrc\nbuild/\n", "build/\n",
        [f"no longer ignores {p} (line removed): {LATER} {w}" for p, w in (
            ("*.pem", "them"), ("*.key", "them"), ("id_rsa*", "them"), ("credentials.json", "it"),
            ("secrets.*", "them"), ("*.tfvars", "them"), (".npmrc", "it"))]),
    "env narrowed to one file": (".env\n", ".env.local\n", [f"no longer ignores .env (line removed): {LATER} it"]),
    "keys narrowed to a folder": ("*.pem\n", "certs/*.pem\n", [f"no longer ignores *.pem (line removed): {LATER} them"]),
    "env files narrowed to .env": (".env*\n", ".env\n", [f"no longer ignores .env* (line removed): {LATER} them"]),
    "env files split in two": (".env*\n", ".env\n.env.*\n", []),
    "key files narrowed to the key": ("id_rsa*\n", "id_rsa\n", []),
    "env included again": (".env*\n", ".env*\n!.env\n", [f"no longer ignores .env (!.env added): {LATER} it"]),
    "production env included again": (".env.*\n", ".env.*\n!.env.production\n",
                                      [f"no longer ignores .env.production (!.env.production added): {LATER} it"]),
    "env widened": (".env\n", ".env*\n", []),
    "env widened to any name": (".env\n", "*.env\n", []),
    "env at any depth": (".env\n", "**/.env\n", []),
    "env moved": (".env\n*.log\n", "*.log\n.env\n", []),
    "a comment": ("# .env\n*.pem\n", "*.pem\n", []),
    "a virtualenv folder": (".env/\n*.log\n", "*.log\n", []),
    "a template included again": (".env*\n", ".env*\n!.env.example\n!.env.sample\n", []),
    "other patterns": ("*.log\nnode_modules/\n.env\n", ".env\n", []),
}


@pytest.mark.parametrize("case", list(UNIGNORED))
def test_a_gitignore_that_stops_ignoring_secrets_is_reported(tmp_path: Path, case: str) -> None:
    before, after, said = UNIGNORED[case]
    repo = make_repo(tmp_path / "repo")
    repo.write(".gitignore", before)
    repo.add()
    repo.commit("base")
    code, report = judge(repo, {".gitignore": after})
    hits = [f for f in report["findings"] if f["rule"] == "secret-unignored"]
    assert [f["message"] for f in hits] == said
    assert all((f["level"], f["category"], f["question"]) == ("report", "secret", "reversible") for f in hits)
    assert all(f["line"] for f in hits)
    assert (code, report["verdict"]) == ((0, "report") if said else (0, "ship"))


def test_an_unignored_env_file_is_reported_then_asked_about_when_added(project: Repo) -> None:
    judge(project, {".gitignore": "__pycache__/\n.env\n*.log\n"})
    project.commit("ignore .env")
    project.write(".env", "DATABASE_PASSWORD=hunter2-but-longer\n")
    project.write(".gitignore", "__pycache__/\n*.log\n")
    project.add(".gitignore")
    result = project.guard("diff", "--assume-ai", "--format", "json")
    assert result.code == 0 and result.json["verdict"] == "report"
    assert [(f["rule"], f["path"], f["line"]) for f in result.json["findings"]] == [
        ("secret-unignored", ".gitignore", 2)]
    project.commit("stop ignoring .env")
    code, report = judge(project, {})  # the next `git add .` stages the file
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["secret-credentials"]


def test_a_deleted_gitignore_is_reported_with_the_file_deletion(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.write("app/.gitignore", "*.pem\n*.log\n")
    repo.add()
    repo.commit("base")
    repo.git("rm", "-q", "app/.gitignore")
    _, report = judge(repo, {})
    hits = [(f["rule"], f["path"], f["line"], f["message"]) for f in report["findings"]]
    assert ("secret-unignored", "app/.gitignore", None, f"no longer ignores *.pem (file deleted): {LATER} them") in hits
    assert "file-deleted" in {rule for rule, *_ in hits}


def test_the_summary_keeps_each_finding_whole(project: Repo) -> None:
    """Findings are joined with semicolons: a message may hold commas of its own."""
    project.git("rm", "-q", "tests/test_retry.py")
    _, report = judge(project, {"app/accounts/migrations/0002_remove_legacy_id.py": cases.DJANGO_REMOVE_FIELD})
    asked = [f["message"] for f in report["findings"] if f["level"] == "ask"]
    assert len(asked) == 3 and "," in asked[0], asked
    assert report["summary"].endswith(f" · {asked[0]}; {asked[1]}; and 1 more finding"), report["summary"]

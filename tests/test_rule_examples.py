"""A rule's documented example gives the message its doc says: the change the example describes
is made in a real repository, and the message quoted after the example's arrow is in the output."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_repo

from guard.rules import all_rules

WORKFLOW = "name: CI\non:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" \
           "      - run: guard ci\n      - run: pytest -q\n"
CREATE_USERS = "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n" \
               "      t.string :email\n    end\n  end\nend\n"
DJANGO_0001 = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = []\n"
NICKNAME = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n" \
           "    dependencies = [(\"app\", \"0001_initial\")]\n" \
           "    operations = [migrations.AddField(\"user\", \"nickname\", models.CharField(max_length=30, null=True))]\n"
MIGRATE = "db/migrate/20240101000000_create_users.rb"
DROP_AUDIT_LOG = 'from alembic import op\n\nrevision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n' \
                 '    op.drop_table("audit_log")\n\n\ndef downgrade():\n    op.create_table("audit_log")\n'
REMOVE_EMAIL = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n" \
               "    operations = [migrations.RemoveField(model_name=\"user\", name=\"email\")]\n"
BACKFILL = "from django.db import migrations\n\n\ndef backfill_slugs(apps, schema_editor):\n    pass\n\n\n" \
           "class Migration(migrations.Migration):\n    operations = [migrations.RunPython(backfill_slugs)]\n"
OPENSSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n" \
              "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" \
              "-----END OPENSSH PRIVATE KEY-----\n"
RETRY_TEST = "def test_retry_gives_up():\n    assert True\n"
API_TEST = "def test_ok(response):\n    assert response.status == 200\n    assert response.ok\n"
BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
ZONE = "$ORIGIN example.com.\n@ IN A 192.0.2.1\n"
PRE_COMMIT_CONFIG = "repos:\n-   repo: local\n    hooks:\n      - id: guard\n      - id: lint\n"

# rule id: (files committed first, files of the change)
EXAMPLES: dict[str, tuple[dict[str, str | bytes], dict[str, str | bytes]]] = {
    "data-deleted": ({"scripts/cleanup.sql": "-- nightly\n"},
                     {"scripts/cleanup.sql": "-- nightly\nDELETE FROM sessions;\n"}),
    "migration-drop-table": ({}, {"alembic/versions/b2_drop_audit_log.py": DROP_AUDIT_LOG}),
    "migration-drop-column": ({}, {"app/migrations/0008_remove_user_email.py": REMOVE_EMAIL}),
    "migration-data-loss": ({}, {"db/migration/V7__cleanup.sql": "DELETE FROM sessions;\n"}),
    "migration-irreversible": ({}, {"app/migrations/0009_backfill_slugs.py": BACKFILL}),
    "secret-private-key": ({}, {"deploy/id_ed25519": OPENSSH_KEY,
                                "android/app/release.keystore": b"\xfe\xed\xfe\xed\x00\x00\x00\x02\x00\x00"}),
    "secret-webhook": ({}, {"config/ci.yml": "SLACK_WEBHOOK: https://hooks.slack.com/services/T01ABCDEF/B01ABCDEF/"
                                             "abcdefghijklmnopqrstuvwx\n"}),
    "secret-credentials": ({}, {".env": "DATABASE_PASSWORD=hunter2hunter2\n"}),
    "secret-unignored": ({".gitignore": "node_modules/\n.env\n"}, {".gitignore": "node_modules/\n!.env.production\n"}),
    "test-skipped": ({"tests/test_retry.py": RETRY_TEST},
                     {"tests/test_retry.py": "import pytest\n\n\n@pytest.mark.skip(reason=\"flaky\")\n" + RETRY_TEST}),
    "test-deleted": ({"tests/test_api.py": API_TEST},
                     {"tests/test_api.py": API_TEST.replace("    assert response.status == 200\n", "")}),
    "coverage-lowered": ({"pyproject.toml": "[tool.coverage.report]\nfail_under = 90\n"},
                         {"pyproject.toml": "[tool.coverage.report]\nfail_under = 75\n"}),
    "outbound-infra": ({"infra/main.tf": "terraform {}\n"}, {"infra/main.tf": "terraform {}\n\n" + BUCKET}),
    "outbound-infra-destroy": ({"infra/s3.tf": BUCKET},
                               {"infra/s3.tf": BUCKET.replace("}\n", "  force_destroy = true\n}\n")}),
    "outbound-dns": ({"zones/example.com.zone": ZONE},
                     {"zones/example.com.zone": ZONE + "@ IN MX 10 mail.example.net.\n"}),
    "outbound-messaging": ({"app/settings.py": "DEBUG = False\n"},
                           {"app/settings.py": 'DEBUG = False\nEMAIL_HOST = "smtp.sendgrid.net"\n'}),
    "outbound-schedule": ({"settings.py": "CELERY_BEAT_SCHEDULE = {'purge': {'task': 'purge', 'schedule': 60}}\n"},
                          {"settings.py": "CELERY_BEAT_SCHEDULE = {'purge': {'task': 'purge', 'schedule': 30}}\n"}),
    "dependency-manifest": ({"requirements.txt": "django==4.2\n"},
                            {"requirements.txt": "django==5.0\nrequests==2.32.0\n"}),
    "dependency-lockfile": ({"go.sum": "a v1 h1:x\nb v1 h1:y\nc v1 h1:z\n"},
                            {"go.sum": "a v1 h1:x\nd v1 h1:1\nd v1/go.mod h1:2\ne v1 h1:3\ne v1/go.mod h1:4\n"}),
    "codeowners-owned": ({"CODEOWNERS": "# owners\n\n# billing\n/src/billing/ @acme/billing\n",
                          "src/billing/invoice.py": "TOTAL = 1\n"}, {"src/billing/invoice.py": "TOTAL = 2\n"}),
    "policy-config": ({".guard.toml": 'applies-to = "ai"\n'},
                      {".guard.toml": 'applies-to = "ai"\n\n[rules]\ndependency-manifest = "off"\n'}),
    "policy-hooks": ({".pre-commit-config.yaml": PRE_COMMIT_CONFIG},
                     {".pre-commit-config.yaml": PRE_COMMIT_CONFIG.replace("id: lint", "id: lint-all")}),
    "sensitive-governance": ({"LICENSE": "MIT\n"}, {"LICENSE": "MIT License\n"}),
    "sensitive-path": ({".guard.toml": 'sensitive = ["src/auth/**", "billing/", "!billing/docs/"]\n',
                        "src/auth/session.py": "TTL = 1\n"}, {"src/auth/session.py": "TTL = 2\n"}),
    "binary-file": ({}, {"docs/img/architecture.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00"}),
    "lint-suppression": ({"app.py": "x = 1\n"},
                         {"app.py": "x = 1\nresult = client.fetch()  # type: ignore[attr-defined]\n"}),
    "migration-added": ({"app/migrations/__init__.py": "", "app/migrations/0001_initial.py": DJANGO_0001},
                        {"app/migrations/0007_user_nickname.py": NICKNAME}),
    "migration-edited": ({MIGRATE: CREATE_USERS},
                         {MIGRATE: CREATE_USERS.replace("t.string :email", "t.string :email, null: false")}),
    "secret-token": ({}, {"scripts/release.py": 'token = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"\n'}),
    "outbound-ci": ({".github/workflows/ci.yml": WORKFLOW},
                    {".github/workflows/ci.yml": WORKFLOW.replace("  pull_request:", "  pull_request_target:")}),
    "outbound-deploy": ({"Procfile": "web: gunicorn app:app\n"}, {"Procfile": "web: gunicorn app:app --workers 4\n"}),
    "outbound-release": ({".github/workflows/ci.yml": WORKFLOW},
                         {".github/workflows/ci.yml": WORKFLOW + "      - run: npm publish\n"}),
    "codeowners-edited": ({"CODEOWNERS": "* @acme/dev\n/infra/ @acme/sre\n"}, {"CODEOWNERS": "* @acme/dev\n"}),
    "policy-ci": ({".github/workflows/ci.yml": WORKFLOW},
                  {".github/workflows/ci.yml": WORKFLOW.replace("      - run: guard ci\n", "")}),
}
RULES = {rule.id: rule for rule in all_rules()}


def documented(rule_id: str) -> str:
    """The message the example quotes after its (last) arrow, without a trailing '...'."""
    example = RULES[rule_id].doc.split("## Example")[1].split("## Options")[0]
    quoted = example.rsplit("→", 1)[1].split("`")[1].replace("\n", " ")
    return quoted.removesuffix("...").strip()


@pytest.mark.parametrize("rule_id", list(EXAMPLES))
def test_the_documented_example_is_what_the_rule_says(rule_id: str, tmp_path: Path) -> None:
    before, after = EXAMPLES[rule_id]
    repo = make_repo(tmp_path / "repo")
    for name, text in {"README.md": "# shop\n", **before}.items():
        repo.write(name, text)
    repo.add()
    repo.commit("base")
    for name, text in after.items():
        repo.write(name, text)
    repo.add()
    result = repo.guard("diff", "--assume-ai", "--format", "json")
    said = [f["message"] for f in result.json["findings"] if f["rule"] == rule_id]
    assert any(documented(rule_id) in message for message in said), (documented(rule_id), said)

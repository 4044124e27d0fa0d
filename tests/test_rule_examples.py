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

# rule id: (files committed first, files of the change)
EXAMPLES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
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

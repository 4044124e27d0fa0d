"""Outbound, dependency, ownership, policy and sensitive rules in real scratch repositories:
staged changes, commits and ranges, with the committed config and CODEOWNERS."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, Result, clean_env, make_repo

WORKFLOW = """name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332
      - run: pytest -q
"""
SETTINGS = 'DEBUG = False\nALLOWED_HOSTS = ["example.com"]\n'


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path / "project")
    repo.write("README.md", "# shop\n")
    repo.write("app/settings.py", SETTINGS)
    repo.write(".github/workflows/ci.yml", WORKFLOW)
    repo.write("requirements.txt", "django==4.2.11\n")
    repo.write("LICENSE", "MIT License\n\nCopyright (c) 2024 Acme\n")
    repo.write("src/billing/invoice.py", "def total(items):\n    return sum(items)\n")
    repo.write("src/web/views.py", "def index():\n    return 'ok'\n")
    repo.add()
    repo.commit("base")
    return repo


def judge(repo: Repo, *args: str, env: dict[str, str] | None = None) -> Result:
    result = repo.guard("diff", *args, "--format", "json", "--assume-ai", env=env)
    assert result.code in (0, 1), result.err
    return result


def by_rule(result: Result) -> dict[str, dict]:
    return {f["rule"]: f for f in result.json["findings"]}


def staged(repo: Repo, files: dict[str, str]) -> Result:
    for name, text in files.items():
        repo.write(name, text)
    repo.add(*files)
    return judge(repo)


def assert_outbound(result: Result, rule: str) -> dict:
    assert result.code == 1
    finding = by_rule(result)[rule]
    assert (finding["category"], finding["question"], finding["level"]) == ("outbound", "others", "ask")
    return finding


def test_one_line_workflow_edit_asks_as_outbound(project: Repo) -> None:
    result = staged(project, {".github/workflows/ci.yml": WORKFLOW.replace("pytest -q", "pytest -q -x")})
    finding = assert_outbound(result, "outbound-ci")
    assert finding["path"] == ".github/workflows/ci.yml"


def test_workflow_names_pull_request_target(project: Repo) -> None:
    result = staged(project, {".github/workflows/ci.yml": WORKFLOW.replace("pull_request", "pull_request_target")})
    assert "pull_request_target" in assert_outbound(result, "outbound-ci")["message"]


def test_workflow_names_flow_permissions_secrets_and_head_ref(project: Repo) -> None:
    edited = WORKFLOW.replace("jobs:", "permissions: { packages: write }\njobs:") + \
        '      - run: echo "${{ github.head_ref }}"\n        env:\n          DB_URL: ${{ secrets.PROD_DB_URL }}\n'
    message = assert_outbound(staged(project, {".github/workflows/ci.yml": edited}), "outbound-ci")["message"]
    assert "packages: write" in message and message.endswith(", access to the secret PROD_DB_URL")
    assert "github.head_ref" in message


def test_a_release_workflow_says_what_it_publishes(project: Repo) -> None:
    release = WORKFLOW.replace("pytest -q", "twine upload dist/*")
    finding = assert_outbound(staged(project, {".github/workflows/release.yml": release}), "outbound-release")
    assert finding["message"] == "release config .github/workflows/release.yml: publishes to PyPI"


def test_terraform_resource_asks_as_outbound(project: Repo) -> None:
    result = staged(project, {"infra/main.tf": 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'})
    assert "aws_s3_bucket.logs" in assert_outbound(result, "outbound-infra")["message"]


def test_force_destroy_is_irreversible(project: Repo) -> None:
    result = staged(project, {"infra/main.tf": 'resource "aws_s3_bucket" "logs" {\n  force_destroy = true\n}\n'})
    finding = by_rule(result)["outbound-infra-destroy"]
    assert finding["question"] == "reversible" and "force_destroy" in finding["message"]


def test_a_protection_turned_off_is_said_once(project: Repo) -> None:
    db = 'resource "aws_db_instance" "main" {{\n  deletion_protection = {}\n  lifecycle {{\n    prevent_destroy = {}\n  }}\n}}\n'
    project.write("infra/db.tf", db.format("true", "true"))
    project.add()
    project.commit("db")
    result = staged(project, {"infra/db.tf": db.format("false", "false")})
    assert by_rule(result)["outbound-infra-destroy"]["message"] == \
        "Terraform infra/db.tf: deletion_protection = false, prevent_destroy = false"


BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'
MOVE = "\nmoved {\n  from = aws_s3_bucket.logs\n  to   = aws_s3_bucket.archive\n}\n"


def committed(repo: Repo, files: dict[str, str]) -> None:
    for name, text in files.items():
        repo.write(name, text)
    repo.add(*files)
    repo.commit("infra")


def test_terraform_rename_with_a_moved_block_is_a_move_not_a_destroy(project: Repo) -> None:
    committed(project, {"infra/main.tf": BUCKET})
    result = staged(project, {"infra/main.tf": BUCKET.replace('"logs"', '"archive"') + MOVE})
    assert "outbound-infra-destroy" not in by_rule(result)
    assert assert_outbound(result, "outbound-infra")["message"] == \
        "Terraform infra/main.tf: moves resource aws_s3_bucket.logs to aws_s3_bucket.archive"


def test_moved_block_in_another_hunk_of_the_file_saves_the_resource(project: Repo) -> None:
    filler = "".join(f'variable "v{i}" {{\n  default = {i}\n}}\n\n' for i in range(12))
    committed(project, {"infra/main.tf": BUCKET + "\n" + filler})
    result = staged(project, {"infra/main.tf": BUCKET.replace('"logs"', '"archive"') + "\n" + filler + MOVE})
    assert "outbound-infra-destroy" not in by_rule(result)
    assert "moves resource aws_s3_bucket.logs" in by_rule(result)["outbound-infra"]["message"]


def test_moved_text_in_a_heredoc_does_not_save_the_resource(project: Repo) -> None:
    committed(project, {"infra/main.tf": BUCKET})
    heredoc = 'resource "aws_ssm_document" "notes" {\n  content = <<-EOT\n' + MOVE + '  EOT\n}\n'
    result = staged(project, {"infra/main.tf": BUCKET.replace('"logs"', '"archive"') + heredoc})
    assert "removes resource aws_s3_bucket.logs" in by_rule(result)["outbound-infra-destroy"]["message"]


FORGET = "\nremoved {\n  from = aws_s3_bucket.logs\n\n  lifecycle {\n    destroy = false\n  }\n}\n"
FORGOTTEN = ("forgets resource aws_s3_bucket.logs (removed {} with destroy = false: Terraform stops managing it, "
             "the real one is kept)")


@pytest.mark.parametrize(("removed", "said"), [
    (FORGET, FORGOTTEN),
    ("\nremoved {\n  from = aws_s3_bucket.logs\n  lifecycle { destroy = false } # keep the data\n}\n", FORGOTTEN),
    (FORGET.replace("false", "true"), "removes resource aws_s3_bucket.logs (destroyed on apply)"),
], ids=["destroy false", "lifecycle on one line", "destroy true"])
def test_a_removed_block_says_whether_the_resource_is_destroyed(project: Repo, removed: str, said: str) -> None:
    committed(project, {"infra/main.tf": BUCKET})
    result = staged(project, {"infra/main.tf": 'variable "region" {}\n' + removed})
    assert by_rule(result)["outbound-infra-destroy"]["message"] == f"Terraform infra/main.tf: {said}"


def test_a_removed_block_in_another_file_is_said_where_it_is(project: Repo) -> None:
    committed(project, {"infra/main.tf": BUCKET + 'variable "region" {}\n'})
    result = staged(project, {"infra/main.tf": 'variable "region" {}\n', "infra/removed.tf": FORGET.lstrip("\n")})
    said = {f["path"]: f["message"] for f in result.json["findings"] if f["rule"] == "outbound-infra-destroy"}
    assert said == {"infra/main.tf": "Terraform infra/main.tf: removes resource aws_s3_bucket.logs (destroyed on apply)",
                    "infra/removed.tf": f"Terraform infra/removed.tf: {FORGOTTEN}"}


def test_moved_module_call_is_named_as_a_move(project: Repo) -> None:
    call = 'module "{}" {{\n  source = "./modules/net"\n}}\n'
    committed(project, {"infra/main.tf": call.format("network")})
    result = staged(project, {"infra/main.tf": call.format("net") + "\nmoved {\n  from = module.network\n  to   = module.net\n}\n"})
    assert by_rule(result)["outbound-infra"]["message"] == "Terraform infra/main.tf: moves module.network to module.net"


def test_slack_webhook_in_yaml_asks_without_printing_the_url(project: Repo) -> None:
    token = "T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx"
    result = staged(project, {"config/alerts.yml": f"alerts:\n  slack: https://hooks.slack.com/services/{token}\n"})
    finding = assert_outbound(result, "outbound-messaging")
    assert "Slack webhook" in finding["message"]
    assert token not in result.out


def test_django_smtp_settings_ask_as_outbound(project: Repo) -> None:
    result = staged(project, {"app/settings.py": SETTINGS + 'EMAIL_HOST = "smtp.sendgrid.net"\nEMAIL_PORT = 587\n'})
    assert "EMAIL_HOST" in assert_outbound(result, "outbound-messaging")["message"]


def test_plain_settings_edit_is_not_outbound(project: Repo) -> None:
    result = staged(project, {"app/settings.py": SETTINGS.replace("False", "True")})
    assert not [f for f in result.json["findings"] if f["category"] == "outbound"]


def test_new_requirement_asks_as_dependency_and_names_it(project: Repo) -> None:
    result = staged(project, {"requirements.txt": "django==5.0.4\nrequests==2.32.0\n"})
    assert result.code == 1
    finding = by_rule(result)["dependency-manifest"]
    assert (finding["category"], finding["question"]) == ("dependency", "others")
    assert "adds requests 2.32.0" in finding["message"]
    assert "django 4.2.11 → 5.0.4" in finding["message"]


def test_a_one_line_dependency_array_names_what_changed(project: Repo) -> None:
    pyproject = '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["requests>=2.31", "django[argon2]==4.2"]\n'
    committed(project, {"pyproject.toml": pyproject})
    result = staged(project, {"pyproject.toml": pyproject.replace(
        '"django[argon2]==4.2"]', "'django[argon2]==5.0', \"tenacity>=8.2\"]  # retries")})
    assert by_rule(result)["dependency-manifest"]["message"] == \
        "pyproject.toml: adds tenacity >=8.2; bumps django 4.2 → 5.0"


def test_a_go_version_bump_is_named(project: Repo) -> None:
    """The go directive is the Go version everyone who builds the module needs."""
    gomod = "module github.com/acme/shop\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n"
    committed(project, {"go.mod": gomod})
    result = staged(project, {"go.mod": gomod.replace("go 1.22", "go 1.23\n\ntoolchain go1.23.4")})
    assert by_rule(result)["dependency-manifest"]["message"] == "go.mod: adds toolchain go1.23.4; bumps go 1.22 → 1.23"


PYPROJECT = """[project]
name = "shop"
version = "1.0"
dependencies = [
    "django>=4.2",
]

[tool.guard]
applies-to = "all"
sensitive = []
scope = []
components = []
generated = []

[tool.ruff]
target-version = "py311"
src = ["src"]
extend-exclude = ["migrations"]
fix = false
line-length = 88
"""


POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.5</version>
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>billing</artifactId>
  <version>1.2.0-SNAPSHOT</version>
  <name>billing</name>
  <!-- <version>0.9</version> was the last release from the old repository -->
  <dependencies>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>2.0.13</version>
    </dependency>
  </dependencies>
</project>
"""
GRADLE = """plugins {
    id("org.jetbrains.kotlin.jvm") version "1.9.24"
}

group = "com.acme"
version = "0.7.0"

dependencies {
    implementation("com.squareup.okhttp3:okhttp:4.12.0")
}
"""


def test_the_projects_own_version_bump_is_not_a_dependency_change(project: Repo) -> None:
    """A release bumps the project's own version: Maven's <version> under <project>, Gradle's
    `version = ...`. The parent's version, a dependency's and a plugin's still are changes."""
    project.write("pom.xml", POM)
    project.write("build.gradle.kts", GRADLE)
    project.add()
    project.commit("build files")
    release = staged(project, {"pom.xml": POM.replace("1.2.0-SNAPSHOT", "1.3.0-SNAPSHOT"),
                               "build.gradle.kts": GRADLE.replace('"0.7.0"', '"0.8.0"')})
    assert "dependency-manifest" not in by_rule(release) and release.json["verdict"] == "ship", release.json
    both = staged(project, {"pom.xml": POM.replace("1.2.0-SNAPSHOT", "1.3.0-SNAPSHOT").replace("2.0.13", "2.0.16")})
    assert by_rule(both)["dependency-manifest"]["message"] == "pom.xml: bumps slf4j-api 2.0.13 → 2.0.16"
    parent = staged(project, {"pom.xml": POM.replace("3.2.5", "3.3.0"),
                              "build.gradle.kts": GRADLE.replace('version "1.9.24"', 'version "2.0.0"')})
    assert sorted((f["path"], f["message"]) for f in parent.json["findings"]) == [
        ("build.gradle.kts", "build.gradle.kts: edits dependencies"),
        ("pom.xml", "pom.xml: bumps spring-boot-starter-parent 3.2.5 → 3.3.0")]
    comment = staged(project, {"pom.xml": POM.replace("<version>0.9</version>", "<version>0.9.1</version>")})
    assert not [f for f in comment.json["findings"] if f["path"] == "pom.xml"], comment.json["findings"]


def test_pyproject_tool_ruff_only_fires_neither_dependency_nor_policy(project: Repo) -> None:
    project.write("pyproject.toml", PYPROJECT)
    project.add()
    project.commit("pyproject")
    # The hunk is far from the [tool.ruff] header: only the whole file places it.
    result = staged(project, {"pyproject.toml": PYPROJECT.replace("line-length = 88", "line-length = 100")})
    rules = by_rule(result)
    assert "dependency-manifest" not in rules and "policy-config" not in rules, rules
    deps = staged(project, {"pyproject.toml": PYPROJECT.replace('    "django>=4.2",\n', '    "django>=4.2",\n    "httpx>=0.27",\n')})
    assert "httpx" in by_rule(deps)["dependency-manifest"]["message"]
    policy = staged(project, {"pyproject.toml": PYPROJECT.replace("generated = []", 'generated = ["*.gen.py"]')})
    assert by_rule(policy)["policy-config"]["category"] == "policy"
    assert "dependency-manifest" not in by_rule(policy)
    # A table added after [project], with the blank line before it, which falls in [project].
    short = '[project]\nname = "shop"\ndependencies = ["django>=4.2"]\n'
    project.write("pyproject.toml", short)
    project.add()
    project.commit("short pyproject")
    ruff = staged(project, {"pyproject.toml": short + "\n[tool.ruff]\nline-length = 100\n"})
    assert "dependency-manifest" not in by_rule(ruff), by_rule(ruff)


def test_pyproject_sections_in_worktree_and_commit_modes(project: Repo) -> None:
    project.write("pyproject.toml", PYPROJECT)
    project.add()
    project.commit("pyproject")
    project.write("pyproject.toml", PYPROJECT.replace("line-length = 88", "line-length = 100"))
    worktree = judge(project, "--worktree")
    assert "dependency-manifest" not in by_rule(worktree) and "policy-config" not in by_rule(worktree)
    project.add()
    project.commit("ruff")
    committed = judge(project, "HEAD")
    assert "dependency-manifest" not in by_rule(committed) and "policy-config" not in by_rule(committed)
    project.write("pyproject.toml", PYPROJECT.replace("scope = []", 'scope = ["src/**"]'))
    assert "policy-config" in by_rule(judge(project, "--worktree"))


def test_new_guard_toml_asks_as_policy(project: Repo) -> None:
    result = staged(project, {".guard.toml": '[rules]\ndependency-manifest = "off"\n'})
    assert result.code == 1
    finding = by_rule(result)["policy-config"]
    assert (finding["category"], finding["question"]) == ("policy", "care")
    # The staged config does not apply to the change it is part of.
    assert "dependency-manifest" in by_rule(staged(project, {"requirements.txt": "django==5.0.4\n"}))


PRE_COMMIT = """repos:
  - repo: local
    hooks:
      - id: guard
        name: guard
        entry: guard hook pre-commit
        language: system
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.4.4
    hooks:
      - id: ruff
"""


def test_hook_config_edits_say_what_policy_hooks_documents(project: Repo) -> None:
    from guard.rules.policy_files import HOOKS

    committed(project, {".pre-commit-config.yaml": PRE_COMMIT})
    example = HOOKS.doc.split("## Example")[1].split("## Options")[0].replace("\n", " ")
    removed = staged(project, {".pre-commit-config.yaml": PRE_COMMIT.replace("      - id: guard\n", "")})
    bumped = staged(project, {".pre-commit-config.yaml": PRE_COMMIT.replace("v0.4.4", "v0.4.8")})
    for result, said in ((removed, "removes guard from the hooks"), (bumped, "edits hook configuration (where guard runs)")):
        message = by_rule(result)["policy-hooks"]["message"]
        assert message == f".pre-commit-config.yaml: {said}"
        assert f"`{message}`" in example, example


def test_license_edit_asks_as_sensitive(project: Repo) -> None:
    result = staged(project, {"LICENSE": "MIT License\n\nCopyright (c) 2024-2026 Acme\n"})
    assert result.code == 1
    finding = by_rule(result)["sensitive-governance"]
    assert (finding["category"], finding["question"]) == ("sensitive", "care")


def test_configured_sensitive_paths_and_exclusions(project: Repo) -> None:
    project.write(".guard.toml", 'sensitive = ["src/billing/**", "!src/billing/README.md"]\n')
    project.add()
    project.commit("config")
    result = staged(project, {"src/billing/invoice.py": "def total(items):\n    return round(sum(items), 2)\n"})
    assert "src/billing/**" in by_rule(result)["sensitive-path"]["message"]
    project.git("reset", "-q", "--hard")
    excluded = staged(project, {"src/billing/README.md": "# Billing\n"})
    assert "sensitive-path" not in by_rule(excluded)


CODEOWNERS = """# Default owners
*                 @acme/maintainers
/src/billing/     @acme/billing finance-lead@example.com
/src/web/         @acme/web author@example.com
"""


def test_file_owned_by_another_team_asks_with_owners_named(project: Repo) -> None:
    project.write(".github/CODEOWNERS", CODEOWNERS)
    project.add()
    project.commit("owners")
    result = staged(project, {"src/billing/invoice.py": "def total(items):\n    return round(sum(items), 2)\n"})
    assert result.code == 1
    finding = by_rule(result)["codeowners-owned"]
    assert (finding["category"], finding["question"]) == ("ownership", "others")
    assert "@acme/billing" in finding["message"] and "finance-lead@example.com" in finding["message"]
    assert ".github/CODEOWNERS line 3" in finding["message"]


def test_author_among_the_owners_does_not_fire(project: Repo) -> None:
    project.write("CODEOWNERS", CODEOWNERS)
    project.add()
    project.commit("owners")
    # author@example.com (the committing identity) owns src/web/.
    result = staged(project, {"src/web/views.py": "def index():\n    return 'hello'\n"})
    assert "codeowners-owned" not in by_rule(result)
    # Someone else committing the same change is asked.
    other = clean_env(GIT_AUTHOR_EMAIL="mallory@example.com")
    assert "codeowners-owned" in by_rule(judge(project, env=other))


def test_ownership_me_config(project: Repo) -> None:
    project.write("docs/CODEOWNERS", CODEOWNERS)
    project.write(".guard.toml", '[ownership]\nme = ["@acme/billing"]\n')
    project.add()
    project.commit("owners and config")
    result = staged(project, {"src/billing/invoice.py": "def total(items):\n    return 0\n"})
    assert "codeowners-owned" not in by_rule(result)


def test_commit_and_range_use_the_commit_author(project: Repo) -> None:
    project.write(".github/CODEOWNERS", "/src/billing/ @finance\n")
    project.add()
    base = project.commit("owners")
    project.write("src/billing/invoice.py", "def total(items):\n    return 0\n")
    project.add()
    # GitHub's private e-mail 12345+finance@users.noreply.github.com is @finance.
    mine = project.commit("fix", env=clean_env(GIT_AUTHOR_EMAIL="12345+finance@users.noreply.github.com"))
    for target in (mine, f"{base}..{mine}"):
        assert "codeowners-owned" not in by_rule(judge(project, target)), target
    project.write("src/billing/invoice.py", "def total(items):\n    return 1\n")
    project.add()
    theirs = project.commit("other fix", env=clean_env(GIT_AUTHOR_EMAIL="mallory@example.com"))
    for target in (theirs, f"{mine}..{theirs}", f"{mine}...{theirs}"):
        found = by_rule(judge(project, target))
        assert "@finance" in found["codeowners-owned"]["message"], target


def test_codeowners_edit_asks_and_staged_edit_does_not_apply(project: Repo) -> None:
    project.write("CODEOWNERS", CODEOWNERS)
    project.add()
    project.commit("owners")
    result = staged(project, {"CODEOWNERS": CODEOWNERS + "/src/billing/ author@example.com\n",
                              "src/billing/invoice.py": "def total(items):\n    return 1\n"})
    rules = by_rule(result)
    assert rules["codeowners-edited"]["category"] == "ownership"
    assert "codeowners-owned" in rules  # the committed CODEOWNERS judges, not the staged one


def test_gitlab_sections(project: Repo) -> None:
    project.write(".gitlab/CODEOWNERS", "[Billing] @acme/billing\n/src/billing/\n\n^[Docs] @acme/writers\n*.md\n")
    project.add()
    project.commit("owners")
    result = staged(project, {"src/billing/invoice.py": "def total(items):\n    return 2\n"})
    assert "section Billing" in by_rule(result)["codeowners-owned"]["message"]
    project.git("reset", "-q", "--hard")
    optional = staged(project, {"README.md": "# shop!\n"})
    assert "codeowners-owned" not in by_rule(optional)


def test_guard_log_judges_ownership_per_commit_and_as_a_whole(project: Repo) -> None:
    project.write(".github/CODEOWNERS", "/src/billing/ @finance\n")
    project.write("pyproject.toml", PYPROJECT)
    project.add()
    base = project.commit("owners")
    project.write("src/billing/invoice.py", "def total(items):\n    return 0\n")
    project.add()
    project.commit("owner's fix", env=clean_env(GIT_AUTHOR_EMAIL="12345+finance@users.noreply.github.com"))
    project.write("src/billing/invoice.py", "def total(items):\n    return 1\n")
    project.write("pyproject.toml", PYPROJECT.replace("line-length = 88", "line-length = 100"))
    project.add()
    project.commit("someone else's fix", env=clean_env(GIT_AUTHOR_EMAIL="mallory@example.com"))
    result = project.guard("log", f"{base}..HEAD", "--format", "json", "--assume-ai")
    assert result.code == 1, result.err
    per_commit = {c["subject"]: {f["rule"] for f in c["findings"]} for c in result.json["commits"]}
    assert "codeowners-owned" not in per_commit["owner's fix"]
    assert "codeowners-owned" in per_commit["someone else's fix"]
    # The [tool.ruff] edit is placed by reading the commit's pyproject.toml: no dependency finding.
    assert not {"dependency-manifest", "policy-config"} & per_commit["someone else's fix"]
    # The whole range has the owner among its authors.
    assert "codeowners-owned" not in {f["rule"] for f in result.json["whole"]["findings"]}


def test_lockfile_only_or_with_its_manifest(project: Repo) -> None:
    project.write("Cargo.lock", '[[package]]\nname = "serde"\nversion = "1.0.1"\n')
    project.write("crates/api/Cargo.toml", '[package]\nname = "api"\n\n[dependencies]\nserde = "1.0"\n')
    project.add()
    project.commit("rust")
    alone = staged(project, {"Cargo.lock": '[[package]]\nname = "serde"\nversion = "1.0.2"\n'})
    assert by_rule(alone)["dependency-lockfile"]["message"].startswith("lockfile only: Cargo.lock")
    both = staged(project, {"crates/api/Cargo.toml": '[package]\nname = "api"\n\n[dependencies]\nserde = "1.1"\n'})
    rules = by_rule(both)
    assert "changes with its manifest" in rules["dependency-lockfile"]["message"]
    assert "serde 1.0 → 1.1" in rules["dependency-manifest"]["message"]

"""Regenerate the fixture diffs of fixtures/rules/<rule>/ for the outbound, dependency,
ownership, policy and sensitive rules: each case is a base commit and an edit in a scratch
repository, and the patch is exactly what `git diff` prints.

    python tests/make_rule_fixtures_b.py [OUT]     # default: fixtures/rules
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "fixtures" / "rules"
ENV = dict(os.environ, GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@example.com", GIT_COMMITTER_NAME="Dev",
           GIT_COMMITTER_EMAIL="dev@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def git(cwd: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True).stdout


def case(rule: str, name: str, before: dict[str, str], after: dict[str, str | None]) -> None:
    d = Path(tempfile.mkdtemp())
    try:
        git(d, "init", "-q", "-b", "main")
        for p, c in before.items():
            (d / p).parent.mkdir(parents=True, exist_ok=True)
            (d / p).write_text(c)
        git(d, "add", "-A")
        git(d, "commit", "-q", "--allow-empty", "-m", "base")
        for p, c in after.items():
            if c is None:
                (d / p).unlink()
            else:
                (d / p).parent.mkdir(parents=True, exist_ok=True)
                (d / p).write_text(c)
        git(d, "add", "-A")
        patch = git(d, "diff", "--cached", "-M", "--no-color", "--src-prefix=a/", "--dst-prefix=b/")
        assert patch, (rule, name)
        target = OUT / rule / f"{name}.patch"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(patch)
    finally:
        shutil.rmtree(d)


def edit(path: str, old: str, new: str) -> tuple[dict[str, str], dict[str, str | None]]:
    """A case where one file goes from old to new."""
    return {path: old}, {path: new}


WF = """name: CI
on:
  pull_request:
  push:
    branches: [main]

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332
      - uses: actions/setup-python@82c7e631bb3cdc910f68e0081d67478d79c6982d
        with:
          python-version: "3.12"
      - run: pip install -e '.[test]'
      - run: pytest -q
"""
case("outbound-ci", "bad_github_pull_request_target", *edit(".github/workflows/ci.yml", WF,
     WF.replace("  pull_request:\n", "  pull_request_target:\n").replace("jobs:\n", "permissions: write-all\n\njobs:\n")))
case("outbound-ci", "bad_github_one_line", *edit(".github/workflows/ci.yml", WF, WF.replace("pytest -q", "pytest -q -x")))
case("outbound-ci", "bad_github_secrets_inherit", *edit(".github/workflows/release.yml", """name: Release
on:
  push:
    tags: ["v*"]
jobs:
  build:
    uses: ./.github/workflows/build.yml
""", """name: Release
on:
  push:
    tags: ["v*"]
jobs:
  build:
    uses: ./.github/workflows/build.yml
    secrets: inherit
"""))
GL = """stages: [test, deploy]

test:
  stage: test
  image: python:3.12
  script:
    - pip install -e .
    - pytest

deploy:
  stage: deploy
  script:
    - ./scripts/deploy.sh staging
  only: [main]
"""
case("outbound-ci", "bad_gitlab_deploy", *edit(".gitlab-ci.yml", GL, GL.replace("deploy.sh staging", "deploy.sh production\n    - kubectl apply -f k8s/")))
case("outbound-ci", "bad_jenkinsfile", *edit("Jenkinsfile", """pipeline {
    agent any
    stages {
        stage('Test') {
            steps { sh 'make test' }
        }
    }
}
""", """pipeline {
    agent any
    stages {
        stage('Test') {
            steps { sh 'make test' }
        }
        stage('Deploy') {
            steps { sh 'terraform apply -auto-approve' }
        }
    }
}
"""))
case("outbound-ci", "bad_circleci", *edit(".circleci/config.yml", """version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
    steps:
      - checkout
      - run: pytest
""", """version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
    steps:
      - checkout
      - run: curl -sSL https://install.example.com | sh
      - run: pytest
"""))
case("outbound-ci", "bad_azure_bitbucket_travis_buildkite", {
    "azure-pipelines.yml": "trigger:\n- main\npool:\n  vmImage: ubuntu-latest\nsteps:\n- script: make test\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step:\n        script:\n          - make test\n",
    ".travis.yml": "language: python\npython: ['3.12']\nscript: make test\n",
    ".buildkite/pipeline.yml": "steps:\n  - command: make test\n",
    ".drone.yml": "kind: pipeline\nname: default\nsteps:\n- name: test\n  image: python:3.12\n  commands: [make test]\n",
    "cloudbuild.yaml": "steps:\n- name: python:3.12\n  entrypoint: make\n  args: [test]\n",
}, {
    "azure-pipelines.yml": "trigger:\n- main\npool:\n  vmImage: ubuntu-latest\nsteps:\n- script: make test lint\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step:\n        script:\n          - make test lint\n",
    ".travis.yml": "language: python\npython: ['3.12', '3.13']\nscript: make test\n",
    ".buildkite/pipeline.yml": "steps:\n  - command: make test lint\n",
    ".drone.yml": "kind: pipeline\nname: default\nsteps:\n- name: test\n  image: python:3.13\n  commands: [make test]\n",
    "cloudbuild.yaml": "steps:\n- name: python:3.13\n  entrypoint: make\n  args: [test]\n",
})
case("outbound-ci", "ok_docs_about_ci", *edit("docs/ci.md", "# CI\n\nWe run the workflow on every push.\n",
     "# CI\n\nWe run the workflow on every push and pull request.\n"))
case("outbound-ci", "ok_source_file", *edit("src/app/ci_helpers.py", "def workflow_name():\n    return 'ci'\n",
     "def workflow_name():\n    return 'ci.yml'\n"))

DOCKER = """FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "app.wsgi"]
"""
case("outbound-deploy", "bad_dockerfile_curl_sh", *edit("Dockerfile", DOCKER,
     DOCKER.replace("WORKDIR /app\n", "WORKDIR /app\nRUN curl -fsSL https://get.example.sh | bash\n")))
case("outbound-deploy", "bad_procfile", *edit("Procfile", "web: gunicorn app.wsgi\n",
     "web: gunicorn app.wsgi --workers 4\nworker: celery -A app worker\n"))
COMPOSE = "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n  db:\n    image: postgres:16\n"
case("outbound-deploy", "bad_compose_privileged", *edit("docker-compose.yml", COMPOSE,
     COMPOSE.replace("    build: .\n", "    build: .\n    privileged: true\n")))
case("outbound-deploy", "bad_fly_vercel_netlify", {
    "fly.toml": "app = \"shop\"\nprimary_region = \"ams\"\n\n[http_service]\n  internal_port = 8080\n",
    "vercel.json": "{\n  \"rewrites\": []\n}\n",
    "netlify.toml": "[build]\n  command = \"npm run build\"\n",
}, {
    "fly.toml": "app = \"shop\"\nprimary_region = \"fra\"\n\n[http_service]\n  internal_port = 8080\n",
    "vercel.json": "{\n  \"rewrites\": [{ \"source\": \"/api/(.*)\", \"destination\": \"https://api.example.com/$1\" }]\n}\n",
    "netlify.toml": "[build]\n  command = \"npm run build:prod\"\n",
})
case("outbound-deploy", "bad_app_engine_serverless", {
    "app.yaml": "runtime: python312\ninstance_class: F1\n",
    "serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.12\n",
}, {
    "app.yaml": "runtime: python312\ninstance_class: F4\n",
    "serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.12\n  region: eu-west-1\n",
})
case("outbound-deploy", "ok_dockerignore", *edit(".dockerignore", ".git\n__pycache__\n", ".git\n__pycache__\n*.pyc\n"))
case("outbound-deploy", "ok_docs_mention_dockerfile", *edit("docs/deploy.md", "Build the Dockerfile.\n",
     "Build the Dockerfile with `docker build .`.\n"))

case("outbound-release", "bad_goreleaser_new", {"main.go": "package main\n"}, {".goreleaser.yaml":
     "version: 2\nbuilds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux, darwin]\nrelease:\n  github:\n    owner: acme\n    name: tool\n"})
case("outbound-release", "bad_npm_publish_step", *edit(".github/workflows/ci.yml", WF,
     WF + "      - run: npm publish --access public\n"))
PKG = """{
  "name": "@acme/widgets",
  "version": "1.4.0",
  "private": true,
  "scripts": {
    "build": "tsc -p .",
    "test": "vitest run"
  },
  "dependencies": {
    "lodash": "^4.17.21"
  }
}
"""
case("outbound-release", "bad_package_json_private_removed", *edit("package.json", PKG,
     PKG.replace('  "private": true,\n', '  "publishConfig": { "access": "public" },\n')))
case("outbound-release", "bad_twine_upload_makefile", *edit("Makefile", "test:\n\tpytest\n",
     "test:\n\tpytest\n\nrelease:\n\tpython -m build\n\ttwine upload dist/*\n"))
case("outbound-release", "ok_package_json_scripts", *edit("package.json", PKG,
     PKG.replace('"test": "vitest run"', '"test": "vitest run --coverage"')))
case("outbound-release", "ok_makefile_test_target", *edit("Makefile", "test:\n\tpytest\n", "test:\n\tpytest -q\n"))

TF = """terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
"""
case("outbound-infra", "bad_terraform_resource", *edit("infra/main.tf", TF, TF + """
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
"""))
DEPLOY_K8S = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.0
"""
case("outbound-infra", "bad_kubernetes_by_content", *edit("deploy/web.yaml", DEPLOY_K8S, DEPLOY_K8S.replace("replicas: 2", "replicas: 6")))
case("outbound-infra", "bad_cloudformation", *edit("stack/template.yaml", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
""", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 120
"""))
case("outbound-infra", "bad_helm_values_pulumi", {
    "charts/web/values.yaml": "replicaCount: 2\nimage:\n  tag: 1.4.0\n",
    "Pulumi.prod.yaml": "config:\n  aws:region: eu-west-1\n",
}, {
    "charts/web/values.yaml": "replicaCount: 3\nimage:\n  tag: 1.5.0\n",
    "Pulumi.prod.yaml": "config:\n  aws:region: eu-central-1\n",
})
case("outbound-infra", "ok_plain_yaml_config", *edit("config/features.yaml", "beta: false\nsearch: true\n", "beta: true\nsearch: true\n"))

case("outbound-infra-destroy", "bad_force_destroy", *edit("infra/main.tf", TF,
     TF.replace('  bucket = "acme-assets"\n', '  bucket        = "acme-assets"\n  force_destroy = true\n')))
PROT = TF.replace('  bucket = "acme-assets"\n', '  bucket = "acme-assets"\n\n  lifecycle {\n    prevent_destroy = true\n  }\n')
case("outbound-infra-destroy", "bad_prevent_destroy_removed", *edit("infra/main.tf", PROT, TF))
case("outbound-infra-destroy", "bad_resource_removed", *edit("infra/main.tf", TF, TF.split('\nresource "aws_s3_bucket"')[0]))
case("outbound-infra-destroy", "bad_rds_skip_snapshot", *edit("infra/db.tf", """resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  deletion_protection = true
}
""", """resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  deletion_protection = false
  skip_final_snapshot = true
}
"""))
case("outbound-infra-destroy", "bad_cloudformation_deletion_policy", *edit("stack/template.yaml", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
""", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    DeletionPolicy: Delete
"""))
case("outbound-infra-destroy", "bad_cdk_removal_policy", *edit("infra/lib/storage-stack.ts", """import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

export class StorageStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new s3.Bucket(this, 'Uploads', {
      versioned: true,
    });
  }
}
""", """import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

export class StorageStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new s3.Bucket(this, 'Uploads', {
      versioned: true,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
  }
}
"""))
case("outbound-infra-destroy", "ok_new_resource", *edit("infra/main.tf", TF, TF + """
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
"""))
case("outbound-infra-destroy", "ok_renamed_tag", *edit("infra/main.tf", TF, TF.replace('  bucket = "acme-assets"\n', '  bucket = "acme-assets"\n  tags = { team = "web" }\n')))

ZONE = """$ORIGIN example.com.
$TTL 3600
@   IN  SOA ns1.example.com. admin.example.com. ( 2026010101 7200 3600 1209600 3600 )
@   IN  NS  ns1.example.com.
www IN  A   203.0.113.10
"""
case("outbound-dns", "bad_zone_mx_spf", *edit("zones/example.com.zone", ZONE,
     ZONE + "@   IN  MX  10 mail.example.net.\n@   IN  TXT \"v=spf1 include:_spf.example.net ~all\"\n"))
case("outbound-dns", "bad_route53_record", *edit("infra/dns.tf", "", """resource "aws_route53_record" "www" {
  zone_id = var.zone_id
  name    = "www.example.com"
  type    = "CNAME"
  ttl     = 300
  records = ["acme.github.io"]
}
"""))
case("outbound-dns", "bad_github_pages_cname", {"index.html": "<h1>hi</h1>\n"}, {"CNAME": "docs.example.com\n"})
case("outbound-dns", "ok_terraform_bucket", *edit("infra/main.tf", TF, TF.replace("acme-assets", "acme-static")))

SETTINGS = """from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
TIME_ZONE = "UTC"
"""
case("outbound-messaging", "bad_django_smtp", *edit("shop/settings.py", SETTINGS, SETTINGS + """
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "smtp.sendgrid.net"
EMAIL_PORT = 587
DEFAULT_FROM_EMAIL = "shop@example.com"
"""))
ALERTS = "alerts:\n  channel: \"#ops\"\n  level: error\n"
case("outbound-messaging", "bad_slack_webhook_yaml", *edit("config/alerts.yml", ALERTS,
     ALERTS + "  slack_url: \"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\"\n"))
case("outbound-messaging", "bad_env_webhook", *edit(".env.example", "DATABASE_URL=postgres://localhost/app\n",
     "DATABASE_URL=postgres://localhost/app\nORDER_WEBHOOK_URL=https://partner.example.com/hooks/orders\n"))
case("outbound-messaging", "bad_rails_mailer", *edit("config/environments/production.rb", """Rails.application.configure do
  config.cache_classes = true
end
""", """Rails.application.configure do
  config.cache_classes = true
  config.action_mailer.delivery_method = :smtp
  config.action_mailer.smtp_settings = { address: "smtp.mailgun.org", port: 587 }
end
"""))
case("outbound-messaging", "bad_notification_recipients", *edit("monitoring/alerts.yaml", "alert: HighLatency\nseverity: page\n",
     "alert: HighLatency\nseverity: page\nrecipients:\n  - oncall@example.com\n"))
case("outbound-messaging", "ok_settings_debug", *edit("shop/settings.py", SETTINGS, SETTINGS.replace('TIME_ZONE = "UTC"', 'TIME_ZONE = "Europe/Berlin"')))
case("outbound-messaging", "ok_code_sends_mail", *edit("shop/orders.py", "def confirm(order):\n    return order.id\n",
     "def confirm(order):\n    send_mail('Order', 'Thanks', None, [order.email])\n    return order.id\n"))

case("outbound-schedule", "bad_crontab", *edit("deploy/crontab", "0 3 * * * /app/bin/backup\n",
     "0 3 * * * /app/bin/backup\n*/5 * * * * /app/bin/sync-orders\n"))
case("outbound-schedule", "bad_celery_beat", *edit("shop/settings.py", SETTINGS, SETTINGS + """
CELERY_BEAT_SCHEDULE = {
    "nightly-report": {"task": "reports.send", "schedule": crontab(hour=2, minute=0)},
}
"""))
case("outbound-schedule", "bad_gae_cron_yaml", *edit("cron.yaml", "cron:\n- description: cleanup\n  url: /tasks/cleanup\n  schedule: every 24 hours\n",
     "cron:\n- description: cleanup\n  url: /tasks/cleanup\n  schedule: every 1 hours\n"))
case("outbound-schedule", "bad_k8s_cronjob", {}, {"deploy/report-cronjob.yaml": """apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 6 * * 1"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: ghcr.io/acme/report:1.0
          restartPolicy: OnFailure
"""})
case("outbound-schedule", "ok_config_timeout", *edit("config/worker.yaml", "timeout: 30\nretries: 3\n", "timeout: 60\nretries: 3\n"))

REQ = "django==4.2.11\nsix==1.16.0\ncelery>=5.3\n"
case("dependency-manifest", "bad_requirements_add_bump_remove", *edit("requirements.txt", REQ,
     "django==5.0.4\ncelery>=5.3\nrequests==2.32.0\n"))
PYPROJECT = """[project]
name = "shop"
version = "1.2.0"
requires-python = ">=3.11"
dependencies = [
    "django>=4.2",
    "celery>=5.3",
]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.ruff]
line-length = 88
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "I"]
ignore = ["E501"]
"""
case("dependency-manifest", "bad_pyproject_dependency", *edit("pyproject.toml", PYPROJECT,
     PYPROJECT.replace('    "celery>=5.3",\n', '    "celery>=5.3",\n    "httpx>=0.27",\n')))
case("dependency-manifest", "bad_package_json", *edit("package.json", PKG,
     PKG.replace('"lodash": "^4.17.21"', '"lodash": "^4.17.21",\n    "left-pad": "1.3.0"')))
case("dependency-manifest", "bad_gemfile", *edit("Gemfile", "source \"https://rubygems.org\"\n\ngem \"rails\", \"~> 7.1.0\"\ngem \"pg\"\n",
     "source \"https://rubygems.org\"\n\ngem \"rails\", \"~> 7.2.0\"\ngem \"pg\"\ngem \"sidekiq\", \"~> 7.2\"\n"))
case("dependency-manifest", "bad_go_mod", *edit("go.mod", "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.0\n)\n",
     "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.1\n\tgolang.org/x/sync v0.7.0\n)\n"))
CARGO = "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"A shop\"\n\n[dependencies]\nserde = \"1.0\"\n"
case("dependency-manifest", "bad_cargo", *edit("Cargo.toml", CARGO, CARGO + "tokio = { version = \"1.37\", features = [\"full\"] }\n"))
POM = """<project>
  <modelVersion>4.0.0</modelVersion>
  <artifactId>shop</artifactId>
  <dependencies>
    <dependency>
      <groupId>com.google.guava</groupId>
      <artifactId>guava</artifactId>
      <version>32.1.3-jre</version>
    </dependency>
  </dependencies>
</project>
"""
case("dependency-manifest", "bad_pom", *edit("pom.xml", POM, POM.replace("32.1.3-jre", "33.2.0-jre")))
case("dependency-manifest", "bad_gradle", *edit("build.gradle.kts", "dependencies {\n    implementation(\"com.squareup.okhttp3:okhttp:4.12.0\")\n}\n",
     "dependencies {\n    implementation(\"com.squareup.okhttp3:okhttp:4.12.0\")\n    implementation(\"com.google.code.gson:gson:2.11.0\")\n}\n"))
COMPOSER = "{\n    \"name\": \"acme/shop\",\n    \"require\": {\n        \"php\": \"^8.2\",\n        \"monolog/monolog\": \"^3.5\"\n    }\n}\n"
case("dependency-manifest", "bad_composer", *edit("composer.json", COMPOSER, COMPOSER.replace('"monolog/monolog": "^3.5"', '"monolog/monolog": "^3.6",\n        "guzzlehttp/guzzle": "^7.8"')))
CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="3.1.1" />
  </ItemGroup>
</Project>
"""
case("dependency-manifest", "bad_csproj", *edit("src/Shop/Shop.csproj", CSPROJ, CSPROJ.replace('    <PackageReference Include="Serilog" Version="3.1.1" />\n',
     '    <PackageReference Include="Serilog" Version="3.1.1" />\n    <PackageReference Include="Polly" Version="8.4.0" />\n')))
case("dependency-manifest", "bad_pipfile_setup_cfg", {
    "Pipfile": "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[packages]\nflask = \"==3.0.0\"\n\n[dev-packages]\npytest = \"*\"\n",
    "setup.cfg": "[metadata]\nname = shop\n\n[options]\npackages = find:\ninstall_requires =\n    click>=8.0\n",
}, {
    "Pipfile": "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[packages]\nflask = \"==3.0.3\"\n\n[dev-packages]\npytest = \"*\"\n",
    "setup.cfg": "[metadata]\nname = shop\n\n[options]\npackages = find:\ninstall_requires =\n    click>=8.0\n    rich>=13\n",
})
case("dependency-manifest", "bad_directory_packages_props", *edit("Directory.Packages.props",
     "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"xunit\" Version=\"2.7.0\" />\n  </ItemGroup>\n</Project>\n",
     "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"xunit\" Version=\"2.8.1\" />\n  </ItemGroup>\n</Project>\n"))
case("dependency-manifest", "ok_pyproject_tool_ruff", *edit("pyproject.toml", PYPROJECT, PYPROJECT.replace('ignore = ["E501"]', 'ignore = ["E501", "E731"]')))
case("dependency-manifest", "ok_package_json_scripts", *edit("package.json", PKG, PKG.replace('"build": "tsc -p ."', '"build": "tsc -p tsconfig.build.json"')))
case("dependency-manifest", "ok_cargo_description", *edit("Cargo.toml", CARGO, CARGO.replace("A shop", "A small shop")))
case("dependency-manifest", "ok_csproj_property", *edit("src/Shop/Shop.csproj", CSPROJ, CSPROJ.replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <LangVersion>latest</LangVersion>")))

LOCK = """[[package]]
name = "asgiref"
version = "3.8.1"
description = "ASGI specs"
optional = false
python-versions = ">=3.8"
"""
case("dependency-lockfile", "bad_poetry_lock_only", *edit("poetry.lock", LOCK, LOCK.replace("3.8.1", "3.8.2")))
case("dependency-lockfile", "bad_go_sum", *edit("go.sum", "github.com/gorilla/mux v1.8.0 h1:i40aqfkR1h2SlN9hojwV5ZA91wcXFOvkdNIeFDP5koI=\n",
     "github.com/gorilla/mux v1.8.1 h1:TuBL49tXwgrFYWhqrNgrUNEY92u81SPhu7sTdzQEiWY=\n"))
case("dependency-lockfile", "ok_requirements_in_docs", *edit("docs/install.md", "Install with `pip install -r requirements.txt`.\n",
     "Install with `pip install -r requirements.txt` (see poetry.lock for pins).\n"))

CO = "# Owners\n*       @acme/maintainers\n/infra/ @acme/sre\n/src/billing/ @acme/billing\n"
case("codeowners-edited", "bad_github_codeowners_line_removed", *edit(".github/CODEOWNERS", CO, CO.replace("/infra/ @acme/sre\n", "")))
case("codeowners-edited", "bad_gitlab_sections", *edit("CODEOWNERS", "[Backend] @acme/backend\napp/\n\n^[Docs] @acme/writers\ndocs/\n",
     "[Backend] @acme/backend\napp/\nlib/\n\n^[Docs] @acme/writers\ndocs/\n"))
case("codeowners-edited", "ok_docs_about_owners", *edit("docs/CONTRIBUTING.md", "Ask the owners listed in CODEOWNERS.\n",
     "Ask the owners listed in .github/CODEOWNERS for a review.\n"))
case("codeowners-owned", "ok_bare_patch_has_no_codeowners", *edit("src/billing/invoice.py", "def total(items):\n    return sum(items)\n",
     "def total(items):\n    return round(sum(items), 2)\n"))

case("policy-config", "bad_new_guard_toml", {"README.md": "# shop\n"}, {".guard.toml": "[rules]\ndependency-manifest = \"report\"\n"})
PYGUARD = PYPROJECT + "\n[tool.guard]\napplies-to = \"ai\"\nsensitive = [\"src/auth/**\"]\n"
case("policy-config", "bad_pyproject_tool_guard", *edit("pyproject.toml", PYGUARD, PYGUARD.replace('applies-to = "ai"', 'applies-to = "all"')))
case("policy-config", "ok_pyproject_tool_ruff", *edit("pyproject.toml", PYGUARD, PYGUARD.replace("line-length = 88", "line-length = 100")))
PRECOMMIT = """repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace
  - repo: local
    hooks:
      - id: guard
        name: guard
        entry: guard hook pre-commit
        language: system
        pass_filenames: false
"""
case("policy-hooks", "bad_precommit_guard_removed", *edit(".pre-commit-config.yaml", PRECOMMIT, PRECOMMIT.split("  - repo: local")[0]))
case("policy-hooks", "bad_hooks_folder", *edit("hooks/pre-commit", "#!/bin/sh\nexec guard hook pre-commit\n", "#!/bin/sh\nexit 0\n"))
case("policy-hooks", "bad_husky_and_hookspath", {"package.json": PKG}, {
    ".husky/pre-commit": "npx lint-staged\n",
    "package.json": PKG.replace('"test": "vitest run"', '"test": "vitest run",\n    "prepare": "git config core.hooksPath .githooks"')})
case("policy-hooks", "ok_other_yaml", *edit(".yamllint.yaml", "extends: default\n", "extends: relaxed\n"))
GWF = WF + "      - run: guard ci --format github\n"
case("policy-ci", "bad_workflow_guard_step_removed", *edit(".github/workflows/ci.yml", GWF, WF))
case("policy-ci", "bad_gitlab_guard_args", *edit(".gitlab-ci.yml", GL.replace("    - pytest\n", "    - pytest\n    - guard ci\n"),
     GL.replace("    - pytest\n", "    - pytest\n    - guard ci --assume-human\n")))
case("policy-ci", "ok_workflow_without_guard", *edit(".github/workflows/ci.yml", GWF, GWF.replace("pytest -q", "pytest -q -x")))

MIT = "MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
case("sensitive-governance", "bad_license_edit", *edit("LICENSE", MIT, MIT.replace("2024 Acme", "2024-2026 Acme Corp")))
case("sensitive-governance", "bad_security_md", *edit(".github/SECURITY.md", "# Security\n\nReport issues to security@example.com.\n",
     "# Security\n\nReport issues through GitHub private advisories.\n"))
case("sensitive-governance", "bad_code_of_conduct_notice", {"README.md": "# shop\n"}, {
    "CODE_OF_CONDUCT.md": "# Code of Conduct\n\nBe kind.\n", "NOTICE": "Shop\nCopyright 2026 Acme\n"})
case("sensitive-governance", "ok_readme", *edit("README.md", "# shop\n\nMIT licensed.\n", "# shop\n\nMIT licensed. See LICENSE.\n"))
case("sensitive-path", "ok_bare_patch_has_no_config", *edit("src/auth/session.py", "TIMEOUT = 3600\n", "TIMEOUT = 7200\n"))

case("dependency-manifest", "ok_setup_py_version_bump", *edit("setup.py", """from setuptools import setup

setup(
    name="shop",
    version="1.2.0",
    install_requires=["django>=4.2"],
)
""", """from setuptools import setup

setup(
    name="shop",
    version="1.3.0",
    install_requires=["django>=4.2"],
)
"""))
case("dependency-manifest", "bad_setup_py_requirement", *edit("setup.py", """from setuptools import setup

setup(
    name="shop",
    version="1.2.0",
    install_requires=[
        "django>=4.2",
    ],
)
""", """from setuptools import setup

setup(
    name="shop",
    version="1.2.0",
    install_requires=[
        "django>=4.2",
        "stripe>=9.0",
    ],
)
"""))
case("dependency-manifest", "ok_pom_description", *edit("pom.xml", POM.replace("<artifactId>shop</artifactId>", "<artifactId>shop</artifactId>\n  <description>Shop</description>"),
     POM.replace("<artifactId>shop</artifactId>", "<artifactId>shop</artifactId>\n  <description>The shop service</description>")))
case("outbound-messaging", "ok_locale_file", *edit("config/locales/en.yml", "en:\n  settings:\n    save: Save\n",
     "en:\n  settings:\n    save: Save\n    notify: Notify me by e-mail\n    recipients: Recipients\n"))
case("outbound-release", "bad_pyproject_semantic_release", *edit("pyproject.toml", PYPROJECT,
     PYPROJECT + '\n[tool.semantic_release]\nbranch = "main"\nupload_to_pypi = true\n'))
case("outbound-release", "ok_pyproject_tool_ruff", *edit("pyproject.toml", PYPROJECT, PYPROJECT.replace('ignore = ["E501"]', 'ignore = ["E501", "E731"]')))

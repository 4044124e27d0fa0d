"""Outbound: CI/CD pipelines, deploy and container config, and release/publish setup. These
run with the project's credentials and reach other people: users, servers, package indexes."""
from __future__ import annotations

from collections.abc import Iterator

from guard.model import FileChange, Level, Question
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.pathsets import PathSet
from guard.rules.signals import Signal, first_line, scan, signal
from guard.words import fold

_CI_PLATFORMS = (
    ("GitHub Actions", (".github/workflows/*.yml", ".github/workflows/*.yaml", ".github/actions/**",
                        "/action.yml", "/action.yaml")),
    ("GitLab CI", (".gitlab-ci.yml", "*.gitlab-ci.yml", ".gitlab/ci/**")),
    ("Gitea/Forgejo Actions", (".gitea/workflows/*", ".forgejo/workflows/*")),
    ("Jenkins", ("Jenkinsfile", "Jenkinsfile.*", "*.jenkinsfile", "*.groovy.jenkins")),
    ("CircleCI", (".circleci/**",)),
    ("Azure Pipelines", ("azure-pipelines*.yml", "azure-pipelines*.yaml", ".azure-pipelines/**", ".azuredevops/**")),
    ("Bitbucket Pipelines", ("bitbucket-pipelines.yml",)),
    ("Travis CI", (".travis.yml",)),
    ("Buildkite", (".buildkite/**", "buildkite.yml", "buildkite.yaml", "buildkite.json", "/buildkite/pipeline.*")),
    ("Drone", (".drone.yml", ".drone.star")),
    ("Woodpecker", (".woodpecker.yml", ".woodpecker.yaml", ".woodpecker/**")),
    ("Google Cloud Build", ("cloudbuild*.yaml", "cloudbuild*.yml", "cloudbuild*.json")),
    ("AWS CodeBuild", ("buildspec*.yml", "buildspec*.yaml")),
    ("Tekton", (".tekton/**",)),
    ("Semaphore", (".semaphore/**",)),
    ("Bitrise", ("bitrise.yml",)),
    ("Codemagic", ("codemagic.yaml",)),
    ("AppVeyor", ("appveyor.yml", ".appveyor.yml")),
)
DEPLOY = PathSet(
    "Dockerfile", "*.Dockerfile", "Dockerfile.*", "Containerfile", "docker-compose*.yml",
    "docker-compose*.yaml", "compose.yml", "compose.yaml", "compose.*.yml", "compose.*.yaml",
    "fly.toml", "vercel.json", "now.json", "netlify.toml", "_redirects", "_headers", "Procfile",
    "/app.json", "heroku.yml", "render.yaml", "railway.json", "railway.toml", "serverless.yml",
    "serverless.yaml", "serverless.ts", "serverless.js", "app.yaml", "dispatch.yaml",
    "queue.yaml", "wrangler.toml", "wrangler.json", "wrangler.jsonc", "firebase.json", ".firebaserc",
    "firestore.rules", "storage.rules", "amplify.yml", "config/deploy.yml", "config/deploy.rb",
    "config/deploy/*.rb", "config/deploy/*.yml", "Capfile", "skaffold.yaml", "*.nomad", "*.nomad.hcl",
    "playbook*.yml", "playbook*.yaml", "site.yml", "roles/*/tasks/*.yml", "roles/*/handlers/*.yml",
    "inventory/hosts*", "inventory/*.ini", "inventory/*.yml", "inventory/*.yaml", "group_vars/**",
    "host_vars/**", "appspec.yml", "appspec.yaml",
    ".ebextensions/**", ".platform/**", "Dockerrun.aws.json", "nixpacks.toml", ".platform.app.yaml",
    "apprunner.yaml", "Caddyfile", "nginx.conf", "nginx/**", ".htaccess",
)
RELEASE = PathSet(
    ".goreleaser.yml", ".goreleaser.yaml", ".goreleaser.*", ".releaserc", ".releaserc.*",
    "release.config.*", "release-please-config.json", ".release-please-manifest.json",
    ".changeset/config.json", ".npmrc", ".pypirc", ".yarnrc.yml", ".yarnrc", ".cargo/credentials",
    ".cargo/credentials.toml", ".gem/credentials", "lerna.json", ".bumpversion.cfg", ".jreleaser.yml",
    "jreleaser.yml", "*.nuspec", ".github/release.yml", ".github/release-drafter.yml",
    ".github/workflows/*release*", ".github/workflows/*publish*", ".github/workflows/*deploy*",
)
_SCRIPT_GLOBS = ("Makefile", "*.mk", "justfile", "Justfile", "Rakefile", "*.sh", "*.bash", "tox.ini",
                 "noxfile.py", "package.json", "scripts/**")
SCRIPTS = PathSet(*_SCRIPT_GLOBS)
OPS_SCRIPTS = PathSet(*_SCRIPT_GLOBS, "deploy/**", "bin/**", "ops/**")

# Commands that reach shared systems, named wherever they are run from: CI or a script.
_COMMANDS: tuple[Signal, ...] = (
    signal(r"\bcurl\b[^|#]*\|\s*(sudo\s+)?(ba|z)?sh\b|\bwget\b[^|#]*\|\s*(sudo\s+)?(ba)?sh\b", "curl | sh"),
    signal(r"\bkubectl\s+(apply|delete|rollout)\b", lambda m: f"kubectl {m.group(1)}"),
    signal(r"\bterraform\s+(apply|destroy)\b", lambda m: f"terraform {m.group(1)}"),
    signal(r"\bhelm\s+(upgrade|install|uninstall)\b", lambda m: f"helm {m.group(1)}"),
    signal(r"\baws\s+s3\s+(sync|rm|cp)\b", lambda m: f"aws s3 {m.group(1)}"),
    signal(r"\bgit\s+push\b.*(--force\b|\s-f\b)", "git push --force"),
)

CI_SIGNALS: tuple[Signal, ...] = (
    signal(r"^\s*-?\s*pull_request_target\b|\bon:.*\bpull_request_target\b", "pull_request_target (runs untrusted PR code with secrets)"),
    signal(r"^\s*-?\s*workflow_run\b|\bon:.*\bworkflow_run\b", "workflow_run trigger"),
    signal(r"permissions:\s*write-all", "permissions: write-all"),
    # Flow style: `permissions: { contents: write, packages: write }`.
    signal(r"permissions:\s*\{[^}]*?\b([\w-]+):\s*write\b", lambda m: f"{m.group(1)}: write"),
    signal(r"\$\{\{\s*secrets\.(\w+)", lambda m: f"access to the secret {m.group(1)}"),
    signal(r"^\s*id-token:\s*write\b", "id-token: write (cloud credentials via OIDC)"),
    signal(r"^\s*(?:-\s*)?(contents|packages|deployments|actions|pull-requests|issues|security-events|statuses|checks|pages|attestations):\s*write\b",
           lambda m: f"{m.group(1)}: write"),
    signal(r"secrets:\s*inherit", "secrets: inherit"),
    signal(r"^\s*environment:\s*['\"]?(prod|production|live)\b", lambda m: f"environment: {m.group(1)}"),
    signal(r"runs-on:.*self-hosted", "self-hosted runner"),
    signal(r"\$\{\{\s*github\.event\.(issue|pull_request|comment|review|head_commit|pages|commits)", "untrusted ${{ github.event.* }} in the workflow (template injection)"),
    signal(r"\$\{\{\s*github\.head_ref\b", "untrusted ${{ github.head_ref }} in the workflow (a branch name is the PR author's)"),
    signal(r"^\s*-?\s*cron:\s*['\"]?([^'\"#]+)", lambda m: f"schedule (cron '{m.group(1).strip()}')"),
    *_COMMANDS,
    signal(r"\buses:\s*([\w.-]+/[\w./-]+@(?![0-9a-f]{40}\b)[\w.-]+)", lambda m: f"{m.group(1)} (not pinned to a commit)"),
)
PUBLISH_SIGNALS: tuple[Signal, ...] = (
    signal(r"pypa/gh-action-pypi-publish|\btwine\s+upload\b|\b(uv|poetry|flit|hatch|pdm)\s+publish\b", "publishes to PyPI"),
    signal(r"\b(npm|pnpm|yarn(\s+npm)?)\s+publish\b|\bchangeset\s+publish\b|\bsemantic-release\b|\blerna\s+publish\b", "publishes to npm"),
    signal(r"\bcargo\s+publish\b", "cargo publish"),
    signal(r"\bgem\s+push\b|\brake\s+release\b", "publishes a gem"),
    signal(r"\bmvn\b.*\b(deploy|release:perform)\b|\bgradlew?\b.*\bpublish\w*\b", "publishes to a Maven repository"),
    signal(r"\b(dotnet\s+)?nuget\s+push\b", "nuget push"),
    signal(r"\bgoreleaser\b", "goreleaser"),
    signal(r"\bdocker\s+push\b|docker/build-push-action", "pushes a container image"),
    signal(r"\bhelm\s+push\b", "helm push"),
    signal(r"\bgh\s+release\s+create\b|softprops/action-gh-release", "creates a GitHub release"),
    signal(r"\b(vsce|ovsx)\s+publish\b", "publishes an editor extension"),
    signal(r"\bpod\s+trunk\s+push\b|\b(dart|flutter)\s+pub\s+publish\b|\bmix\s+hex\.publish\b", "publishes a package"),
)
PACKAGE_JSON_RELEASE: tuple[Signal, ...] = (
    signal(r'"private"\s*:\s*true', '"private": true removed (the package can now be published)', "-"),
    signal(r'"publishConfig"\s*:', "publishConfig"),
)
DEPLOY_SIGNALS: tuple[Signal, ...] = (
    signal(r"\bcurl\b[^|#]*\|\s*(sudo\s+)?(ba|z)?sh\b|\bwget\b[^|#]*\|\s*(sudo\s+)?(ba)?sh\b", "curl | sh"),
    signal(r"privileged:\s*true|--privileged\b", "privileged container"),
    signal(r"network_mode:\s*['\"]?host|--network[= ]host", "host networking"),
    signal(r"^\s*FROM\s+\S+:latest\b", "FROM …:latest (unpinned base image)"),
    signal(r"^\s*USER\s+root\b", "USER root"),
    signal(r"/var/run/docker\.sock", "mounts the Docker socket"),
)


# What a script (a Makefile target, deploy/*.sh, bin/release, a package.json hook) does to shared
# systems; and `rm -r` of an absolute, home or variable path (a relative `rm -rf build/` is a clean).
SCRIPT_SIGNALS: tuple[Signal, ...] = (
    *_COMMANDS,
    signal(r"\brm\s+-[a-zA-Z]*r[a-zA-Z]*\s+[\"']?(?:/|~|\$)", "rm -r of an absolute or variable path"),
)


CI_PLATFORMS = tuple((name, PathSet(*globs)) for name, globs in _CI_PLATFORMS)
_ANY_CI = PathSet(*(glob for _, globs in _CI_PLATFORMS for glob in globs))


# pyproject.toml tables that configure releasing and publishing.
RELEASE_TABLES = ("tool.semantic_release", "tool.hatch.publish", "tool.bumpversion", "tool.tbump",
                  "tool.commitizen", "tool.poetry.repositories", "tool.flit.publish", "tool.pdm.publish")


def _release_tables(change: FileChange, context: Context) -> list[tuple[str, int]]:
    from guard.rules.sections import changed_paths  # only for a pyproject.toml

    read = context.extra.get("read_new")
    text = read(change.path) if callable(read) and change.status != "deleted" else None
    found: dict[str, int] = {}
    for line, path in changed_paths(change, "toml", text):
        table = next((t for t in RELEASE_TABLES if path == t or path.startswith(t + ".")), None)
        if table is not None:
            found.setdefault(f"[{table}]", line.number)
    return list(found.items())


def ci_platform(path: str) -> str | None:
    if not _ANY_CI.matches(path):
        return None
    return next((name for name, globs in CI_PLATFORMS if globs.matches(path)), None)


def _doc(what: str, why: str, example: str, rule_id: str) -> str:
    return rule_doc(what, why, example,
                    f"`rules.{rule_id} = \"report\"` to be told instead of asked; per path with "
                    f"`[[overrides]]`, e.g. `paths = [\"deploy/staging/**\"]`, `rules = {{ {rule_id} = \"report\" }}`.")


CI = Rule(
    "outbound-ci", "outbound", Question.OTHERS, Level.ASK,
    "a CI/CD pipeline changes (names risky triggers, permissions, deploy steps)",
    _doc("Asks when a CI/CD definition changes on any major platform: GitHub Actions workflows and "
         "actions, GitLab CI, Jenkinsfile, CircleCI, Azure Pipelines, Bitbucket, Travis, Buildkite, "
         "Drone, Woodpecker, Cloud Build, CodeBuild, Tekton and others. Names the risky details it "
         "adds: `pull_request_target`, `workflow_run`, `permissions: write-all` and other write "
         "scopes, `id-token: write`, `secrets: inherit`, production environments, self-hosted "
         "runners, `${{ github.event.* }}` in scripts, schedules, `curl | sh`, deploy commands "
         "(`kubectl apply`, `terraform apply`, `helm upgrade`), force pushes, actions pinned to a tag.",
         "Pipelines run with the project's secrets and deploy to shared systems; a one-line edit can "
         "publish, deploy or hand a token to code from a fork.",
         "`on: pull_request_target` added to `.github/workflows/ci.yml` → "
         "`GitHub Actions pipeline .github/workflows/ci.yml: adds pull_request_target (runs untrusted PR code with secrets)`.",
         "outbound-ci"),
)
DEPLOY_RULE = Rule(
    "outbound-deploy", "outbound", Question.OTHERS, Level.ASK,
    "deploy, hosting or container config changes",
    _doc("Asks when deploy or hosting config changes: Dockerfile/Containerfile, docker compose, "
         "Procfile, fly.toml, vercel.json, netlify.toml, Heroku/Render/Railway, Serverless, Google "
         "App Engine (app.yaml, dispatch.yaml, queue.yaml), Cloudflare wrangler, Firebase, Amplify, "
         "Kamal/Capistrano, Nomad, Ansible playbooks and inventories, Elastic Beanstalk, web server "
         "config. Names `curl | sh`, privileged containers, host networking, `:latest` base images, "
         "`USER root` and Docker socket mounts. In scripts (Makefile, `*.sh`, `deploy/`, `bin/`, "
         "`ops/`, `scripts/`, package.json hooks) it asks only for what reaches shared systems: "
         "`kubectl`, `terraform apply`, `helm`, `aws s3 sync/rm/cp`, `git push --force`, `curl | sh` "
         "and `rm -r` of an absolute or variable path.",
         "What is deployed, where and with which rights is what users and operators live with.",
         "`Procfile` changes the web command → `deploy config Procfile changes`.",
         "outbound-deploy"),
)
RELEASE_RULE = Rule(
    "outbound-release", "outbound", Question.OTHERS, Level.ASK,
    "release or publishing setup changes, or a step publishes packages",
    _doc("Asks when release/publish config changes (.goreleaser, semantic-release `.releaserc`/"
         "`release.config.*`, release-please, changesets, lerna, `.npmrc`, `.pypirc`, `.yarnrc.yml`, "
         "cargo/gem credentials, release workflows), when a CI file or script adds a publish command "
         "(`twine upload`, `uv publish`, `npm publish`, `cargo publish`, `gem push`, `mvn deploy`, "
         "`docker push`, `gh release create`, …), or when package.json drops `\"private\": true` or adds "
         "`publishConfig`, or when pyproject.toml release tables change (`[tool.semantic_release]`, "
         "`[tool.hatch.publish]`, `[tool.bumpversion]`, `[tool.commitizen]`, Poetry repositories).",
         "A published package or image cannot be unpublished from everyone who pulled it.",
         "`- run: npm publish` added to a workflow → `.github/workflows/ci.yml: publishes to npm`.",
         "outbound-release"),
)
RULES = (CI, DEPLOY_RULE, RELEASE_RULE)


def _describe(kind: str, path: str, found: list[tuple[str, int]], verb: str) -> str:
    details = fold([label for label, _ in found])
    return f"{kind} {path}: {verb} {details}" if details else f"{kind} {path} changes"


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    path = change.path
    platform = ci_platform(path)
    if platform is not None:
        found = scan(change, CI_SIGNALS)
        yield Hit(CI, path, first_line(found), _describe(f"{platform} pipeline", path, found, "adds"))
    elif DEPLOY.matches(path):
        found = scan(change, DEPLOY_SIGNALS)
        yield Hit(DEPLOY_RULE, path, first_line(found), _describe("deploy config", path, found, "adds"))
    elif OPS_SCRIPTS.matches(path) and (found := scan(change, SCRIPT_SIGNALS)):
        yield Hit(DEPLOY_RULE, path, first_line(found), _describe("script", path, found, "adds"))
    publish = scan(change, PUBLISH_SIGNALS) if platform or SCRIPTS.matches(path) else []
    if path.endswith("package.json"):
        publish += scan(change, PACKAGE_JSON_RELEASE)
    elif path.rsplit("/", 1)[-1] == "pyproject.toml":
        publish += _release_tables(change, context)
    if RELEASE.matches(path):
        # Publishing is said as what it does ("publishes to npm"), not as something "added".
        yield Hit(RELEASE_RULE, path, first_line(publish),
                  f"release config {path}: {fold([label for label, _ in publish])}" if publish
                  else f"release config {path} changes")
    elif publish:
        yield Hit(RELEASE_RULE, path, first_line(publish), f"{path}: {fold([label for label, _ in publish])}")

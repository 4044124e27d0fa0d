"""Infrastructure as code and DNS: what `apply` will create, change or destroy for real."""
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from guard.model import FileChange, Level, Question
from guard.paths import excluded_reason
from guard.rules import Context, Hit, Rule, rule_doc
from guard.rules.gates import Gate
from guard.rules.pathsets import PathSet
from guard.rules.patterns import lazy
from guard.rules.signals import Signal, first_line, scan, signal
from guard.words import fold

_IAC = (
    ("Terraform", ("*.tf", "*.tf.json", "*.tfvars", "*.tfvars.json", ".terraform.lock.hcl", "terragrunt.hcl",
                   "*.tofu", "*.tfstate", "*.tfstate.backup")),
    ("Pulumi", ("Pulumi.yaml", "Pulumi.yml", "Pulumi.*.yaml", "Pulumi.*.yml")),
    ("AWS CDK", ("cdk.json", "cdk.context.json")),
    ("Bicep", ("*.bicep", "*.bicepparam")),
    ("AWS SAM", ("samconfig.toml",)),
    ("Helm", ("Chart.yaml", "Chart.lock", "charts/**/*.yaml", "charts/**/*.yml", "charts/**/*.tpl",
              "helm/**/*.yaml", "helm/**/*.yml", "helm/**/*.tpl", "helmfile.yaml", "helmfile.d/**")),
    ("Kubernetes", ("kustomization.yaml", "kustomization.yml", "k8s/**", "kubernetes/**", "kube/**",
                    "manifests/**/*.yaml", "manifests/**/*.yml")),
)
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_SOURCE_SUFFIXES = (".ts", ".js", ".mjs", ".py", ".go", ".cs", ".java")
# (kind, pattern, the file types it can appear in): a Python file quoting "AWSTemplateFormatVersion"
# is not a template.
# Every CDK pattern below holds "cdk" and every Pulumi one "pulumi": infra_kind tests those
# literals on the raw hunk bytes (_SOURCE_GATE) before decoding anything.
_CONTENT = (
    ("Kubernetes", lazy(r"^apiVersion:\s*\S+.*^kind:\s*\w+|^kind:\s*\w+.*^apiVersion:", re.M | re.S),
     _MANIFEST_SUFFIXES),
    ("CloudFormation", lazy(r"AWSTemplateFormatVersion|Transform:\s*AWS::Serverless|Type:\s*['\"]?AWS::\w+"),
     _MANIFEST_SUFFIXES),
    # In source files only imports and API use count, not a string that mentions the package.
    ("AWS CDK", lazy(r"^\s*(?:import\b.*['\"](?:aws-cdk-lib|@aws-cdk/)|from\s+aws_cdk\b|import\s+aws_cdk\b)"
                           r"|require\(['\"](?:aws-cdk-lib|@aws-cdk/)|\bcdk\.(?:Stack|App|RemovalPolicy)\b", re.M),
     _SOURCE_SUFFIXES),
    ("Pulumi", lazy(r"^\s*import\s+pulumi\b|^\s*import\b.*['\"]@pulumi/|require\(['\"]@pulumi/"
                          r"|\bpulumi\.(?:export|ResourceOptions)\(", re.M),
     _SOURCE_SUFFIXES),
)
IAC = tuple((name, PathSet(*globs)) for name, globs in _IAC)
_ANY_IAC = PathSet(*(glob for _, globs in _IAC for glob in globs))
# Only a hunk of a manifest may be known (a bare patch): two keys only Kubernetes uses will do.
_K8S_KEYS = lazy(r"^\s*(containers|replicas|matchLabels|imagePullPolicy|volumeMounts|serviceAccountName"
                       r"|restartPolicy|containerPort|nodeSelector|jobTemplate):", re.M)
DNS = PathSet("*.zone", "zones/**", "named.conf*", "dnsconfig.js", "/CNAME", "docs/CNAME", "octodns/**")

INFRA_SIGNALS: tuple[Signal, ...] = (
    signal(r'^\s*resource\s+"([^"]+)"\s+"([^"]+)"', lambda m: f"resource {m.group(1)}.{m.group(2)}"),
    signal(r'^\s*module\s+"([^"]+)"', lambda m: f"module {m.group(1)}"),
    signal(r"^kind:\s*(\w+)", lambda m: f"a {m.group(1)}"),
)
DESTROY_SIGNALS: tuple[Signal, ...] = (
    signal(r"force_destroy\s*=\s*true", "force_destroy = true"),
    signal(r"prevent_destroy\s*=\s*false", "prevent_destroy = false"),
    signal(r"prevent_destroy\s*=\s*true", "prevent_destroy = true removed", "-"),
    signal(r"deletion_protection(_enabled)?\s*=\s*false|DeletionProtection['\"]?:\s*['\"]?false", "deletion_protection = false"),
    signal(r"deletion_protection(_enabled)?\s*=\s*true|DeletionProtection['\"]?:\s*['\"]?true", "deletion_protection removed", "-"),
    signal(r"skip_final_snapshot\s*=\s*true", "skip_final_snapshot = true"),
    # count = 0 keeps the block and destroys every instance of it.
    signal(r"^\s*count\s*=\s*0\s*(?:#.*)?$", "count = 0 (destroys the resource on apply)"),
    signal(r"(DeletionPolicy|UpdateReplacePolicy):\s*['\"]?Delete", lambda m: f"{m.group(1)}: Delete"),
    signal(r"DeletionPolicy:\s*['\"]?(Retain|Snapshot)", lambda m: f"DeletionPolicy: {m.group(1)} removed", "-"),
    signal(r"RemovalPolicy\.DESTROY", "RemovalPolicy.DESTROY"),
    signal(r"autoDeleteObjects:\s*true|auto_delete_objects\s*=\s*True", "autoDeleteObjects"),
    signal(r"\bprotect['\"]?\s*[:=]\s*(true|True)", "protect: true removed", "-"),
    signal(r"(persistentVolumeReclaimPolicy|reclaimPolicy):\s*Delete", lambda m: f"{m.group(1)}: Delete"),
    signal(r"helm\.sh/resource-policy:\s*keep", "helm.sh/resource-policy: keep removed", "-"),
)
# A protection's "removed" label, and the label of the same protection set off.
_TURNED_OFF = {"deletion_protection removed": "deletion_protection = false",
               "prevent_destroy = true removed": "prevent_destroy = false"}
_RESOURCE = lazy(r'^\s*resource\s+"([^"]+)"\s+"([^"]+)"')
# HCL keywords are case-sensitive: `Moved {` is not a moved block. Lines come stripped.
_BLOCK_OPEN = lazy(r"(moved|removed)\s*\{\s*(?:(?:#|//).*)?$")
_BLOCK_ARG = lazy(r"(from|to)\s*=\s*(\S+?)\s*(?:(?:#|//).*)?$")
# A block inside a removed block: lifecycle { destroy = ... }, connection, provisioner "x".
_NESTED_OPEN = lazy(r'(\w+)(?:\s+"[^"]*")?\s*\{\s*(?:(?:#|//).*)?$')
_DESTROY_ARG = lazy(r"destroy\s*=\s*(true|false)\s*(?:(?:#|//).*)?$")
_LIFECYCLE_LINE = lazy(r"lifecycle\s*\{\s*destroy\s*=\s*(true|false)\s*\}\s*(?:(?:#|//).*)?$")
_KEYS = lazy(r"\[[^\]]*\]")  # the instance keys of an address: module.net["eu"]
# A /* comment that opens a line and does not close on it (not "arn:...:bucket/*" in a string),
# or a heredoc (<<EOT, <<-EOT) to its marker.
_SKIP_OPEN = lazy(r"^/\*(?!.*\*/)|<<-?([A-Za-z_]\w*)$")
DNS_SIGNALS: tuple[Signal, ...] = (
    signal(r'resource\s+"(aws_route53_record|aws_route53_zone|cloudflare_(?:dns_)?record|google_dns_record_set|'
           r'azurerm_dns_\w+|digitalocean_record|gandi_livedns_record)"', lambda m: f"{m.group(1)}", "+-"),
    signal(r"external-dns\.alpha\.kubernetes\.io/hostname", "external-dns hostname", "+-"),
    signal(r"v=spf1", "SPF record (who may send mail as the domain)", "+-"),
    signal(r"v=DMARC1", "DMARC record", "+-"),
    signal(r"_domainkey", "DKIM record", "+-"),
    signal(r"\bIN\s+(MX)\b|\btype\s*=\s*\"MX\"|\bMX\(", "MX record (where mail goes)", "+-"),
    signal(r"\bIN\s+(A|AAAA|CNAME|NS|TXT|CAA|SRV)\b", lambda m: f"{m.group(1)} record", "+-"),
)


def _doc(what: str, why: str, example: str, rule_id: str) -> str:
    return rule_doc(what, why, example,
                    f"`rules.{rule_id} = \"report\"` to be told instead of asked; per path with "
                    f"`[[overrides]]`, e.g. `paths = [\"infra/sandbox/**\"]`, `level = \"report\"`.")


INFRA = Rule(
    "outbound-infra", "outbound", Question.OTHERS, Level.ASK,
    "infrastructure as code changes (Terraform, Pulumi, CloudFormation, CDK, Helm, Kubernetes)",
    _doc("Asks when infrastructure code changes: Terraform/OpenTofu (`*.tf`, `*.tfvars`, lock file, "
         "Terragrunt), Pulumi, CloudFormation/SAM templates (found by content), AWS CDK apps, Bicep, "
         "Helm charts and helmfiles, kustomize, and Kubernetes manifests (found by `apiVersion:` + "
         "`kind:`). Names the resources, modules and kinds it adds, and what its Terraform `moved {}` "
         "blocks move.",
         "`apply` changes real systems that other people and customers depend on, and costs money.",
         "`resource \"aws_s3_bucket\" \"logs\"` added to `infra/main.tf` → "
         "`Terraform infra/main.tf: adds resource aws_s3_bucket.logs`.", "outbound-infra"),
)
DESTROY = Rule(
    "outbound-infra-destroy", "outbound", Question.REVERSIBLE, Level.ASK,
    "infrastructure change that destroys resources or removes their protection",
    _doc("Asks, as an irreversible change, when infrastructure code removes a Terraform `resource` "
         "block (not one that a `moved {}` block in the same file moves to a new address: Terraform "
         "moves its state, and `outbound-infra` names the move) or adds a `removed {}` block (said for "
         "what its lifecycle does: `destroy = false` forgets the resource, Terraform stops managing "
         "it and keeps the real one; otherwise it is destroyed), sets "
         "`count = 0`, `force_destroy = true`, `prevent_destroy = false`, `deletion_protection = false` "
         "or `skip_final_snapshot = true`, removes `prevent_destroy = true` or deletion protection, "
         "sets CloudFormation `DeletionPolicy: Delete` or drops `Retain`, uses CDK "
         "`RemovalPolicy.DESTROY`/`autoDeleteObjects`, removes Pulumi `protect: true`, sets a "
         "Kubernetes reclaim policy to `Delete` or removes `helm.sh/resource-policy: keep`.",
         "A destroyed bucket, database or volume takes its data with it; `git revert` brings back the "
         "code, not the data.",
         "`force_destroy = true` on an S3 bucket → `Terraform infra/s3.tf: force_destroy = true`.",
         "outbound-infra-destroy"),
)
DNS_RULE = Rule(
    "outbound-dns", "outbound", Question.OTHERS, Level.ASK,
    "DNS records or zones change (including mail records: MX, SPF, DMARC, DKIM)",
    _doc("Asks when DNS changes: zone files, DNSControl `dnsconfig.js`, octoDNS config, a GitHub "
         "Pages `CNAME`, Terraform DNS resources (Route 53, Cloudflare, Google, Azure, DigitalOcean) "
         "and external-dns annotations. Names MX, SPF, DMARC and DKIM records, which decide where "
         "mail goes and who may send it.",
         "DNS is cached around the world: a wrong record takes the site or the mail down for everyone, "
         "and a fix takes the TTL to arrive.",
         "`+@ IN MX 10 mail.example.net.` in `zones/example.com.zone` → "
         "`DNS zones/example.com.zone: MX record (where mail goes)`.", "outbound-dns"),
)
RULES = (INFRA, DESTROY, DNS_RULE)


def _reader(context: Context) -> Callable[[str], str | None]:
    read = context.extra.get("read_new")
    return read if callable(read) else (lambda path: None)


_SOURCE_GATE = Gate((b"cdk", b"pulumi"))


def infra_kind(change: FileChange, context: Context) -> str | None:
    kind = next((name for name, globs in IAC if globs.matches(change.path)), None) \
        if _ANY_IAC.matches(change.path) else None
    if kind or not change.path.endswith(_MANIFEST_SUFFIXES + _SOURCE_SUFFIXES):
        return kind
    if change.path.endswith(_SOURCE_SUFFIXES) and not _SOURCE_GATE.in_body(change.body):
        return None  # most source files: no CDK or Pulumi word, nothing to decode
    text = "\n".join(line.text for line in change.lines)
    for name, pattern, suffixes in _CONTENT:
        if change.path.endswith(suffixes) and pattern.search(text):
            return name
    # Manifests and templates declare their kind at the top, often outside the hunk: read the
    # head of the new file. Source files are not read (CDK/Pulumi are found in the hunk).
    if change.path.endswith(_MANIFEST_SUFFIXES) and change.status != "deleted" \
            and not excluded_reason(change.path, change.binary):  # lockfiles can be megabytes
        whole = (_reader(context)(change.path) or "")[:20000]
        for name, pattern, _ in _CONTENT[:2]:
            if pattern.search(whole):
                return name
    if change.path.endswith((".yaml", ".yml")) and len(set(_K8S_KEYS.findall(text))) >= 2:
        return "Kubernetes"
    return None


class Move(NamedTuple):
    """A `moved {}` block of the new text: Terraform (>= 1.1) moves the state from `source` to
    `target` instead of destroying one and creating the other."""

    source: str
    target: str
    line: int
    added: bool  # the block is new or edited in this change

    def says(self) -> str:
        """As the INFRA finding names it: "resource a.b to c.d", "module.a to module.b"."""
        return f"{'' if _module(self.source) else 'resource '}{self.source} to {self.target}"

    def target_label(self) -> str:
        """The label INFRA_SIGNALS give the block that the target address names."""
        name = _module(self.target)
        return f"module {name}" if name else f"resource {self.target}"


class Removal(NamedTuple):
    """A `removed {}` block of the new text (Terraform >= 1.7): the resource leaves the state,
    and is destroyed unless its `lifecycle { destroy = false }` says to keep the real one."""

    source: str | None  # None: the block was not read whole (cut by a gap, or not as expected)
    destroy: bool | None  # its lifecycle's destroy; None when it does not say
    line: int
    added: bool

    def says(self) -> str:
        """As the DESTROY finding names it."""
        if self.source is None or self.destroy is None:
            return "a removed {} block"
        what = "resource " if _module(self.source) is None else ""
        if self.destroy:
            return f"a removed {{}} block destroys {what}{self.source}"
        return (f"forgets {what}{self.source} (removed {{}} with destroy = false: Terraform stops "
                "managing it, the real one is kept)")


class _Blocks(NamedTuple):
    moves: list[Move]
    removals: list[Removal]


def _blocks(change: FileChange) -> _Blocks:
    """The moved and removed blocks in the new text a Terraform file's hunks show (added and
    context lines). Only a block as Terraform reads it counts: not one in a comment, a /* */ or
    a heredoc."""
    found = _Blocks([], [])
    # A plain `in` on Terraform files only, not a Gate: a gate's literal joins the scan of every file.
    if not change.path.endswith((".tf", ".tofu")) or (b"moved" not in change.body
                                                      and b"removed" not in change.body):
        return found
    kind = ""  # "moved" or "removed": the block being read
    args: dict[str, str] = {}
    nested: list[str] = []  # the blocks open inside it: lifecycle, provisioner...
    skip_to: str | None = None  # the line that ends a /* comment or heredoc being skipped
    start, added, last = 0, False, 0

    def cut() -> None:  # a removed block not read to its end still removes something
        if kind == "removed":
            found.removals.append(Removal(None, None, start, added))

    for line in change.lines:
        if line.kind == "-":
            continue
        if line.number != last + 1:  # a gap between hunks: what was open is unknown
            cut()
            kind, skip_to = "", None
        last = line.number
        text = line.text.strip()
        if skip_to is not None:
            if text == skip_to or (skip_to == "*/" and "*/" in text):
                skip_to = None
        elif (opened := _SKIP_OPEN.search(text)) is not None and (not kind or nested):
            skip_to = opened[1] or "*/"
        elif not kind:
            if (block := _BLOCK_OPEN.match(text)) is not None:
                kind, args, nested, start, added = block[1], {}, [], line.number, line.kind == "+"
        elif nested:  # inside a lifecycle, provisioner or connection block
            added = added or line.kind == "+"
            if text == "}":
                nested.pop()
            elif (inner := _NESTED_OPEN.match(text)) is not None:
                nested.append(inner[1])
            elif nested == ["lifecycle"] and (setting := _DESTROY_ARG.match(text)) is not None:
                args["destroy"] = setting[1]
        elif text == "}":
            added = added or line.kind == "+"
            if kind == "moved" and "from" in args and "to" in args:
                found.moves.append(Move(args["from"], args["to"], start, added))
            elif kind == "removed" and "from" in args:
                found.removals.append(Removal(args["from"], {"true": True, "false": False}.get(args.get("destroy", "")),
                                              start, added))
            else:
                cut()
            kind = ""
        elif (arg := _BLOCK_ARG.match(text)) is not None:
            args[arg[1]] = arg[2]
            added = added or line.kind == "+"
        elif kind == "removed" and (inner := _NESTED_OPEN.match(text)) is not None:
            nested.append(inner[1])
            added = added or line.kind == "+"
        elif kind == "removed" and (setting := _LIFECYCLE_LINE.match(text)) is not None:
            args["destroy"] = setting[1]
            added = added or line.kind == "+"
        elif text and not text.startswith(("#", "//")):
            cut()
            kind = ""  # not such a block after all
    cut()
    return found


def moves(change: FileChange) -> list[Move]:
    """The moved blocks in the new text a Terraform file's hunks show (added and context lines)."""
    return _blocks(change).moves


def _module(address: str) -> str | None:
    """The module call an address names (`module.net["eu"]`: net); None for a resource."""
    parts = _KEYS.compiled.sub("", address).split(".")
    return parts[-1] if len(parts) >= 2 and parts[-2] == "module" else None


def _removed_resources(change: FileChange) -> list[tuple[str, int]]:
    """(address, line) of each resource block removed and not added back."""
    added = {m.groups() for m in (_RESOURCE.match(l.text) for l in change.lines if l.kind == "+") if m}
    return [(f"{m.group(1)}.{m.group(2)}", line.place or 0)
            for line in change.lines if line.kind == "-"
            for m in [_RESOURCE.match(line.text)] if m and m.groups() not in added]


def check_file(change: FileChange, context: Context) -> Iterator[Hit]:
    kind = infra_kind(change, context)
    dns_path = DNS.matches(change.path)
    if kind is not None:
        removed = _removed_resources(change)
        found, removals = _blocks(change)
        # A resource a moved block moves is not destroyed. The move is named when this change
        # makes it or it saves a resource this file removes; its target is not "added".
        sources = {m.source for m in found}
        shown = [m for m in found if m.added or any(m.source == address for address, _ in removed)]
        targets = {m.target_label() for m in shown}
        details = [(label, n) for label, n in scan(change, INFRA_SIGNALS) if label not in targets]
        said = [f"adds {fold([d for d, _ in details])}"] if details else []
        if shown:
            said.append(f"moves {fold([m.says() for m in shown])}")
        text = f"{kind} {change.path}: {'; '.join(said)}" if said else f"{kind} {change.path} changes"
        placed = sorted(details + [("", m.line) for m in shown], key=lambda d: d[1])
        yield Hit(INFRA, change.path, first_line(placed), text)
        # A resource removed is destroyed on apply, unless a removed block with destroy = false
        # keeps the real one; a removed block is said on its own line when no resource of this
        # file says it.
        kept = {r.source: r for r in removals if r.destroy is False}
        gone = [(kept[address].says() if address in kept else f"removes resource {address} (destroyed on apply)", n)
                for address, n in removed if address not in sources]
        named = {address for address, _ in removed if address not in sources}
        blocks = [(r.says(), r.line) for r in removals if r.added and not (r.destroy is not None and r.source in named)]
        signals = scan(change, DESTROY_SIGNALS)
        # A protection turned off (`deletion_protection = true` → `= false`) is said as the new
        # value, not as a removal as well.
        shown_labels = {label for label, _ in signals}
        signals = [(label, n) for label, n in signals if _TURNED_OFF.get(label) not in shown_labels]
        destroy = sorted(gone + blocks + signals, key=lambda d: d[1])
        if destroy:
            yield Hit(DESTROY, change.path, first_line(destroy),
                      f"{kind} {change.path}: {fold([d for d, _ in destroy])}")
    if kind is not None or dns_path:
        records = scan(change, DNS_SIGNALS)
        if records or dns_path:
            detail = f": {fold([r for r, _ in records])}" if records else " changes"
            yield Hit(DNS_RULE, change.path, first_line(records), f"DNS {change.path}{detail}")

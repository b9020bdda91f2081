"""`backcoach build`: the skill package (ASK CLI v2 layout) and a reproducible Lambda zip, from a checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.alexa.interaction_model import LOCALES, model_path

REPO = Path(__file__).resolve().parents[2]
ENDPOINT_PLACEHOLDER = "${SKILL_FUNCTION_ARN}"
PRIVACY_PLACEHOLDER, TERMS_PLACEHOLDER = "${PRIVACY_POLICY_URL}", "${TERMS_OF_USE_URL}"
FILE_URI = "file://"  # a manifest file URI, relative to the skill package (icons: assets/images/…)
ASK_RESOURCES = "ask-resources.json"
LAMBDA_RUNTIME_PYTHON = "3.14"  # the template's runtime (infrastructure/template.yaml)
PURE_WHEELS = ["--implementation", "py", "--abi", "none", "--platform", "any"]
# The upload worker's compiled dependency (pydantic-core, under stravalib) is installed for Lambda itself:
# arm64 (the template's architecture), CPython of the runtime's version.
LAMBDA_WHEELS = ["--implementation", "cp", "--abi", "cp" + LAMBDA_RUNTIME_PYTHON.replace(".", ""),
                 "--platform", "manylinux2014_aarch64"]
UPLOAD_REQUIREMENTS = "requirements-uploads.txt"
LINKING_PLACEHOLDERS = {"${CLIENT_ID}": "BACKCOACH_LINK_CLIENT_ID", "${CLIENT_SECRET}": "BACKCOACH_LINK_CLIENT_SECRET"}
# Not needed on Lambda: the local chat and the web endpoint (their dependencies are not in the zip).
LEFT_OUT = ("skill/cli", "skill/web")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # every zip entry gets the same time, so equal inputs give equal bytes


@dataclass(frozen=True)
class BuildResult:
    skill_package: Path
    lambda_zip: Path
    zip_bytes: int
    unzipped_bytes: int
    files: int
    uploads_zip: Path
    uploads_zip_bytes: int
    account_linking: tuple[Path, ...]


def build(
    out: Path, function_arn: str, repo: Path = REPO, *, privacy_url: str = "", terms_url: str = "",
) -> BuildResult:
    """Everything a deploy sends. `function_arn` "" leaves the manifest without an endpoint (see
    build_skill_package); missing privacy and terms links are left out (`backcoach build` requires them)."""
    package = build_skill_package(out / "skill-package", function_arn, repo, privacy_url=privacy_url,
                                  terms_url=terms_url)
    write_ask_resources(out)
    zip_path, unzipped, files = build_lambda_zip(out / "lambda.zip", repo)
    uploads_path, _, _ = build_lambda_zip(out / "uploads.zip", repo, uploads=True)
    linking = build_account_linking(out / "account-linking", repo)
    return BuildResult(package, zip_path, zip_path.stat().st_size, unzipped, files, uploads_path,
                       uploads_path.stat().st_size, linking)


def build_account_linking(target: Path, repo: Path = REPO) -> tuple[Path, ...]:
    """One account-linking request per service (for `ask smapi update-account-linking-info`), with the OAuth
    client id and secret from the environment when set (they are never committed)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted((repo / "infrastructure" / "account-linking").glob("*.json")):
        text = source.read_text(encoding="utf-8")
        for placeholder, variable in LINKING_PLACEHOLDERS.items():
            if os.environ.get(variable):
                text = text.replace(placeholder, json.dumps(os.environ[variable])[1:-1])
        json.loads(text)  # still valid JSON
        (target / source.name).write_text(text, encoding="utf-8")
        written.append(target / source.name)
    return tuple(written)


def build_skill_package(target: Path, function_arn: str, repo: Path = REPO, *, privacy_url: str = "",
                        terms_url: str = "") -> Path:
    """skill.json with the endpoint and the privacy and terms links filled in, the icons it names, and
    interactionModels/custom/<locale>.json.

    With no function ARN the manifest has no endpoint: that package creates the skill before the stack exists
    (the stack needs the skill id, the skill's endpoint needs the stack). A link not given is left out rather
    than left as a placeholder. Icons are `file://` URIs relative to the package, as the ASK CLI's skill-package
    import reads them; each is copied from infrastructure/, where the manifest template lives."""
    if target.exists():
        shutil.rmtree(target)
    models = target / "interactionModels" / "custom"
    models.mkdir(parents=True)
    manifest = json.loads((repo / "infrastructure" / "skill.json").read_text(encoding="utf-8"))
    custom = manifest["manifest"]["apis"]["custom"]
    if function_arn:
        custom["endpoint"] = {"uri": function_arn}
    else:
        custom.pop("endpoint", None)
    links = {PRIVACY_PLACEHOLDER: privacy_url, TERMS_PLACEHOLDER: terms_url}
    for locale in manifest["manifest"]["privacyAndCompliance"].get("locales", {}).values():
        for key, value in list(locale.items()):
            if value in links:
                if links[value]:
                    locale[key] = links[value]
                else:
                    del locale[key]
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    if "${" in text:
        unfilled = text[text.index("${"):][:40]
        raise ValueError(f"infrastructure/skill.json has a placeholder that build does not fill: {unfilled}")
    (target / "skill.json").write_text(text, encoding="utf-8")
    for uri in manifest_files(manifest):
        source = repo / "infrastructure" / uri
        (target / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / uri)
    for locale in LOCALES:
        shutil.copyfile(model_path(locale, repo / "interaction_models"), models / f"{locale}.json")
    return target


def manifest_files(manifest: dict[str, Any]) -> list[str]:
    """The package-relative paths of the files a manifest names as file:// URIs (the icons)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith(FILE_URI):
            found.add(node.removeprefix(FILE_URI))

    walk(manifest)
    return sorted(found)


def write_ask_resources(out: Path, profile: str = "default") -> Path:
    """ask-resources.json: `out` becomes an ASK CLI project whose skill package is skill-package/, so `ask deploy`
    there uploads the whole package (the only way the ASK CLI sends file:// icons) and keeps the skill id in
    .ask/ask-states.json. It names no code and no skillInfrastructure: the backend is the SAM stack."""
    path = out / ASK_RESOURCES
    out.mkdir(parents=True, exist_ok=True)
    resources = {"askcliResourcesobjectVersion": "1.0",
                 "profiles": {profile: {"skillMetadata": {"src": "./skill-package"}}}}
    path.write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")
    return path


def build_lambda_zip(target: Path, repo: Path = REPO, uploads: bool = False) -> tuple[Path, int, int]:
    """lambda/*.py at the root, the skill package, and lambda/requirements.txt installed as pure wheels;
    with `uploads`, also lambda/requirements-uploads.txt installed for Lambda's platform (the worker's zip)."""
    with tempfile.TemporaryDirectory() as scratch:
        deps = Path(scratch) / "deps"
        installs = [("requirements.txt", PURE_WHEELS)] + ([(UPLOAD_REQUIREMENTS, LAMBDA_WHEELS)] if uploads else [])
        for requirements, wheels in installs:
            subprocess.run(
                [
                    sys.executable, "-m", "pip", "install", "-qq", "--disable-pip-version-check", "--no-compile",
                    "--no-deps", "--target", str(deps), "--only-binary=:all:", *wheels,
                    "--python-version", LAMBDA_RUNTIME_PYTHON,
                    "--require-hashes", "-r", str(repo / "lambda" / requirements),
                ],
                check=True,
            )
        entries: dict[str, Path] = {}
        for path in _files(deps):
            relative = path.relative_to(deps).as_posix()
            if not relative.startswith("bin/"):
                entries[relative] = path
        for path in _files(repo / "skill"):
            relative = path.relative_to(repo).as_posix()
            if not relative.startswith(LEFT_OUT) and path.suffix in (".py", ".toml", ".txt", ".typed", ".json"):
                entries[relative] = path
        for path in sorted((repo / "lambda").glob("*.py")):
            entries[path.name] = path
        target.parent.mkdir(parents=True, exist_ok=True)
        unzipped = 0
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                data = entries[name].read_bytes()
                unzipped += len(data)
                archive.writestr(info, data)
    return target, unzipped, len(entries)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


# -- deploy: the SAM stack and the skill package, in the order each needs the other ------------------------------

ASK_STATES = Path(".ask") / "ask-states.json"  # where the ASK CLI keeps the skill id of the project in `out`
TEMPLATE = Path("infrastructure") / "template.yaml"  # relative to the repository; its CodeUris point at build/
SKILL_ID_UNKNOWN = "<the skill id `ask deploy` writes to build/.ask/ask-states.json>"


@dataclass(frozen=True)
class Step:
    """One command of a deploy: `name` says which (tests and the dry run key on it), `why` is printed."""

    name: str
    why: str
    argv: tuple[str, ...]
    cwd: Path
    may_fail: bool = False  # a failure is an answer ("no such stack"), and the runner returns "" for it


Runner = Callable[[Step], str]  # runs a step and returns its standard output


@dataclass(frozen=True)
class DeployConfig:
    out: Path  # the built artifacts and the ASK CLI project (ask-resources.json, .ask/)
    stack_name: str = "backcoach"
    upload_service: str = "off"  # the template's UploadService: off, strava or fitbit
    skill_id: str = ""  # an existing skill; "" = the one in .ask/ask-states.json, or a new one
    region: str = ""  # AWS region for SAM ("" = the AWS CLI's default)
    profile: str = "default"  # ASK CLI profile
    privacy_url: str = ""
    terms_url: str = ""
    repo: Path = REPO


@dataclass(frozen=True)
class DeployResult:
    skill_id: str
    outputs: dict[str, str]  # the stack's outputs: SkillFunctionArn, SyncApiUrl, StateTableName
    steps: tuple[Step, ...]
    notes: tuple[str, ...]  # what is left for the person to do


def deploy(config: DeployConfig, run: Runner, build_artifacts: Callable[[DeployConfig], None]) -> DeployResult:
    """Build, create the skill if there is none (a package with no endpoint), deploy the stack with its id, read
    the stack's outputs, and send the package again with the function as its endpoint; then account linking.

    The skill package goes through `ask deploy` (a whole-package import): SMAPI's update-skill-manifest cannot
    carry file:// icons. Every command goes through `run`, so a dry run prints them and tests fake them."""
    done: list[Step] = []

    def step(name: str, why: str, argv: list[str], cwd: Path, may_fail: bool = False) -> str:
        planned = Step(name, why, tuple(argv), cwd, may_fail)
        done.append(planned)
        return run(planned)

    out, repo = config.out, config.repo
    ask_profile = ["--profile", config.profile]
    build_artifacts(config)
    write_ask_resources(out, config.profile)
    if config.skill_id:
        write_skill_id(out, config.profile, config.skill_id)
    region = ["--region", config.region] if config.region else []
    list_outputs = ["sam", "list", "stack-outputs", "--stack-name", config.stack_name, "--output", "json", *region]
    skill_id = read_skill_id(out, config.profile)
    if not skill_id:  # build/ was cleaned, or this is the first deploy: a stack that exists knows its skill
        existing = step("find-skill", "look for the skill id in an existing stack (fails when there is none)",
                        list_outputs, repo, may_fail=True)
        skill_id = parse_stack_outputs(existing, require=False).get("SkillId", "") if existing.strip() else ""
        if skill_id:
            write_skill_id(out, config.profile, skill_id)
    if not skill_id:
        step("create-skill", "create the skill from the package (no endpoint yet: the stack needs the skill id)",
             ["ask", "deploy", "--target", "skill-metadata", *ask_profile], out)
        skill_id = read_skill_id(out, config.profile) or SKILL_ID_UNKNOWN
    step("deploy-stack", "deploy the backend: functions, tables, sync API and (if on) the upload worker",
         ["sam", "deploy", "--template-file", str(TEMPLATE), "--stack-name", config.stack_name,
          "--capabilities", "CAPABILITY_IAM", "--resolve-s3", "--no-confirm-changeset",
          "--no-fail-on-empty-changeset", "--parameter-overrides", f"SkillId={skill_id}",
          f"UploadService={config.upload_service}", *region], repo)
    listed = step("stack-outputs", "read the stack's outputs", list_outputs, repo)
    outputs = parse_stack_outputs(listed)
    build_skill_package(out / "skill-package", outputs["SkillFunctionArn"], repo, privacy_url=config.privacy_url,
                        terms_url=config.terms_url)
    step("deploy-skill-package", "send the package with the function as its endpoint, build the models, enable "
         "the skill for testing", ["ask", "deploy", "--ignore-hash", *ask_profile], out)
    notes = []
    if config.upload_service != "off":
        request = Path("account-linking") / f"{config.upload_service}.json"
        if "${" in (out / request).read_text(encoding="utf-8"):
            notes.append(f"Account linking was not sent: {out / request} still has placeholders. Set "
                         f"{LINKING_PLACEHOLDERS['${CLIENT_ID}']} and {LINKING_PLACEHOLDERS['${CLIENT_SECRET}']} "
                         "to your API application's and deploy again.")
        else:
            step("account-linking", f"link accounts with {config.upload_service} (for uploads)",
                 ["ask", "smapi", "update-account-linking-info", "--skill-id", skill_id,
                  "--account-linking-request", f"file:{request.as_posix()}", *ask_profile], out)
    return DeployResult(skill_id, outputs, tuple(done), tuple(notes))


def parse_stack_outputs(listed: str, require: bool = True) -> dict[str, str]:
    """`sam list stack-outputs --output json`: a list of {OutputKey, OutputValue, Description}."""
    outputs = {item["OutputKey"]: item["OutputValue"] for item in json.loads(listed)}
    if require and "SkillFunctionArn" not in outputs:
        raise ValueError(f"the stack has no SkillFunctionArn output (got {sorted(outputs)})")
    return outputs


def read_skill_id(out: Path, profile: str = "default") -> str:
    path = out / ASK_STATES
    if not path.exists():
        return ""
    states = json.loads(path.read_text(encoding="utf-8"))
    return str(states.get("profiles", {}).get(profile, {}).get("skillId") or "")


def write_skill_id(out: Path, profile: str, skill_id: str) -> None:
    """Adopt an existing skill: the ASK CLI then updates it instead of creating another."""
    path = out / ASK_STATES
    states = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
        "askcliStatesVersion": "2020-03-31", "profiles": {}}
    states.setdefault("profiles", {}).setdefault(profile, {})["skillId"] = skill_id
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(states, indent=2) + "\n", encoding="utf-8")


def shell_line(step: Step, repo: Path = REPO) -> str:
    """The step as one shell line to copy: `(cd build && ask deploy …)` when it runs elsewhere than the checkout."""
    import shlex

    line = shlex.join(step.argv)
    if step.cwd.resolve() == repo.resolve():
        return line
    where = step.cwd.relative_to(repo) if step.cwd.is_relative_to(repo) else step.cwd
    return f"(cd {shlex.quote(str(where))} && {line})"

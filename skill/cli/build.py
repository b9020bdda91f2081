"""`backcoach build`: the skill package (ASK CLI v2 layout) and a reproducible Lambda zip, from a checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from skill.alexa.interaction_model import LOCALES, model_path

REPO = Path(__file__).resolve().parents[2]
ENDPOINT_PLACEHOLDER = "${SKILL_FUNCTION_ARN}"
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
# A Lambda function's ARN (any partition), optionally with a version or alias: what the manifest's endpoint needs.
FUNCTION_ARN = re.compile(r"arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}"
                          r"(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?")


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


def build(out: Path, function_arn: str, repo: Path = REPO) -> BuildResult:
    package = build_skill_package(out / "skill-package", function_arn, repo)
    zip_path, unzipped, files = build_lambda_zip(out / "lambda.zip", repo)
    uploads_path, _, _ = build_lambda_zip(out / "uploads.zip", repo, uploads=True)
    linking = build_account_linking(out / "account-linking", repo)
    return BuildResult(package, zip_path, zip_path.stat().st_size, unzipped, files, uploads_path,
                       uploads_path.stat().st_size, linking)


def arn_problem(arn: str) -> str:
    """Why `arn` cannot be the skill's endpoint ("" when it can): Alexa refuses a manifest whose endpoint is not
    a Lambda ARN, long after the build."""
    if FUNCTION_ARN.fullmatch(arn):
        return ""
    return (f"{arn!r} is not a Lambda function ARN: expected arn:aws:lambda:REGION:ACCOUNT-ID:function:NAME "
            "(the stack's SkillFunctionArn output, e.g. arn:aws:lambda:us-east-1:123456789012:function:backcoach)")


def placeholders_left(path: Path) -> list[str]:
    """The `${…}` placeholders an account-linking request still carries, with the variable that fills each."""
    text = path.read_text(encoding="utf-8")
    return [f"{placeholder} (set {variable})" for placeholder, variable in LINKING_PLACEHOLDERS.items()
            if placeholder in text]


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


def build_skill_package(target: Path, function_arn: str, repo: Path = REPO) -> Path:
    """skill.json with the endpoint filled in, and interactionModels/custom/<locale>.json."""
    if target.exists():
        shutil.rmtree(target)
    models = target / "interactionModels" / "custom"
    models.mkdir(parents=True)
    manifest = (repo / "infrastructure" / "skill.json").read_text(encoding="utf-8")
    manifest = manifest.replace(ENDPOINT_PLACEHOLDER, function_arn)
    json.loads(manifest)  # still valid JSON
    (target / "skill.json").write_text(manifest, encoding="utf-8")
    for locale in LOCALES:
        shutil.copyfile(model_path(locale, repo / "interaction_models"), models / f"{locale}.json")
    return target


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
            if not relative.startswith(LEFT_OUT) and path.suffix in (".py", ".toml", ".txt", ".typed"):
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

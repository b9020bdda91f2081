"""`backcoach build`: the skill package (ASK CLI v2 layout) and a reproducible Lambda zip, from a checkout."""

from __future__ import annotations

import json
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


def build(out: Path, function_arn: str, repo: Path = REPO) -> BuildResult:
    package = build_skill_package(out / "skill-package", function_arn, repo)
    zip_path, unzipped, files = build_lambda_zip(out / "lambda.zip", repo)
    return BuildResult(package, zip_path, zip_path.stat().st_size, unzipped, files)


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


def build_lambda_zip(target: Path, repo: Path = REPO) -> tuple[Path, int, int]:
    """lambda/*.py at the root, the skill package, and lambda/requirements.txt installed as pure wheels."""
    with tempfile.TemporaryDirectory() as scratch:
        deps = Path(scratch) / "deps"
        subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "-qq", "--disable-pip-version-check", "--no-compile",
                "--no-deps", "--target", str(deps), "--only-binary=:all:", "--implementation", "py", "--abi", "none",
                "--platform", "any", "--python-version", LAMBDA_RUNTIME_PYTHON,
                "--require-hashes", "-r", str(repo / "lambda" / "requirements.txt"),
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

"""`backcoach build`: the skill package (ASK CLI v2 layout) and a reproducible Lambda zip, from a checkout."""

from __future__ import annotations

import hashlib
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
from typing import Any

from skill.alexa.interaction_model import LOCALES, model_path

REPO = Path(__file__).resolve().parents[2]
ENDPOINT_PLACEHOLDER = "${SKILL_FUNCTION_ARN}"
PRIVACY_PLACEHOLDER, TERMS_PLACEHOLDER = "${PRIVACY_POLICY_URL}", "${TERMS_OF_USE_URL}"
FILE_URI = "file://"  # a manifest file URI, relative to the skill package (icons: assets/images/…)
ASK_RESOURCES = "ask-resources.json"
TEMPLATE = "infrastructure/template.yaml"
PURE_WHEELS = ["--implementation", "py", "--abi", "none", "--platform", "any"]
# One list per zip, edited by hand (*.in), and its hash pins generated from it (*.txt): see `compile_pins`.
# runtime.txt is what Lambda's Python runtime provides (boto3, botocore): never shipped, installed only to run
# an unzipped package here as Lambda runs it (tests, benchmarks).
SKILL_REQUIREMENTS = "requirements.txt"
UPLOAD_REQUIREMENTS = "requirements-uploads.txt"
RUNTIME_REQUIREMENTS = "runtime.txt"
PIN_LISTS = (("requirements.in", SKILL_REQUIREMENTS), ("requirements-uploads.in", UPLOAD_REQUIREMENTS),
             ("runtime.in", RUNTIME_REQUIREMENTS))
PINS_COMMAND = "python -m skill.cli.build --pins"
ENV_BUILD_PYTHON = "BACKCOACH_BUILD_PYTHON"
LAMBDA_TASK_ROOT = "/var/task"  # where Lambda unpacks the zip: the file names tracebacks show
# Top-level folders some wheels install that are not part of any importable package (garmin-fit-sdk's tests).
LEFT_OUT_OF_DEPENDENCIES = ("bin", "tests")
# Data files no function reads: dateutil's copy of the time-zone database (the skill uses the standard library's
# zoneinfo; the SDK uses dateutil only to parse timestamps), 151 KB of a 3 MB budget.
LEFT_OUT_DATA = ("dateutil/zoneinfo/dateutil-zoneinfo.tar.gz",)
# pip's own records of an install (which files, by whom): they describe the sources that are left out.
INSTALLER_RECORDS = ("RECORD", "INSTALLER", "REQUESTED")
COMPLETE = ".complete"
LINKING_PLACEHOLDERS = {"${CLIENT_ID}": "BACKCOACH_LINK_CLIENT_ID", "${CLIENT_SECRET}": "BACKCOACH_LINK_CLIENT_SECRET"}
# Not needed on Lambda: the local chat and the web endpoint (their dependencies are not in the zip).
# What no function runs: the chat, the web endpoint, the phone companion's side of the sync API, and the model
# generator (the models ship in the skill package, not the zip).
LEFT_OUT = ("skill/cli", "skill/web", "skill/companion", "skill/alexa/interaction_model.py")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # every zip entry gets the same time, so equal inputs give equal bytes
ZIP_LEVEL = 9  # the smallest deflate: the package has a 3 MB budget (issue 18)
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
    """The skill function's zip, or with `uploads` the upload worker's: the same package with a different
    requirements list (see `build_package`)."""
    requirements = repo / "lambda" / (UPLOAD_REQUIREMENTS if uploads else SKILL_REQUIREMENTS)
    return build_package(target, requirements, skill_sources(repo))


def skill_sources(repo: Path = REPO) -> dict[str, Path]:
    """What the functions run, by name in the zip: lambda/*.py at the root, and the skill without the local-only
    parts (the chat and the web endpoint, whose dependencies are not in the zip)."""
    sources: dict[str, Path] = {}
    for path in _files(repo / "skill"):
        relative = path.relative_to(repo).as_posix()
        if not relative.startswith(LEFT_OUT) and path.suffix in (".py", ".toml", ".txt", ".json", ".typed"):
            sources[relative] = path
    for path in sorted((repo / "lambda").glob("*.py")):
        sources[path.name] = path
    return sources


def build_package(target: Path, requirements: Path, sources: dict[str, Path]) -> tuple[Path, int, int]:
    """One reproducible zip: `requirements` (hash-pinned, pure-Python wheels for Lambda's Python) installed as
    bytecode only, `sources` as source with their bytecode beside. Returns the zip, its unzipped size and its
    number of files. The same inputs give the same bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "task"
        stage(folder, requirements, sources)
        return target, *write_zip(folder, target)


def stage(folder: Path, requirements: Path | None, sources: dict[str, Path], sourceless: bool = True,
          python: str | None = None) -> Path:
    """Lays out in `folder` what Lambda unpacks into its code folder (/var/task), bytecode compiled.

    Lambda's code folder is read-only, so a module without bytecode is compiled again at every cold start:
    everything here is compiled by the CPython minor version of the template's runtime, with hash-based
    bytecode that is never checked against its source (`unchecked-hash`) and file names as Lambda sees them,
    so the bytes do not depend on when or where the build ran. With `sourceless`, modules ship their bytecode
    alone to keep the zip within 3 MB (dependencies' source is on PyPI, pinned by hash; the skill's is in this
    repository: a traceback on Lambda names the file and line); only the entry modules at the root keep theirs."""
    python = python or runtime_interpreter()
    folder.mkdir(parents=True, exist_ok=True)
    if requirements is not None:
        subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "-qq", "--disable-pip-version-check", "--no-compile",
                "--no-deps", "--target", str(folder), "--only-binary=:all:", *PURE_WHEELS,
                "--python-version", runtime_version(), "--require-hashes", "-r", str(requirements),
                "--no-index", "--find-links", str(wheelhouse()),
            ],
            check=True,
        )
        for left_out in LEFT_OUT_OF_DEPENDENCIES:
            shutil.rmtree(folder / left_out, ignore_errors=True)
        for data in LEFT_OUT_DATA:
            (folder / data).unlink(missing_ok=True)
        for record in folder.glob("*.dist-info/*"):
            if record.name in INSTALLER_RECORDS:
                record.unlink()
    installed = [p for p in sorted(folder.iterdir()) if not p.name.endswith(".dist-info")]
    for name, path in sources.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / name)
    entries = [folder / name for name in sorted(sources) if name.endswith(".py") and "/" not in name]
    modules = [folder / name for name in sorted(sources) if name.endswith(".py") and "/" in name]
    _compile(python, folder, entries, legacy=False)
    _compile(python, folder, modules, legacy=sourceless)
    if sourceless:
        for module in modules:
            module.unlink()
    _compile(python, folder, installed, legacy=sourceless)
    if sourceless:
        for path in installed:
            for source in [path] if path.is_file() else sorted(path.rglob("*.py")):
                if source.suffix == ".py":
                    source.unlink()
    return folder


def _compile(python: str, folder: Path, paths: list[Path], legacy: bool) -> None:
    """Bytecode for `paths` (files or folders inside `folder`) by the runtime's interpreter; with `legacy`,
    each module's bytecode replaces it beside its source (x.pyc), so that the source can be left out."""
    if not paths:
        return
    command = [python, "-s", "-W", "ignore", "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash",
               "-s", str(folder), "-p", LAMBDA_TASK_ROOT, *(["-b"] if legacy else [])]
    # A fixed hash seed: set and frozenset constants are written in hash order.
    environment = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "")}
    for chunk in range(0, len(paths), 200):
        subprocess.run([*command, *map(str, paths[chunk:chunk + 200])], check=True, env=environment,
                       stdout=subprocess.DEVNULL)


def wheelhouse(repo: Path = REPO) -> Path:
    """The wheels of every Lambda pin list (lambda/*.txt) for the runtime's Python, downloaded once per pin set
    into build/wheels/ and checked against their hashes; the zips are installed from there with no index, so a
    build, once the wheels are in, reaches no network (`make` fetches them with its set-up, before the tests)."""
    lists = [repo / "lambda" / pinned for _, pinned in PIN_LISTS]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in lists) + runtime_version(repo).encode()).hexdigest()[:12]
    folder = repo / "build" / "wheels" / key
    if not (folder / COMPLETE).exists():
        for pins in lists:
            subprocess.run(
                [
                    sys.executable, "-m", "pip", "download", "-qq", "--disable-pip-version-check", "--no-deps",
                    "--only-binary=:all:", *PURE_WHEELS, "--python-version", runtime_version(repo),
                    "--require-hashes", "-r", str(pins), "--dest", str(folder),
                ],
                check=True,
            )
        (folder / COMPLETE).touch()
    return folder


def lambda_runtime(cache: Path | None = None, repo: Path = REPO) -> Path:
    """A folder holding what Lambda's Python runtime provides beside a function's code (its /var/runtime: boto3
    and botocore with their bytecode), from lambda/runtime.txt: to run an unzipped package here as Lambda runs
    it. Built once per pin list and Python version under `cache` (build/lambda-runtime/)."""
    pins = repo / "lambda" / RUNTIME_REQUIREMENTS
    key = hashlib.sha256(pins.read_bytes() + runtime_version(repo).encode()).hexdigest()[:12]
    folder = (cache or repo / "build" / "lambda-runtime") / key
    if not (folder / COMPLETE).exists():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        stage(partial, pins, {}, sourceless=False)
        (partial / COMPLETE).touch()
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


def write_zip(folder: Path, target: Path) -> tuple[int, int]:
    """Every file of `folder` into `target` in name order, with one fixed time and mode: equal folders give
    equal bytes. Returns the unzipped size and the number of files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    unzipped = files = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        for path in sorted(_all_files(folder), key=lambda p: p.relative_to(folder).as_posix()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = path.read_bytes()
            unzipped += len(data)
            files += 1
            archive.writestr(info, data, compresslevel=ZIP_LEVEL)  # a ZipInfo ignores the archive's level
    return unzipped, files


def runtime_version(repo: Path = REPO) -> str:
    """The CPython minor version of the template's Lambda runtime, e.g. "3.13"."""
    found = re.search(r"^\s*Runtime:\s*python(3\.\d+)\s*$", (repo / TEMPLATE).read_text(encoding="utf-8"), re.M)
    if not found:
        raise BuildError(f"{TEMPLATE} names no python3.x Runtime")
    return found.group(1)


def runtime_interpreter(version: str | None = None) -> str:
    """A CPython of the runtime's minor version, to compile the bytecode with: ${ENV_BUILD_PYTHON}, this one,
    python3.N on the PATH, or pyenv's."""
    version = version or runtime_version()
    candidates = [os.environ.get(ENV_BUILD_PYTHON, "")]
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(sys.executable)
    candidates.append(shutil.which(f"python{version}") or "")
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    candidates += [str(p) for p in sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True)]
    for candidate in filter(None, candidates):
        try:
            answer = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                    capture_output=True, text=True, check=False)
        except OSError:  # not there, or not a program: the next candidate
            continue
        if answer.returncode == 0 and answer.stdout.strip() == version:
            return candidate
    raise BuildError(f"the Lambda runtime is python{version} (infrastructure/template.yaml) and its bytecode needs "
                     f"CPython {version} to build: install it (pyenv install {version}) or set {ENV_BUILD_PYTHON}")


def compile_pins(repo: Path = REPO) -> list[Path]:
    """lambda/*.txt from lambda/*.in: every pin and its hashes resolved by uv for Lambda (arm64, the runtime's
    Python, wheels only). The .in files are the one list people edit; the .txt files are never edited by hand."""
    written = []
    for source, pinned in PIN_LISTS:
        subprocess.run(
            [
                sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--generate-hashes", "--only-binary", ":all:",
                "--python-version", runtime_version(repo), "--python-platform", "aarch64-manylinux_2_28",
                "--custom-compile-command", PINS_COMMAND, source, "-o", pinned,
            ],
            check=True, cwd=repo / "lambda",
        )
        written.append(repo / "lambda" / pinned)
    return written


class BuildError(Exception):
    """The build cannot go on; the message says why in a sentence."""


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m skill.cli.build")
    parser.add_argument("--pins", action="store_true", help="regenerate lambda/*.txt from lambda/*.in")
    parser.add_argument("--wheels", action="store_true", help="download the Lambda pins' wheels into build/wheels")
    parser.add_argument("--runtime-python", action="store_true",
                        help="print the CPython the Lambda bytecode is compiled with, or say how to install it")
    args = parser.parse_args(argv)
    if args.runtime_python:
        try:
            print(runtime_interpreter())
        except BuildError as e:
            print(e, file=sys.stderr)
            return 1
        return 0
    if args.wheels:
        print(wheelhouse().relative_to(REPO))
        return 0
    if args.pins:
        for path in compile_pins():
            print(path.relative_to(REPO))
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

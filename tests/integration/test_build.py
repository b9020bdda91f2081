"""`backcoach build`: the skill package is complete and consistent; the Lambda zip runs on its own."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from benchmarks.run import LAMBDA_ZIP_LIMIT_MB, UPLOADS_ZIP_LIMIT_MB
from skill.alexa.handlers import HANDLED_INTENTS
from skill.alexa.interaction_model import INVOCATION_NAME, LOCALES
from skill.cli.build import build, lambda_runtime, runtime_interpreter, runtime_version
from skill.cli.nlu import FALLBACK, Nlu
from tests.events import event

REPO = Path(__file__).resolve().parents[2]
# The module's first test builds both zips: slower than most, on a cold cache.
pytestmark = pytest.mark.timeout(600)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:backcoach-SkillFunction-abc"
LINKS = {"privacy_url": "https://coach.example.com/privacy", "terms_url": "https://coach.example.com/terms"}
REQUIRED_BUILT_INS = {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent",
                      "AMAZON.FallbackIntent"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("build"), ARN, **LINKS)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory):
    """A second build from the same checkout, elsewhere: it must come out byte for byte the same."""
    return build(tmp_path_factory.mktemp("again"), ARN, **LINKS)


def test_the_skill_package_has_the_ask_cli_layout(built) -> None:
    package = built.skill_package
    manifest = json.loads((package / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == ARN
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    for locale in LOCALES:
        model = json.loads((package / "interactionModels" / "custom" / f"{locale}.json").read_text())
        language = model["interactionModel"]["languageModel"]
        assert language["invocationName"] == INVOCATION_NAME
        custom = {i["name"] for i in language["intents"]}
        assert custom == set(HANDLED_INTENTS)  # every intent has a handler, every handled intent is modelled
        assert custom >= REQUIRED_BUILT_INS
        nlu = Nlu(model)
        for phrase in manifest["publishingInformation"]["locales"][locale]["examplePhrases"]:
            kind, words = nlu.invocation(phrase)
            assert kind == "launch" or nlu.resolve(words).intent != FALLBACK, phrase


def test_the_skill_package_carries_its_icons_and_links_and_is_an_ask_cli_project(built) -> None:
    """What `ask deploy` in the build directory uploads: every file:// URI resolves inside the package, and no
    placeholder is left for the Alexa service to refuse."""
    package = built.skill_package
    text = (package / "skill.json").read_text()
    assert "${" not in text
    manifest = json.loads(text)["manifest"]
    for locale, published in manifest["publishingInformation"]["locales"].items():
        for field in ("smallIconUri", "largeIconUri"):
            icon = package / published[field].removeprefix("file://")
            assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", (locale, field)
        assert manifest["privacyAndCompliance"]["locales"][locale] == {
            "privacyPolicyUrl": LINKS["privacy_url"], "termsOfUseUrl": LINKS["terms_url"]}
    resources = json.loads((package.parent / "ask-resources.json").read_text())
    assert package.parent / resources["profiles"]["default"]["skillMetadata"]["src"] == package / "."
    assert set(resources["profiles"]["default"]) == {"skillMetadata"}  # the backend is the SAM stack, not the CLI's


def test_the_zip_is_reproducible_and_holds_only_what_lambda_needs(built, rebuilt) -> None:
    assert rebuilt.lambda_zip.read_bytes() == built.lambda_zip.read_bytes()
    names = zipfile.ZipFile(built.lambda_zip).namelist()
    assert "app.py" in names and "skill/content/exercises.toml" in names and "ask_sdk_model/__init__.pyc" in names
    assert not [n for n in names if n.startswith(("skill/cli/", "skill/web/")) or n.endswith(".so")]
    # The AWS SDK is Lambda's runtime's own (lambda/requirements.in says why), so it is not shipped.
    assert not [n for n in names if n.split("/")[0] in ("boto3", "botocore", "s3transfer", "jmespath", "tests")]
    assert built.zip_bytes <= LAMBDA_ZIP_LIMIT_MB * 1e6
    assert {f"skill/content/apl/{n}.json" for n in ("workout", "card", "summary")} <= set(names)


def test_both_zips_carry_bytecode_for_the_runtimes_python_and_nothing_to_compile(built) -> None:
    """Lambda's code folder is read-only: a module without bytecode would be compiled at every cold start."""
    version = runtime_version()
    assert f"Runtime: python{version}" in (REPO / "infrastructure" / "template.yaml").read_text()
    magic = subprocess.run([runtime_interpreter(), "-c", "import importlib.util, sys; "
                            "sys.stdout.write(importlib.util.MAGIC_NUMBER.hex())"],
                           capture_output=True, text=True, check=True).stdout
    tag = "cpython-" + version.replace(".", "")
    for archive in (built.lambda_zip, built.uploads_zip):
        with zipfile.ZipFile(archive) as package:
            names = set(package.namelist())
            for name in names:
                if name.endswith(".py"):  # only the entry modules keep their source, with bytecode beside it
                    assert "/" not in name, name
                    folder, _, module = name.rpartition("/")
                    cached = f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{tag}.pyc"
                    assert cached in names, name
                if name.endswith(".pyc"):
                    header = package.read(name)[:8]
                    assert header[:4].hex() == magic, name
                    assert int.from_bytes(header[4:8], "little") == 0b01, name  # hash-based, never checked
                    assert "__pycache__" not in name or f".{tag}.pyc" in name, name
            assert "skill/engine/coach.pyc" in names and "skill/content/exercises.toml" in names


def test_the_upload_worker_zip_is_pure_python_from_the_same_build_path(built, rebuilt) -> None:
    """The worker's zip is the skill's package with a longer requirements list (lambda/requirements-uploads.in):
    everything in the skill's zip, plus requests and Garmin's FIT SDK, and nothing compiled for a platform."""
    assert rebuilt.uploads_zip.read_bytes() == built.uploads_zip.read_bytes()
    names = set(zipfile.ZipFile(built.uploads_zip).namelist())
    assert "upload_app.py" in names and "requests/__init__.pyc" in names and "garmin_fit_sdk/__init__.pyc" in names
    assert set(zipfile.ZipFile(built.lambda_zip).namelist()) <= names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dylib"))]
    assert built.uploads_zip_bytes <= UPLOADS_ZIP_LIMIT_MB * 1e6


def test_the_account_linking_requests_are_filled_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    from skill.cli.build import build_account_linking

    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_ID", "12345")
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_SECRET", 'se"cret')
    for path in build_account_linking(tmp_path):
        request = json.loads(path.read_text())["accountLinkingRequest"]
        assert (request["clientId"], request["clientSecret"]) == ("12345", 'se"cret')


LAUNCH = """
import json, sys
sys.path[:0] = sys.argv[1:3]
import app
event = json.loads(sys.stdin.read())
class Context:
    aws_request_id = "test"
    def get_remaining_time_in_millis(self):
        return 7000
print(json.dumps(app.handler(event, Context())))
"""


def unpack(archive: Path, into: Path) -> Path:
    into.mkdir()
    zipfile.ZipFile(archive).extractall(into)
    return into


def run_unzipped(task: Path, code: str, stdin: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter of Lambda's Python version, as Lambda runs a function: -I -S (no
    site-packages, no user site, no current directory), -B (a read-only code folder), the unzipped package,
    then what the runtime provides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [runtime_interpreter(), "-I", "-S", "-B", "-c", code, str(task), str(lambda_runtime()), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_the_zip_answers_a_launch_request_in_a_fresh_interpreter(built, tmp_path: Path, table: Any) -> None:
    task = unpack(built.lambda_zip, tmp_path / "task")
    launch = event("launch")  # from an Echo Show: the screen's document must be in the zip too
    launch["context"]["System"]["device"]["supportedInterfaces"] = {"Alexa.Presentation.APL": {}}
    result = run_unzipped(task, LAUNCH, json.dumps(launch), tmp_path)
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert "Welcome to Back Coach" in response["response"]["outputSpeech"]["ssml"]
    assert [d["type"] for d in response["response"]["directives"]] == ["Alexa.Presentation.APL.RenderDocument"]


def test_a_cold_start_builds_one_session_and_one_client_and_no_resource(built, tmp_path: Path, table: Any) -> None:
    """The structural part of the cold-start figure in `make bench` (which counts the same way)."""
    from benchmarks.cold import COLD_LAMBDA

    task = unpack(built.lambda_zip, tmp_path / "task")
    result = run_unzipped(task, COLD_LAMBDA, json.dumps(event("launch")), tmp_path, "count")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts == {"botocore_sessions": 1, "clients": 1, "boto3_resources": 0, "service_models_loaded": 2}


UPLOAD_ENTRY = """
import sys
sys.path[:0] = sys.argv[1:3]
import upload_app, sync_app
assert callable(upload_app.handler) and callable(sync_app.handler)
print("ok")
"""


def test_the_upload_worker_zip_imports_in_a_fresh_interpreter(built, tmp_path: Path) -> None:
    task = unpack(built.uploads_zip, tmp_path / "task")
    result = run_unzipped(task, UPLOAD_ENTRY, "", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


NO_ZONE_DATABASE = """
import importlib.util, sys, zoneinfo
sys.path[:0] = sys.argv[1:3]
zoneinfo.reset_tzpath([])  # as on Lambda's Amazon Linux 2023 runtimes: no /usr/share/zoneinfo
assert importlib.util.find_spec("tzdata") is None  # and no tzdata package in the zip
from skill.engine import calendar
sunday_2330_in_los_angeles = 1795419000000
print(calendar.local_date(sunday_2330_in_los_angeles, "America/Los_Angeles").isoformat(),
      calendar.utc_offset_seconds(sunday_2330_in_los_angeles, "Europe/Berlin"))
"""


@pytest.mark.parametrize("package", ["lambda_zip", "uploads_zip"])
def test_both_zips_count_in_the_persons_zone_without_a_zone_database(built, tmp_path: Path, package: str) -> None:
    task = unpack(getattr(built, package), tmp_path / "task")
    result = run_unzipped(task, NO_ZONE_DATABASE, "", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2026-11-22", "3600"]  # Sunday in Los Angeles; Berlin an hour ahead of UTC

"""`backcoach build`: the skill package is complete and consistent; the Lambda zip runs on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.handlers import HANDLED_INTENTS
from skill.alexa.interaction_model import INVOCATION_NAME, LOCALES
from skill.cli.build import build
from skill.cli.nlu import FALLBACK, Nlu
from tests.events import event

# The module's first test builds both zips (pip installs for Lambda's platform): slower than most, on a cold cache.
pytestmark = pytest.mark.timeout(600)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:backcoach-SkillFunction-abc"
REQUIRED_BUILT_INS = {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent",
                      "AMAZON.FallbackIntent"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("build"), ARN)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory):
    """A second build from the same checkout, elsewhere: it must come out byte for byte the same."""
    return build(tmp_path_factory.mktemp("again"), ARN)


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


def test_the_zip_is_reproducible_and_holds_only_what_lambda_needs(built, rebuilt) -> None:
    assert rebuilt.lambda_zip.read_bytes() == built.lambda_zip.read_bytes()
    names = zipfile.ZipFile(built.lambda_zip).namelist()
    assert "app.py" in names and "skill/content/exercises.toml" in names and "boto3/__init__.py" in names
    assert not [n for n in names if n.startswith(("skill/cli/", "skill/web/")) or n.endswith((".so", ".pyc"))]
    assert built.zip_bytes < 50 * 1024 * 1024  # Lambda's limit for a direct upload


def test_the_upload_worker_zip_is_pure_python(built, rebuilt) -> None:
    """The worker's clients for Strava and Google Health are plain requests code: nothing compiled in its zip."""
    assert zipfile.ZipFile(built.uploads_zip).read("upload_app.py")
    names = zipfile.ZipFile(built.uploads_zip).namelist()
    assert "skill/activity/uploaders.py" in names and "requests/__init__.py" in names
    assert not [n for n in names if n.endswith(".so")]
    assert built.uploads_zip_bytes < 50 * 1024 * 1024
    assert rebuilt.uploads_zip.read_bytes() == built.uploads_zip.read_bytes()


def test_the_account_linking_requests_are_filled_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    from skill.cli.build import build_account_linking

    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_ID", "12345")
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_SECRET", 'se"cret')
    for path in build_account_linking(tmp_path):
        request = json.loads(path.read_text())["accountLinkingRequest"]
        assert (request["clientId"], request["clientSecret"]) == ("12345", 'se"cret')


LAUNCH = """
import json, sys
sys.path.insert(0, sys.argv[1])
import app
event = json.loads(sys.stdin.read())
class Context:
    aws_request_id = "test"
    def get_remaining_time_in_millis(self):
        return 7000
print(json.dumps(app.handler(event, Context())))
"""


def test_the_zip_answers_a_launch_request_in_a_fresh_interpreter(built, tmp_path: Path, table: Any) -> None:
    unpacked = tmp_path / "task"
    unpacked.mkdir()
    zipfile.ZipFile(built.lambda_zip).extractall(unpacked)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    # -I -S: no site-packages, no user site, no current directory: only the zip's contents and the stdlib.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCH, str(unpacked)], input=json.dumps(event("launch")),
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert "Welcome to Back Coach" in response["response"]["outputSpeech"]["ssml"]

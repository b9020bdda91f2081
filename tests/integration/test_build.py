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
    assert "app.py" in names and "skill/content/exercises.toml" in names and "boto3/__init__.py" in names
    assert {f"skill/content/apl/{n}.json" for n in ("workout", "card", "summary")} <= set(names)
    assert not [n for n in names if n.startswith(("skill/cli/", "skill/web/")) or n.endswith((".so", ".pyc"))]
    assert built.zip_bytes < 50 * 1024 * 1024  # Lambda's limit for a direct upload


def test_the_upload_worker_zip_carries_stravalib_built_for_lambda(built, rebuilt) -> None:
    """pydantic-core (under stravalib) is compiled: the worker's zip holds the arm64 build for Lambda's Python."""
    assert zipfile.ZipFile(built.uploads_zip).read("upload_app.py")
    names = zipfile.ZipFile(built.uploads_zip).namelist()
    assert "stravalib/client.py" in names and "fit_tool/fit_file.py" in names and "requests/__init__.py" in names
    [core] = [n for n in names if n.startswith("pydantic_core/_pydantic_core.") and n.endswith(".so")]
    assert core.endswith(".cpython-314-aarch64-linux-gnu.so")
    assert not [n for n in names if n.endswith(".so") and "aarch64" not in n]  # nothing built for this machine
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
    launch = event("launch")  # from an Echo Show: the screen's document must be in the zip too
    launch["context"]["System"]["device"]["supportedInterfaces"] = {"Alexa.Presentation.APL": {}}
    # -I -S: no site-packages, no user site, no current directory: only the zip's contents and the stdlib.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCH, str(unpacked)], input=json.dumps(launch),
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert "Welcome to Back Coach" in response["response"]["outputSpeech"]["ssml"]
    assert [d["type"] for d in response["response"]["directives"]] == ["Alexa.Presentation.APL.RenderDocument"]

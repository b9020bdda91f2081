"""`make deploy` (`backcoach deploy`) offline: the commands, their order and what each is given, against a fake
ASK CLI and SAM CLI that answer as the real ones do (ask deploy writes the skill id to .ask/ask-states.json; sam
list stack-outputs prints the outputs as JSON). Nothing here reaches AWS or Amazon."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.cli import build as build_module
from skill.cli import deploy as deploy_module
from skill.cli.build import REPO, build_account_linking, build_skill_package
from skill.cli.deploy import ASK_STATES, DeployConfig, Step, deploy, parse_stack_outputs, read_skill_id, shell_line
from skill.cli.main import main

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
ARN = "arn:aws:lambda:eu-west-1:123456789012:function:backcoach-SkillFunction-XYZ"
SYNC_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com"
LINKS = {"privacy_url": "https://coach.example.com/privacy", "terms_url": "https://coach.example.com/terms"}


class FakeClouds:
    """The ASK CLI and the SAM CLI as far as the deploy sees them, recording what each step found on disk."""

    def __init__(self, stack_exists: bool = False) -> None:
        self.stack_exists = stack_exists
        self.seen: dict[str, Any] = {}

    def __call__(self, step: Step) -> str:
        if step.argv[:2] == ("ask", "deploy"):
            resources = json.loads((step.cwd / "ask-resources.json").read_text())
            package = step.cwd / resources["profiles"]["default"]["skillMetadata"]["src"]
            manifest = json.loads((package / "skill.json").read_text())["manifest"]
            self.seen[step.name] = {"endpoint": manifest["apis"]["custom"].get("endpoint"),
                                    "icons": sorted(p.name for p in (package / "assets" / "images").iterdir()),
                                    "links": manifest["privacyAndCompliance"]["locales"]["en-US"]}
            if not read_skill_id(step.cwd):  # the ASK CLI creates the skill and keeps its id
                deploy_module.write_skill_id(step.cwd, "default", SKILL_ID)
            return ""
        if step.argv[:2] == ("sam", "deploy"):
            self.stack_exists = True
            return ""
        if step.argv[:3] == ("sam", "list", "stack-outputs"):
            if not self.stack_exists:
                assert step.may_fail  # only the look-up may meet a stack that is not there
                return ""
            return json.dumps([{"OutputKey": "SkillId", "OutputValue": SKILL_ID},
                               {"OutputKey": "SkillFunctionArn", "OutputValue": ARN, "Description": "…"},
                               {"OutputKey": "SyncApiUrl", "OutputValue": SYNC_URL},
                               {"OutputKey": "StateTableName", "OutputValue": "backcoach-StateTable-1"}])
        return ""


def _artifacts(config: DeployConfig) -> None:
    """What `backcoach build` writes, without the Lambda zips (their build is tested in tests/integration)."""
    build_skill_package(config.out / "skill-package", "", privacy_url=config.privacy_url, terms_url=config.terms_url)
    build_account_linking(config.out / "account-linking")


def _arg(step: Step, option: str) -> str:
    return step.argv[step.argv.index(option) + 1]


def test_a_first_deploy_creates_the_skill_then_the_stack_then_points_the_skill_at_it(tmp_path: Path) -> None:
    clouds = FakeClouds()
    result = deploy(DeployConfig(out=tmp_path, **LINKS), clouds, _artifacts)
    assert [s.name for s in result.steps] == ["find-skill", "create-skill", "deploy-stack", "stack-outputs",
                                              "deploy-skill-package"]
    # The skill is created from a package with no endpoint (the function does not exist yet) but with its icons.
    assert clouds.seen["create-skill"]["endpoint"] is None
    assert clouds.seen["create-skill"]["icons"] == ["largeIcon.png", "smallIcon.png"]
    create = result.steps[1]
    assert create.argv == ("ask", "deploy", "--target", "skill-metadata", "--profile", "default")
    assert create.cwd == tmp_path
    # The stack gets that skill's id; the template's code is the prebuilt zips.
    stack = result.steps[2]
    assert stack.argv[:4] == ("sam", "deploy", "--template-file", "infrastructure/template.yaml")
    assert (REPO / _arg(stack, "--template-file")).exists() and stack.cwd == REPO
    overrides = stack.argv[stack.argv.index("--parameter-overrides") + 1:]
    assert overrides == (f"SkillId={SKILL_ID}", "UploadService=off")
    assert {"--no-confirm-changeset", "--resolve-s3"} <= set(stack.argv)
    assert _arg(stack, "--capabilities") == "CAPABILITY_IAM"
    # Then the package goes again, now with the function's ARN as the endpoint and the links filled in.
    assert clouds.seen["deploy-skill-package"]["endpoint"] == {"uri": ARN}
    assert clouds.seen["deploy-skill-package"]["links"] == {"privacyPolicyUrl": LINKS["privacy_url"],
                                                            "termsOfUseUrl": LINKS["terms_url"]}
    assert "--ignore-hash" in result.steps[-1].argv and "--target" not in result.steps[-1].argv  # and enables it
    assert result.skill_id == SKILL_ID and result.outputs["SyncApiUrl"] == SYNC_URL and result.notes == ()


def test_a_second_deploy_updates_the_same_skill(tmp_path: Path) -> None:
    clouds = FakeClouds()
    deploy(DeployConfig(out=tmp_path, **LINKS), clouds, _artifacts)
    again = deploy(DeployConfig(out=tmp_path, **LINKS), clouds, _artifacts)
    assert [s.name for s in again.steps] == ["deploy-stack", "stack-outputs", "deploy-skill-package"]
    assert f"SkillId={SKILL_ID}" in again.steps[0].argv


def test_a_cleaned_build_finds_the_skill_in_the_stack_instead_of_creating_another(tmp_path: Path) -> None:
    result = deploy(DeployConfig(out=tmp_path, **LINKS), FakeClouds(stack_exists=True), _artifacts)
    assert [s.name for s in result.steps] == ["find-skill", "deploy-stack", "stack-outputs", "deploy-skill-package"]
    assert read_skill_id(tmp_path) == SKILL_ID  # kept where the ASK CLI looks for it


def test_an_existing_skill_id_is_adopted(tmp_path: Path) -> None:
    other = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"
    result = deploy(DeployConfig(out=tmp_path, skill_id=other, stack_name="coach-test", region="eu-west-1", **LINKS),
                    FakeClouds(), _artifacts)
    assert [s.name for s in result.steps] == ["deploy-stack", "stack-outputs", "deploy-skill-package"]
    assert json.loads((tmp_path / ASK_STATES).read_text())["profiles"]["default"]["skillId"] == other
    stack, outputs = result.steps[0], result.steps[1]
    assert f"SkillId={other}" in stack.argv and _arg(stack, "--stack-name") == "coach-test"
    assert _arg(stack, "--region") == _arg(outputs, "--region") == "eu-west-1"


def test_account_linking_is_sent_only_once_its_client_is_filled_in(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = DeployConfig(out=tmp_path, upload_service="strava", **LINKS)
    without = deploy(config, FakeClouds(), _artifacts)
    assert "account-linking" not in [s.name for s in without.steps]
    assert "UploadService=strava" in without.steps[2].argv
    [note] = without.notes
    assert "BACKCOACH_LINK_CLIENT_ID" in note and "strava.json" in note
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_ID", "12345")
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_SECRET", "s3cret")
    linked = deploy(config, FakeClouds(), _artifacts)
    last = linked.steps[-1]
    assert last.name == "account-linking" and last.cwd == tmp_path
    assert last.argv[:3] == ("ask", "smapi", "update-account-linking-info")
    assert _arg(last, "--skill-id") == SKILL_ID
    assert _arg(last, "--account-linking-request") == "file:account-linking/strava.json"
    assert json.loads((tmp_path / "account-linking" / "strava.json").read_text())["accountLinkingRequest"][
        "clientId"] == "12345"


def test_stack_outputs_must_name_the_function() -> None:
    assert parse_stack_outputs('[{"OutputKey": "SkillFunctionArn", "OutputValue": "arn"}]') == {
        "SkillFunctionArn": "arn"}
    with pytest.raises(ValueError, match="SkillFunctionArn"):
        parse_stack_outputs("[]")


def test_steps_print_as_shell_lines_to_copy() -> None:
    assert shell_line(Step("x", "", ("sam", "deploy", "--parameter-overrides", "SkillId=a b"), REPO)) == \
        "sam deploy --parameter-overrides 'SkillId=a b'"
    assert shell_line(Step("x", "", ("ask", "deploy"), REPO / "build")) == "(cd build && ask deploy)"


def test_the_dry_run_prints_every_command_in_order_and_runs_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build_module, "REPO", tmp_path)  # build/ goes under tmp_path; sources stay the checkout's
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # if anything ran, it would fail to start
    monkeypatch.setenv("BACKCOACH_PRIVACY_URL", LINKS["privacy_url"])
    monkeypatch.setenv("BACKCOACH_TERMS_URL", LINKS["terms_url"])
    assert main(["deploy", "--dry-run", "--upload-service", "strava"]) == 0
    printed = capsys.readouterr().out
    commands = [line for line in printed.splitlines() if line.startswith(("sam ", "(cd "))]
    assert [c.split(" && ")[-1].split(" --")[0] for c in commands] == [
        "sam list stack-outputs", "ask deploy", "sam deploy", "sam list stack-outputs", "ask deploy"]
    assert "--target skill-metadata" in commands[1] and "--target" not in commands[4]
    assert "UploadService=strava" in commands[2] and "SkillId=<the skill id" in commands[2]
    assert "--url <SyncApiUrl>" in printed and "nothing was deployed" in printed
    manifest = json.loads((tmp_path / "build" / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["privacyAndCompliance"]["locales"]["en-GB"]["termsOfUseUrl"] == LINKS["terms_url"]
    assert (tmp_path / "build" / "ask-resources.json").exists() and not (tmp_path / "build" / "lambda.zip").exists()


@pytest.mark.parametrize("command", ["build", "deploy"])
def test_build_and_deploy_refuse_to_run_without_privacy_and_terms_links(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("BACKCOACH_PRIVACY_URL", raising=False)
    monkeypatch.delenv("BACKCOACH_TERMS_URL", raising=False)
    extra = ["--out", str(tmp_path)] if command == "build" else ["--dry-run"]
    assert main([command, *extra]) == 2
    assert "--privacy-url" in capsys.readouterr().err
    assert main([command, *extra, "--privacy-url", "http://insecure.example.com/p", "--terms-url",
                 LINKS["terms_url"]]) == 2
    assert "https://" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_real_deploy_without_the_two_clis_stops_before_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build_module, "REPO", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    assert main(["deploy", "--privacy-url", LINKS["privacy_url"], "--terms-url", LINKS["terms_url"]]) == 2
    assert "sam and ask not found" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()

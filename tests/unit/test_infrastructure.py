"""The deployment templates: cfn-lint clean, SAM-transformable, least privilege, and what the skill relies on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

from skill.activity.worker import JOBS_PER_RUN
from skill.settings import SERVICES
from skill.storage.uploads import DUE_INDEX
from tests.tables import INFRASTRUCTURE, load

TEMPLATES = sorted(INFRASTRUCTURE.glob("*.yaml"))


class NoManagedPolicies(ManagedPolicyLoader):
    def __init__(self) -> None:  # no IAM call: the template uses no managed policies by name
        pass

    def load(self) -> dict[str, str]:
        return {}


def test_there_are_templates() -> None:
    assert INFRASTRUCTURE / "template.yaml" in TEMPLATES


def test_cfn_lint_passes_on_every_template() -> None:
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(lint), *map(str, TEMPLATES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_sam_transforms_into_cloudformation(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the pseudo parameters need a region, nothing else
    template = load(path)
    for resource in template["Resources"].values():  # as `sam deploy` packages local code to S3 first
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://deployment-bucket/lambda.zip"
    parameters = {"SkillId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000", "UploadService": "strava"}
    output = transform(template, parameters, NoManagedPolicies())
    kinds = {r["Type"] for r in output["Resources"].values()}
    assert "AWS::Lambda::Function" in kinds and "AWS::Serverless::Function" not in kinds
    assert {"AWS::Lambda::EventSourceMapping", "AWS::Events::Rule"} <= kinds  # the upload worker's triggers


def test_the_skill_function_is_locked_down() -> None:
    template = load(INFRASTRUCTURE / "template.yaml")
    resources = template["Resources"]
    function = resources["SkillFunction"]["Properties"]
    runtime = template["Globals"]["Function"]
    assert runtime["Architectures"] == ["arm64"] and runtime["Runtime"].startswith("python3.")
    assert function["Events"]["Alexa"] == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    grants = {(s["Resource"]["Fn::GetAtt"][0], a) for s in function["Policies"][0]["Statement"] for a in s["Action"]}
    # Exactly what the skill calls: its record, pairing items, workout logs and upload jobs (UpdateItem: the
    # person's lists of logs and jobs), recent samples for rests.
    assert grants == {("StateTable", "dynamodb:GetItem"), ("StateTable", "dynamodb:PutItem"),
                      ("StateTable", "dynamodb:UpdateItem"), ("StateTable", "dynamodb:DeleteItem"),
                      ("SamplesTable", "dynamodb:Query")}
    sync = resources["SyncFunction"]["Properties"]
    sync_grants = {(s["Resource"]["Fn::GetAtt"][0], a) for s in sync["Policies"][0]["Statement"] for a in s["Action"]}
    assert sync_grants == {("StateTable", a) for a in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                                                       "dynamodb:DeleteItem")} | {
        ("SamplesTable", "dynamodb:BatchWriteItem")}
    assert {e["Properties"]["Path"] for e in sync["Events"].values()} == {"/v1/pair", "/v1/heart-rate"}
    assert function["Environment"]["Variables"]["BACKCOACH_TABLE"] == {"Ref": "StateTable"}
    assert resources["SkillLogGroup"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert template["Outputs"]["SkillFunctionArn"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}


def test_the_upload_worker_is_woken_by_new_jobs_and_a_schedule_and_touches_only_what_it_needs() -> None:
    template = load(INFRASTRUCTURE / "template.yaml")
    resources = template["Resources"]
    worker = resources["UploadFunction"]
    assert worker["Condition"] == "UploadsOn" and resources["UploadLogGroup"]["Condition"] == "UploadsOn"
    properties = worker["Properties"]
    assert properties["CodeUri"] == "../build/uploads.zip" and properties["Handler"] == "upload_app.handler"
    grants = set()
    for statement in properties["Policies"][0]["Statement"]:
        resource = statement["Resource"]
        name = resource["Fn::GetAtt"][0] if "Fn::GetAtt" in resource else resource["Fn::Sub"]
        grants |= {(name, action) for action in statement["Action"]}
    # Exactly what the worker calls: the due query, the claim, its result; the workout log (state table, or the
    # samples table where earlier releases kept it) and heart rate.
    assert grants == {("StateTable", "dynamodb:PutItem"), ("StateTable", "dynamodb:GetItem"),
                      ("StateTable", "dynamodb:UpdateItem"), ("${StateTable.Arn}/index/" + DUE_INDEX, "dynamodb:Query"),
                      ("SamplesTable", "dynamodb:Query")}
    queued = properties["Events"]["Queued"]["Properties"]
    assert queued["Stream"] == {"Fn::GetAtt": ["StateTable", "StreamArn"]}
    [pattern] = [json.loads(f["Pattern"]) for f in queued["FilterCriteria"]["Filters"]]
    assert pattern == {"eventName": ["INSERT"], "dynamodb": {"Keys": {"id": {"S": [{"prefix": "upload#"}]}}}}
    assert properties["Events"]["Retry"]["Properties"]["Schedule"].startswith("rate(")
    # The worker takes at most JOBS_PER_RUN jobs, each waiting up to 30 s for Strava: it must fit its timeout.
    assert properties["Timeout"] >= JOBS_PER_RUN * 30 + 10
    state = resources["StateTable"]["Properties"]
    [index] = state["GlobalSecondaryIndexes"]
    assert index["IndexName"] == DUE_INDEX
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["queue", "next_try"]
    skill = resources["SkillFunction"]["Properties"]["Environment"]["Variables"]
    assert skill["BACKCOACH_UPLOAD_SERVICE"] == {"Fn::If": ["UploadsOn", {"Ref": "UploadService"}, ""]}
    assert set(template["Parameters"]["UploadService"]["AllowedValues"]) == {"off", *SERVICES}


def test_account_linking_requests_point_at_each_service_with_the_scope_uploads_need() -> None:
    requests = {p.stem: json.loads(p.read_text())["accountLinkingRequest"]
                for p in (INFRASTRUCTURE / "account-linking").glob("*.json")}
    assert set(requests) == set(SERVICES)
    assert requests["strava"]["scopes"] == ["activity:write"]  # FACTS.md: Strava uploads need activity:write
    # Fitbit uploads go through Google's Health API: Google OAuth, and the scope that may create exercise data points.
    assert requests["fitbit"]["scopes"] == ["https://www.googleapis.com/auth/googlehealth.activity_and_fitness"]
    assert requests["fitbit"]["authorizationUrl"].startswith("https://accounts.google.com/o/oauth2/v2/auth")
    assert requests["fitbit"]["accessTokenUrl"] == "https://oauth2.googleapis.com/token"
    for request in requests.values():
        assert request["type"] == "AUTH_CODE"
        assert request["authorizationUrl"].startswith("https://") and request["accessTokenUrl"].startswith("https://")
        assert (request["clientId"], request["clientSecret"]) == ("${CLIENT_ID}", "${CLIENT_SECRET}")  # no secrets


@pytest.mark.parametrize("name", ["StateTable", "SamplesTable"])
def test_tables_are_on_demand_encrypted_recoverable_and_expire_short_lived_items(name: str) -> None:
    table = load(INFRASTRUCTURE / "template.yaml")["Resources"][name]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["TimeToLiveSpecification"]["Enabled"] is True
    keys = {"StateTable": ["id"], "SamplesTable": ["user", "t"]}[name]  # what the code reads and writes by
    assert [k["AttributeName"] for k in table["KeySchema"]] == keys


def test_the_outputs_and_code_are_where_backcoach_deploy_looks() -> None:
    """`backcoach deploy` builds into build/ and reads the stack's outputs back: the skill id (after `make clean`),
    the endpoint for the manifest and the companion's URL."""
    template = load(INFRASTRUCTURE / "template.yaml")
    outputs = template["Outputs"]
    assert outputs["SkillId"]["Value"] == {"Ref": "SkillId"}
    assert {"SkillFunctionArn", "SyncApiUrl", "StateTableName"} <= set(outputs)
    code = {r["Properties"]["CodeUri"] for r in template["Resources"].values()
            if r["Type"] == "AWS::Serverless::Function"}
    assert code == {"../build/lambda.zip", "../build/uploads.zip"}


def test_the_clip_bucket_is_private_and_the_skill_reaches_only_its_clip_prefix() -> None:
    template = load(INFRASTRUCTURE / "template.yaml")
    bucket = template["Resources"]["ClipBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    function = template["Resources"]["SkillFunction"]["Properties"]
    assert function["Environment"]["Variables"]["BACKCOACH_AUDIO_BUCKET"] == {"Ref": "ClipBucket"}
    statements = function["Policies"][1]["Statement"]
    objects = {a: s["Resource"] for s in statements for a in s["Action"]}
    assert objects["s3:GetObject"] == objects["s3:PutObject"] == {"Fn::Sub": "${ClipBucket.Arn}/clips/*"}
    assert objects["s3:ListBucket"] == {"Fn::GetAtt": ["ClipBucket", "Arn"]}  # a missing clip: 404, not 403
    assert set(objects) == {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "polly:SynthesizeSpeech"}


def test_every_function_logs_json_to_its_own_group() -> None:
    """Lambda's JSON log format: the existing log lines (level, logger, message) become searchable fields."""
    template = load(INFRASTRUCTURE / "template.yaml")
    functions = {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}
    assert len(functions) >= 3
    for name, resource in functions.items():
        logging = resource["Properties"]["LoggingConfig"]
        assert logging["LogFormat"] == "JSON" and "Ref" in logging["LogGroup"], name

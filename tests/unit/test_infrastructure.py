"""The deployment templates: cfn-lint clean, SAM-transformable, least privilege, and what the skill relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

INFRASTRUCTURE = Path(__file__).resolve().parents[2] / "infrastructure"
TEMPLATES = sorted(INFRASTRUCTURE.glob("*.yaml"))


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, !Sub) as their long forms."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    else:
        value = loader.construct_sequence(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


def load(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)


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
    parameters = {"SkillId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"}
    output = transform(template, parameters, NoManagedPolicies())
    kinds = {r["Type"] for r in output["Resources"].values()}
    assert "AWS::Lambda::Function" in kinds and "AWS::Serverless::Function" not in kinds


def test_the_skill_function_is_locked_down() -> None:
    template = load(INFRASTRUCTURE / "template.yaml")
    resources = template["Resources"]
    function = resources["SkillFunction"]["Properties"]
    runtime = template["Globals"]["Function"]
    assert runtime["Architectures"] == ["arm64"] and runtime["Runtime"].startswith("python3.")
    assert function["Events"]["Alexa"] == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    grants = {(s["Resource"]["Fn::GetAtt"][0], a) for s in function["Policies"][0]["Statement"] for a in s["Action"]}
    # Exactly what the skill calls: its record and pairing items, recent samples for rests, workout logs.
    assert grants == {("StateTable", "dynamodb:GetItem"), ("StateTable", "dynamodb:PutItem"),
                      ("StateTable", "dynamodb:DeleteItem"), ("SamplesTable", "dynamodb:Query"),
                      ("SamplesTable", "dynamodb:PutItem")}  # the workout logs
    sync = resources["SyncFunction"]["Properties"]
    sync_grants = {(s["Resource"]["Fn::GetAtt"][0], a) for s in sync["Policies"][0]["Statement"] for a in s["Action"]}
    assert sync_grants == {("StateTable", a) for a in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                                                       "dynamodb:DeleteItem")} | {
        ("SamplesTable", "dynamodb:PutItem"), ("SamplesTable", "dynamodb:BatchWriteItem")}
    assert {e["Properties"]["Path"] for e in sync["Events"].values()} == {"/v1/pair", "/v1/heart-rate", "/v1/events"}
    assert function["Environment"]["Variables"]["BACKCOACH_TABLE"] == {"Ref": "StateTable"}
    assert resources["SkillLogGroup"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert template["Outputs"]["SkillFunctionArn"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}


@pytest.mark.parametrize("name", ["StateTable", "SamplesTable"])
def test_tables_are_on_demand_encrypted_recoverable_and_expire_short_lived_items(name: str) -> None:
    table = load(INFRASTRUCTURE / "template.yaml")["Resources"][name]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["TimeToLiveSpecification"]["Enabled"] is True
    keys = {"StateTable": ["id"], "SamplesTable": ["user", "t"]}[name]  # what the code reads and writes by
    assert [k["AttributeName"] for k in table["KeySchema"]] == keys

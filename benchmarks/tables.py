"""The deployment template read as data, and its DynamoDB tables created on a test server exactly as declared
(the code never creates tables, so tests and benchmarks run against what is deployed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

INFRASTRUCTURE = Path(__file__).resolve().parents[1] / "infrastructure"


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


def table_from_template(resource: str, name: str) -> Any:
    """Creates the table `resource` of infrastructure/template.yaml (keys, indexes, stream) as `name`."""
    import boto3

    declared = load(INFRASTRUCTURE / "template.yaml")["Resources"][resource]["Properties"]
    shape = {key: declared[key] for key in ("KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes",
                                            "StreamSpecification") if key in declared}
    if "StreamSpecification" in shape:
        shape["StreamSpecification"] = {"StreamEnabled": True, **shape["StreamSpecification"]}
    return boto3.resource("dynamodb").create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **shape)

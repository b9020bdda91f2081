"""The robustness suite reuses the integration fixtures (moto's DynamoDB server on loopback, the Lambda entry),
and records how much it tried in build/robustness.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.conftest import aws_env, calls, dynamodb_endpoint, lambda_app, table  # noqa: F401

TRIED: Counter[str] = Counter()


@pytest.fixture(scope="session", autouse=True)
def report():
    yield
    out = Path(__file__).resolve().parents[2] / "build" / "robustness.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(TRIED), indent=2))
    print("\nrobustness:", dict(TRIED))

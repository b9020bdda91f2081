"""A real DynamoDB-compatible server (moto's) on 127.0.0.1, started and stopped here, and the Lambda entry
loaded the way Lambda loads it, pointed at that server through the standard endpoint variable."""

from __future__ import annotations

import importlib.util
import logging
import socket
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.engine.state import WorkoutState
from skill.storage import dynamo
from skill.storage.stores import Stores
from tests.events import event
from tests.tables import table_from_template

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dynamodb_endpoint() -> str:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_env(dynamodb_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    dynamo.client.cache_clear()  # the process's client is built anew, pointed at this server
    yield dynamodb_endpoint
    dynamo.client.cache_clear()


@pytest.fixture
def table(aws_env: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh state table, shaped as the SAM template declares it."""
    created = table_from_template("StateTable", f"backcoach-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("BACKCOACH_TABLE", created.name)
    yield created
    created.delete()


@pytest.fixture
def samples_table(table: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    created = table_from_template("SamplesTable", f"{table.name}-samples")
    monkeypatch.setenv("BACKCOACH_SAMPLES_TABLE", created.name)
    yield created
    created.delete()


def load_lambda_app() -> Any:
    """lambda/app.py as a fresh module, as a new Lambda execution environment would import it."""
    spec = importlib.util.spec_from_file_location(f"lambda_app_{uuid.uuid4().hex}", REPO / "lambda" / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeLambdaContext:
    function_name = "backcoach-skill"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:backcoach-skill"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 7000


class DynamoCalls:
    """Counts the DynamoDB requests the skill makes (botocore events), and injects faults on demand."""

    def __init__(self, client: Any) -> None:
        self.counts: Counter[str] = Counter()
        self.fail_all = False  # every call raises, as in an outage
        self.throttle_next = 0  # the next N HTTP attempts are answered 400 ThrottlingException-style
        client.meta.events.register("before-call.dynamodb", self._before_call)
        client.meta.events.register("before-send.dynamodb", self._before_send)

    def _before_call(self, model: Any, **kwargs: Any) -> None:
        self.counts[model.name] += 1
        if self.fail_all:
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, model.name)

    def _before_send(self, request: Any, **kwargs: Any) -> Any:
        if self.throttle_next <= 0:
            return None
        self.throttle_next -= 1
        from botocore.awsrequest import AWSResponse

        body = (b'{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",'
                b'"message":"injected throttle"}')

        class Raw:
            def stream(self, **_: Any):
                yield body

        return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, Raw())

    def reset(self) -> None:
        self.counts.clear()


class LambdaEcho:
    """An Echo talking to the deployed skill: captured events, filled in and sent to the Lambda handler."""

    def __init__(self, app: Any, user: str = "alex", device: str = "kitchen", access_token: str | None = None) -> None:
        self.app = app
        self.access_token = access_token
        self.user = user
        self.device = device
        self.session_id = ""
        self.attributes: dict[str, Any] = {}
        self.open = False

    def send(self, name: str, at: float, new_session: bool | None = None) -> dict[str, Any]:
        new = (not self.open) if new_session is None else new_session
        if new:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes = {}
        body = event(name, at=at, user=self.user, device=self.device, session_id=self.session_id, new=new,
                     attributes=self.attributes, access_token=self.access_token)
        response = self.app.handler(body, FakeLambdaContext())
        self.attributes = response.get("sessionAttributes") or {}
        ended = body["request"]["type"] == "SessionEndedRequest"
        self.open = not ended and response["response"].get("shouldEndSession") is False
        return response

    @property
    def record(self) -> dict[str, Any]:
        """The person's record as the table holds it now (read with a client of the test's own, not counted)."""
        import os

        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["BACKCOACH_TABLE"])
        item = table.get_item(Key={"id": f"amzn1.ask.account.{self.user}"}, ConsistentRead=True).get("Item")
        return plain(item["attributes"]) if item else {}

    @property
    def state(self) -> WorkoutState | None:
        return WorkoutState.from_dict(self.record.get("workout"))


def plain(value: Any) -> Any:
    """DynamoDB's numbers as ints (the record holds no fractions)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.fixture
def lambda_app(table: Any) -> Any:
    app = load_lambda_app()
    app.handler.build()
    return app


@pytest.fixture
def calls(lambda_app: Any) -> DynamoCalls:
    return DynamoCalls(dynamo.client())


def rows(store: Stores) -> int:
    """How many records the local store holds (a refused request must write none)."""
    return store.records.db.rows("SELECT COUNT(*) FROM attributes")[0][0]

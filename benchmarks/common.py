"""What every benchmark shares: loopback servers, request envelopes, percentiles, DynamoDB request counts."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.tables import table_from_template  # noqa: E402
from skill.cli import envelopes  # noqa: E402
from skill.speech.timing import estimate_seconds  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def tails(values: list[float]) -> dict[str, float]:
    """p50, p99 and the maximum; p99 is reported only when it is not the maximum sample (100 samples or more)."""
    return {"p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99) if len(values) >= 100 else None,
            "max_ms": max(values), "turns": len(values)}


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"nothing listened on port {port} within {seconds} s")


class Dynamo:
    """moto's DynamoDB server on loopback, in its own process, and a table shaped like the template's."""

    def __enter__(self) -> Dynamo:
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)
        self.env = {
            "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{self.port}", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "BACKCOACH_TABLE": "backcoach-bench",
        }
        os.environ.update(self.env)
        table_from_template("StateTable", "backcoach-bench")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.process.terminate()
        self.process.wait(10)


class Capacity:
    """Counts DynamoDB requests and estimates on-demand units from item sizes (1 KB per write unit, 4 KB per
    strongly consistent read unit), through botocore events on the client."""

    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        self.write_units = 0
        self.read_units = 0
        client.meta.events.register("before-call.dynamodb", self._before)
        client.meta.events.register("after-call.dynamodb", self._after)

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls[model.name] += 1
        if model.name == "PutItem":  # the request body is the item plus a few bytes of envelope
            self.write_units += max(1, math.ceil(len(params.get("body", b"")) / 1024))

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if model.name == "GetItem":
            self.read_units += max(1, math.ceil(len(json.dumps(parsed.get("Item", {}))) / 4096))


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{uuid.uuid4().hex}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Context:
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 7000


def event(kind: str, at: float, user: str, session: str, new: bool, attributes: dict | None = None,
          access_token: str = "") -> dict:
    request = envelopes.launch_request(at) if kind == "launch" else envelopes.intent_request(kind, at)
    return envelopes.envelope(request, user=envelopes.user_id(user), device=envelopes.device_id("bench"),
                              session_id=session, new_session=new, attributes=attributes, access_token=access_token)


def circuit(handler: Any, user: str) -> list[tuple[str, float]]:
    """A whole 6-minute circuit through `handler`: each turn's intent and time in ms."""
    at, times, attributes, kind, new = time.time() - 3600, [], {}, "StartWorkoutIntent", True
    while True:
        started = time.perf_counter()
        answer = handler(event(kind, at, user, f"s-{user}", new, attributes), Context())
        times.append((kind, (time.perf_counter() - started) * 1000))
        attributes = answer.get("sessionAttributes") or {}
        if answer["response"].get("shouldEndSession"):
            return times
        at += estimate_seconds(answer["response"]["outputSpeech"]["ssml"]) + 1
        kind, new = "AMAZON.NextIntent", False


def baseline_turns(handler: Any, user: str, turns: int) -> list[float]:
    times = []
    for i in range(turns):
        started = time.perf_counter()
        handler(event("launch" if i == 0 else "AMAZON.NextIntent", time.time(), user, f"b-{user}", i == 0), Context())
        times.append((time.perf_counter() - started) * 1000)
    return times


def lambda_handler(skill: Any) -> Any:
    """A built skill as a Lambda handler, as the entry module serves it."""

    def handler(event_body: dict[str, Any], context: Any) -> dict[str, Any]:
        envelope = skill.serializer.deserialize(json.dumps(event_body), "ask_sdk_model.RequestEnvelope")
        return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))

    return handler

"""Strava and Fitbit uploads against a local server on 127.0.0.1 that implements their documented endpoints,
including errors and rate limits: failed uploads are kept and retried, nothing is lost, tokens are not logged."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
from requests.adapters import HTTPAdapter

from skill.wearable.uploads import FITBIT, STRAVA, FitbitUploader, StravaUploader, UploadQueue
from tests.integration.conftest import free_port

TOKEN = "secret-access-token-123"
LOG = {
    "workout": "six_minute", "name": "6 Minute Upper Back Workout", "equipment": [], "status": "finished",
    "started_at_ms": 1_795_000_000_000, "finished_at_ms": 1_795_000_360_000,
    "sets": [{"kind": "move", "exercise": "band_pull_apart", "name": "Band Pull Apart", "round": 1, "set": 1,
              "part": "overhand grip", "part_kind": "grip", "part_index": 0, "reps": 10,
              "start_ms": 1_795_000_010_000, "duration_ms": 20_000}],
}


class FakeServices(BaseHTTPRequestHandler):
    """Strava: POST /api/v3/uploads, GET /api/v3/uploads/{id}. Fitbit: POST /1/user/-/activities.json."""

    mode: ClassVar[dict[str, str]] = {}  # service -> "ok" | "rate_limited" | "down" | "rejected"
    seen: ClassVar[list[dict[str, Any]]] = []
    polls: ClassVar[dict[int, int]] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        service = STRAVA if self.path.startswith("/api/v3/uploads") else FITBIT
        FakeServices.seen.append({"service": service, "auth": self.headers.get("Authorization"), "body": body,
                                  "path": self.path})
        mode = FakeServices.mode.get(service, "ok")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._reply(401, {"message": "Authorization Error", "errors": [{"code": "invalid"}]})
        if mode == "rate_limited":
            return self._reply(429, {"message": "Rate Limit Exceeded", "errors": []},
                               {"Retry-After": "120", "X-RateLimit-Limit": "100,1000", "X-RateLimit-Usage": "101,200"})
        if mode == "down":
            return self._reply(503, {"message": "Service Unavailable", "errors": []})
        if service == STRAVA:
            if mode == "rejected":
                return self._reply(201, {"id": 99, "status": "There was an error processing your activity.",
                                         "error": "duplicate of activity 1234", "activity_id": None})
            if b".FIT" not in body[:400]:  # multipart: the FIT file itself, with its ".FIT" header
                return self._reply(400, {"message": "Bad Request", "errors": [{"field": "file"}]})
            return self._reply(201, {"id": 7, "external_id": "x", "status": "Your activity is still being processed.",
                                     "activity_id": None, "error": None})
        if mode == "rejected":
            return self._reply(400, {"errors": [{"errorType": "validation", "message": "bad"}]})
        return self._reply(201, {"activityLog": {"logId": 555, "name": "Weight training"}})

    def do_GET(self) -> None:
        if self.path.startswith("/api/v3/uploads/7"):
            FakeServices.polls[7] = FakeServices.polls.get(7, 0) + 1
            done = FakeServices.polls[7] >= 2  # processed on the second poll
            return self._reply(200, {"id": 7, "status": "Your activity is ready." if done else "processing",
                                     "activity_id": 4242 if done else None, "error": None})
        self._reply(404, {"message": "Record Not Found", "errors": []})


class Loopback(HTTPAdapter):
    """Sends what stravalib addresses to https://www.strava.com to the local server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):  # type: ignore[override]
        request.url = request.url.replace("https://www.strava.com", self.base)
        return super().send(request, **kwargs)


@pytest.fixture
def services():
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), FakeServices)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeServices.mode, FakeServices.seen, FakeServices.polls = {}, [], {}
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def uploaders(base: str) -> dict[str, Any]:
    session = requests.Session()
    session.mount("https://www.strava.com", Loopback(base))
    return {STRAVA: StravaUploader(TOKEN, session=session, poll_seconds=0.01),
            FITBIT: FitbitUploader(TOKEN, base_url=base)}


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_both_services_take_the_workout(services: str, tmp_path: Path, caplog) -> None:
    queue = UploadQueue(tmp_path / "uploads.sqlite3")
    assert queue.add(STRAVA, LOG["started_at_ms"]) and queue.add(FITBIT, LOG["started_at_ms"])
    assert not queue.add(STRAVA, LOG["started_at_ms"])  # offered once
    results = {r.service: r for r in queue.run(uploaders(services), lambda s: LOG, lambda w: [])}
    assert (results[STRAVA].status, results[STRAVA].result) == ("done", "4242")
    assert (results[FITBIT].status, results[FITBIT].result) == ("done", "555")
    strava = next(s for s in FakeServices.seen if s["service"] == STRAVA)
    assert "data_type=fit" in strava["path"] + strava["body"].decode("latin-1")
    fitbit = next(s for s in FakeServices.seen if s["service"] == FITBIT)
    form = dict(pair.split("=") for pair in fitbit["body"].decode().split("&"))
    assert form["durationMillis"] == "360000" and form["date"] == "2026-11-18" and int(form["manualCalories"]) > 0
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("service", [STRAVA, FITBIT])
def test_rate_limits_and_outages_keep_the_upload_and_retry_it(services: str, tmp_path: Path, service: str) -> None:
    clock = Clock()
    queue = UploadQueue(tmp_path / "uploads.sqlite3", clock=clock)
    queue.add(service, LOG["started_at_ms"])
    FakeServices.mode[service] = "rate_limited"
    [item] = queue.run(uploaders(services), lambda s: LOG, lambda w: [])
    assert item.status == "pending" and item.attempts == 1 and item.next_try > clock.now
    FakeServices.mode[service] = "down"
    [item] = queue.run(uploaders(services), lambda s: LOG, lambda w: [])
    assert item.attempts == 1  # not due yet: nothing was sent
    clock.now = item.next_try
    [item] = UploadQueue(tmp_path / "uploads.sqlite3", clock=clock).run(uploaders(services), lambda s: LOG,
                                                                         lambda w: [])
    assert item.status == "pending" and item.attempts == 2  # kept across restarts, backing off
    FakeServices.mode[service] = "ok"
    clock.now = item.next_try
    [item] = queue.run(uploaders(services), lambda s: LOG, lambda w: [])
    assert item.status == "done" and item.attempts == 3


@pytest.mark.parametrize("service", [STRAVA, FITBIT])
def test_a_rejected_upload_is_not_retried_forever(services: str, tmp_path: Path, service: str) -> None:
    queue = UploadQueue(tmp_path / "uploads.sqlite3")
    queue.add(service, LOG["started_at_ms"])
    FakeServices.mode[service] = "rejected"
    [item] = queue.run(uploaders(services), lambda s: LOG, lambda w: [])
    assert item.status == "failed"

"""Strava and Fitbit uploads against a local server on 127.0.0.1 that implements their documented endpoints,
including errors and rate limits: failed uploads are kept and retried, nothing is lost, tokens are not logged.
The jobs live in the wearable store: SQLite, and DynamoDB on moto's server, where the skill and the upload worker
run as their Lambda entry points."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
from requests.adapters import HTTPAdapter

from skill.activity.uploaders import uploaders
from skill.activity.worker import MAX_BACKOFF_S, UploadWorker
from skill.bootstrap import build_upload_worker, stores_from_settings
from skill.settings import FITBIT, STRAVA, load_settings
from skill.storage.stores import Stores, dynamo_stores, sqlite_stores
from skill.storage.uploads import DONE, FAILED, PENDING, UploadJob
from tests.conftest import START
from tests.integration.conftest import REPO, FakeLambdaContext, LambdaEcho, free_port, load_lambda_app

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

    mode: ClassVar[dict[str, str]] = {}  # service -> "ok" | "rate_limited" | "down" | "rejected" | "duplicate"
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
            return self._reply(401, {"message": "Authorization Error",
                                     "errors": [{"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
        if mode == "rate_limited":
            return self._reply(429, {"message": "Rate Limit Exceeded", "errors": []},
                               {"Retry-After": "120", "X-RateLimit-Limit": "100,1000", "X-RateLimit-Usage": "101,200"})
        if mode == "down":
            return self._reply(503, {"message": "Service Unavailable", "errors": []})
        if service == STRAVA:
            if mode in ("rejected", "duplicate"):
                error = "Improperly formatted data." if mode == "rejected" else "x.fit duplicate of activity 1234"
                return self._reply(201, {"id": 99, "status": "There was an error processing your activity.",
                                         "error": error, "activity_id": None})
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


def local(base: str):
    """The real clients, pointed at the local server."""
    session = requests.Session()
    session.mount("https://www.strava.com", Loopback(base))
    return uploaders(strava_session=session, fitbit_base=base, poll_seconds=0.01)


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


USER = "0" * 64


def queue(store, service: str, token: str = TOKEN, at: float = Clock.now) -> UploadJob:
    store.logs.save_log(USER, LOG)
    job = UploadJob(USER, service, LOG["started_at_ms"], next_try=int(at), token=token)
    assert store.uploads.add_upload(job)
    assert not store.uploads.add_upload(job)  # a workout is queued once per service
    return job


def run_due(stores: Stores, uploader_for, clock: Clock) -> list[UploadJob]:
    return UploadWorker(stores.uploads, stores.logs, stores.samples, uploader_for, clock=clock).run_due(limit=10)


@pytest.fixture(params=["sqlite", "dynamodb"])
def jobs_store(request, tmp_path: Path):
    if request.param == "sqlite":
        stores = sqlite_stores(tmp_path / "backcoach.sqlite3")
        yield stores
        stores.close()
        return
    table = request.getfixturevalue("table")
    samples = request.getfixturevalue("samples_table")
    yield dynamo_stores(table.name, samples.name)


def test_both_services_take_the_workout(services: str, jobs_store, caplog) -> None:
    queue(jobs_store, STRAVA)
    queue(jobs_store, FITBIT)
    results = {job.service: job for job in run_due(jobs_store, local(services), Clock())}
    assert (results[STRAVA].status, results[STRAVA].result) == (DONE, "4242")
    assert (results[FITBIT].status, results[FITBIT].result) == (DONE, "555")
    assert all(not job.token for job in jobs_store.uploads.uploads(USER))  # tokens are dropped once done
    strava = next(s for s in FakeServices.seen if s["service"] == STRAVA)
    assert "data_type=fit" in strava["path"] + strava["body"].decode("latin-1")
    fitbit = next(s for s in FakeServices.seen if s["service"] == FITBIT)
    form = dict(pair.split("=") for pair in fitbit["body"].decode().split("&"))
    assert form["durationMillis"] == "360000" and form["date"] == "2026-11-18" and int(form["manualCalories"]) > 0
    assert run_due(jobs_store, local(services), Clock()) == []  # nothing is sent twice
    assert TOKEN not in caplog.text and TOKEN not in repr(jobs_store.uploads.uploads(USER))


@pytest.mark.parametrize("service", [STRAVA, FITBIT])
def test_rate_limits_and_outages_keep_the_upload_and_retry_it(services: str, tmp_path: Path, service: str) -> None:
    clock = Clock()
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, service)
    FakeServices.mode[service] = "rate_limited"
    [job] = run_due(store, local(services), clock)
    assert job.status == PENDING and job.attempts == 1 and job.next_try > clock.now
    FakeServices.mode[service] = "down"
    assert run_due(store, local(services), clock) == []  # not due yet: nothing is sent
    clock.now = job.next_try
    reopened = sqlite_stores(tmp_path / "backcoach.sqlite3")  # kept across restarts
    [job] = run_due(reopened, local(services), clock)
    assert job.status == PENDING and job.attempts == 2 and job.next_try == clock.now + 120  # backing off
    FakeServices.mode[service] = "ok"
    clock.now = job.next_try
    [job] = run_due(reopened, local(services), clock)
    assert job.status == DONE and job.attempts == 3


@pytest.mark.parametrize("service", [STRAVA, FITBIT])
def test_a_rejected_upload_is_not_retried_forever(services: str, tmp_path: Path, service: str) -> None:
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, service)
    FakeServices.mode[service] = "rejected"
    [job] = run_due(store, local(services), Clock())
    assert job.status == FAILED and store.uploads.due_uploads(int(Clock.now) + MAX_BACKOFF_S * 10, 10) == []


def test_a_workout_strava_already_has_counts_as_sent(services: str, tmp_path: Path) -> None:
    """A retry after an answer lost on the way back: Strava says duplicate, and names the activity."""
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, STRAVA)
    FakeServices.mode[STRAVA] = "duplicate"
    [job] = run_due(store, local(services), Clock())
    assert (job.status, job.result) == (DONE, "1234")


@pytest.mark.parametrize("service", [STRAVA, FITBIT])
def test_an_expired_token_waits_for_the_fresh_one_alexa_sends_next(services: str, jobs_store, service: str) -> None:
    clock = Clock()
    queue(jobs_store, service, token="expired-token")
    [job] = run_due(jobs_store, local(services), clock)
    assert job.status == PENDING and job.next_try == clock.now + MAX_BACKOFF_S
    clock.now += 60
    assert jobs_store.uploads.refresh_upload_token(USER, service, TOKEN, int(clock.now)) == 1
    [job] = run_due(jobs_store, local(services), clock)
    assert job.status == DONE
    assert jobs_store.uploads.refresh_upload_token(USER, service, TOKEN, int(clock.now)) == 0  # nothing left pending


def test_a_fresh_token_does_not_cut_short_the_backoff_of_a_service_that_is_down(services: str, jobs_store) -> None:
    clock = Clock()
    queue(jobs_store, FITBIT)
    FakeServices.mode[FITBIT] = "down"
    [job] = run_due(jobs_store, local(services), clock)
    assert jobs_store.uploads.refresh_upload_token(USER, FITBIT, "newer-token", 0) == 1
    [kept] = jobs_store.uploads.uploads(USER)
    assert kept.next_try == job.next_try > clock.now and kept.token == "newer-token"  # used at its next try


def test_two_workers_never_send_one_job_twice(services: str, jobs_store) -> None:
    queue(jobs_store, FITBIT)
    [seen] = jobs_store.uploads.due_uploads(int(Clock.now), 10)
    assert jobs_store.uploads.claim_upload(seen, int(Clock.now) + 300)
    assert not jobs_store.uploads.claim_upload(seen, int(Clock.now) + 300)  # the other worker lost the race
    assert run_due(jobs_store, local(services), Clock()) == []  # claimed: not due for anyone else


@pytest.fixture
def deployed(services: str, table, samples_table, monkeypatch: pytest.MonkeyPatch):
    """The skill Lambda with Strava uploads on, and the upload worker Lambda pointed at the local server."""
    monkeypatch.setenv("BACKCOACH_UPLOAD_SERVICE", STRAVA)
    spec = importlib.util.spec_from_file_location(f"upload_app_{id(table)}", REPO / "lambda" / "upload_app.py")
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    worker.handler.handler = build_upload_worker(stores_from_settings(load_settings()), local(services))
    return load_lambda_app(), worker


def to_the_offer(echo: LambdaEcho) -> tuple[dict, float]:
    """A circuit by "next", four minutes apart, up to the response that offers the upload; its answer, and a
    time after it was heard."""
    at = time.time()
    answer = echo.send("start_workout", at=at)
    while echo.state.upload != "offered":
        at += 240
        answer = echo.send("next", at=at)
    return answer, at + 240


def test_a_finished_workout_is_offered_once_and_sent_by_the_worker_on_dynamodb(deployed, caplog) -> None:
    """The deployed path: the skill Lambda offers the upload with the linked account's token in the request,
    "yes" queues it in DynamoDB, and the upload worker Lambda sends the FIT file to Strava."""
    skill, worker = deployed
    echo = LambdaEcho(skill, access_token=TOKEN)
    answer, at = to_the_offer(echo)
    speech = answer["response"]["outputSpeech"]["ssml"]
    assert "Shall I send this workout to Strava?" in speech and answer["response"]["shouldEndSession"] is False
    answer = echo.send("yes", at=at + 5)
    assert "Sending it to Strava" in answer["response"]["outputSpeech"]["ssml"]
    assert answer["response"]["shouldEndSession"] is True
    assert worker.handler({"Records": [{"eventName": "INSERT"}]}, FakeLambdaContext()) == {DONE: 1}
    upload = next(s for s in FakeServices.seen if s["service"] == STRAVA)
    assert upload["auth"] == f"Bearer {TOKEN}" and b".FIT" in upload["body"][:400]
    # Offered once: a later session does not ask again, and asking to send it again says it is on its way.
    again = LambdaEcho(skill, access_token=TOKEN)
    answer = again.send("upload", at=at + 60)
    assert "already on its way to Strava" in answer["response"]["outputSpeech"]["ssml"]
    assert worker.handler({"source": "aws.events"}, FakeLambdaContext()) == {}
    assert TOKEN not in caplog.text


def test_without_a_linked_account_the_skill_asks_for_one_and_offers_nothing(table, samples_table, monkeypatch) -> None:
    monkeypatch.setenv("BACKCOACH_UPLOAD_SERVICE", FITBIT)
    echo = LambdaEcho(load_lambda_app())
    at = time.time()
    answer = echo.send("start_workout", at=at)
    while answer["response"]["shouldEndSession"] is not True:
        at += 240
        answer = echo.send("next", at=at)
    at += 240
    assert "send this workout" not in answer["response"]["outputSpeech"]["ssml"]
    answer = echo.send("upload", at=at + 5, new_session=True)
    assert "link your Fitbit account" in answer["response"]["outputSpeech"]["ssml"]
    assert answer["response"]["card"]["type"] == "LinkAccount"


def test_the_local_chat_offers_the_upload_and_sends_it_with_the_configured_token(
    services: str, content, nlu, store,
) -> None:
    """`backcoach chat` with a token in credentials.toml: the same offer, and the upload runs after the turn."""
    from skill.bootstrap import build_skill
    from skill.cli.activity import run_uploads
    from skill.cli.chat import Chat

    shown: list[str] = []
    chat = Chat(build_skill(store, content, upload_service=STRAVA), nlu, content,
                start_at=START, show=shown.append, show_timeline=False, access_token=TOKEN,
                uploads=lambda: run_uploads(build_upload_worker(store, local(services))))
    answer = chat.say("start my back workout")
    while "send this workout" not in answer.text:
        answer = chat.say("next")
    chat.wait(240)
    assert "Sending it to Strava" in chat.say("yes").text
    assert "       (sent to strava: 4242)" in shown
    assert chat.say("send my workout to strava").text.startswith("This workout is already on its way")


def test_backcoach_upload_keeps_a_workout_it_has_no_token_for(tmp_path: Path, monkeypatch, capsys) -> None:
    from skill.cli import activity
    from skill.cli.main import main

    monkeypatch.setattr(activity, "CREDENTIALS", tmp_path / "none.toml")
    monkeypatch.delenv("BACKCOACH_STRAVA_TOKEN", raising=False)
    monkeypatch.delenv("BACKCOACH_FITBIT_TOKEN", raising=False)
    db = tmp_path / "backcoach.sqlite3"
    store = sqlite_stores(db)
    store.logs.save_log(activity.person("local-user"), LOG)
    assert main(["upload", "--service", "strava", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "strava upload kept for later" in out and "(no access token configured)" in out
    [job] = store.uploads.uploads(activity.person("local-user"))
    assert job.status == PENDING  # kept: a later `backcoach upload` with a token sends it
    monkeypatch.setenv("BACKCOACH_STRAVA_TOKEN", TOKEN)
    assert activity.credentials() == {STRAVA: TOKEN}


def test_a_sample_from_the_same_millisecond_never_replaces_a_workout_log(jobs_store) -> None:
    jobs_store.logs.save_log(USER, LOG)
    jobs_store.samples.put_samples(USER, [(LOG["started_at_ms"], 97)], int(Clock.now))
    assert jobs_store.logs.logs(USER) == [LOG]
    assert jobs_store.samples.recent_samples(USER, LOG["started_at_ms"]) == [(LOG["started_at_ms"], 97)]


def test_an_upload_refused_for_an_expired_token_goes_out_after_the_next_session_on_dynamodb(deployed) -> None:
    """Alexa refreshes linked tokens itself and sends the fresh one with each request: the next session hands
    it to the waiting job, the worker's next run sends it, and the session after that clears the flag."""
    skill, worker = deployed
    echo = LambdaEcho(skill, access_token="token-that-expired")
    _, at = to_the_offer(echo)
    echo.send("yes", at=at + 5)
    assert worker.handler({"source": "aws.events"}, FakeLambdaContext()) == {PENDING: 1}
    assert echo.attributes["record"]["settings"]["uploads_pending"] is True
    echo.access_token = TOKEN  # Alexa refreshed the token
    echo.send("status", at=at + 3600)  # any request that opens a session
    assert worker.handler({"source": "aws.events"}, FakeLambdaContext()) == {DONE: 1}
    echo.send("stop", at=at + 3700)
    echo.send("status", at=at + 7200)
    assert "uploads_pending" not in echo.attributes["record"]["settings"]
    assert [s["auth"] for s in FakeServices.seen] == ["Bearer token-that-expired", f"Bearer {TOKEN}"]


def test_backcoach_serve_runs_the_upload_worker_in_its_own_thread(services: str, tmp_path: Path) -> None:
    import threading

    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, FITBIT, at=0)  # due at once on the wall clock the loop runs by
    stop = threading.Event()
    thread = build_upload_worker(store, local(services)).loop(stop, every_seconds=0.05)
    deadline = time.monotonic() + 10
    while store.uploads.uploads(USER)[0].status != DONE and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(5)
    assert store.uploads.uploads(USER)[0].status == DONE and not thread.is_alive()
    assert len([s for s in FakeServices.seen if s["service"] == FITBIT]) == 1  # once, however many ticks


def test_an_unknown_upload_service_is_refused_at_start(monkeypatch, capsys) -> None:
    from skill.cli.main import main

    monkeypatch.setenv("BACKCOACH_UPLOAD_SERVICE", "garmin")
    assert main(["serve", "--skill-id", "amzn1.ask.skill.x"]) == 2
    assert "BACKCOACH_UPLOAD_SERVICE must be one of strava, fitbit" in capsys.readouterr().err

"""Strava and Fitbit (Google Health API) uploads against a local server on 127.0.0.1 that implements their
documented endpoints, including errors, duplicates and rate limits: failed uploads are kept and retried, nothing
is lost, tokens are not logged. The jobs live in the wearable store: SQLite, and DynamoDB on moto's server, where
the skill and the upload worker run as their Lambda entry points."""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import threading
import time
from datetime import datetime
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
from requests.adapters import HTTPAdapter

from skill.activity.uploaders import uploaders
from skill.activity.worker import MAX_BACKOFF_S, UploadWorker
from skill.bootstrap import build_app, build_upload_worker, stores_from_settings
from skill.settings import FITBIT, STRAVA, load_settings
from skill.storage.stores import Stores, dynamo_stores, sqlite_stores
from skill.storage.uploads import DONE, FAILED, PENDING, UploadJob
from tests.conftest import START
from tests.integration.conftest import REPO, FakeLambdaContext, LambdaEcho, load_lambda_app
from tests.loopback import serving

TOKEN = "secret-access-token-123"
LOG = {
    "workout": "six_minute", "name": "6 Minute Upper Back Workout", "equipment": [], "status": "finished",
    "started_at_ms": 1_795_000_000_000, "finished_at_ms": 1_795_000_360_000,
    "sets": [{"kind": "move", "exercise": "band_pull_apart", "name": "Band Pull Apart", "round": 1, "set": 1,
              "part": "overhand grip", "part_kind": "grip", "part_index": 0, "reps": 10,
              "start_ms": 1_795_000_010_000, "duration_ms": 20_000}],
}


def multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """The parts of a multipart/form-data body, by name."""
    message = BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.get_payload()}


class FakeServices(BaseHTTPRequestHandler):
    """Strava (https://developers.strava.com/docs/reference/#api-Uploads): POST /api/v3/uploads (multipart: file,
    data_type, external_id, name, description) answers 201 with an Upload {id, id_str, external_id, error, status,
    activity_id}; GET /api/v3/uploads/{id} answers the Upload as processing goes on (here: processed on the second
    poll), a duplicate or an unreadable file as the Upload's `error`. Every answer carries X-RateLimit-Limit and
    X-RateLimit-Usage ("15 minutes,daily"); over the limit, 429.

    Google Health (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints/create):
    POST /v4/users/me/dataTypes/exercise/dataPoints with a DataPoint answers 200 with an Operation (done, response =
    the DataPoint); a data point id that exists already, 409 ALREADY_EXISTS; errors as Google's
    {"error": {code, message, status, details}}; 429 with Retry-After; a token it did not issue, 401."""

    # service -> "ok" | "rate_limited" | "down" | "rejected" | "duplicate" | "exhausted" | "processing" | "not_linked"
    mode: ClassVar[dict[str, str]] = {}
    seen: ClassVar[list[dict[str, Any]]] = []
    polls: ClassVar[dict[int, int]] = {}
    strava: ClassVar[dict[int, dict[str, Any]]] = {}  # upload id -> its Upload
    activities: ClassVar[dict[str, int]] = {}  # Strava: external id -> activity id (duplicates are found by it)
    points: ClassVar[set[str]] = set()  # Google Health: exercise data point ids
    usage: ClassVar[list[int]] = [0, 0]

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
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        service = STRAVA if self.path.startswith("/api/v3/") else FITBIT
        FakeServices.seen.append({"service": service, "auth": self.headers.get("Authorization"), "body": body,
                                  "path": self.path, "content_type": self.headers.get("Content-Type", "")})
        if service == STRAVA:
            return self._strava_upload(body)
        return self._google_health(body)

    def do_GET(self) -> None:
        FakeServices.seen.append({"service": STRAVA, "auth": self.headers.get("Authorization"), "body": b"",
                                  "path": self.path, "content_type": ""})
        if not self._strava_allowed():
            return
        upload_id = int(self.path.rsplit("/", 1)[1]) if self.path.rsplit("/", 1)[1].isdigit() else -1
        if not self.path.startswith("/api/v3/uploads/") or upload_id not in FakeServices.strava:
            return self._strava_reply(404, {"message": "Record Not Found", "errors": [
                {"resource": "Upload", "field": "id", "code": "invalid"}]})
        FakeServices.polls[upload_id] = FakeServices.polls.get(upload_id, 0) + 1
        upload = FakeServices.strava[upload_id]
        if FakeServices.polls[upload_id] >= 2 and FakeServices.mode.get(STRAVA) != "processing":
            upload.update(self._processed(upload))
        self._strava_reply(200, upload)

    # Strava

    def _strava_reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        limits, used = (100, 1000), list(FakeServices.usage)
        if FakeServices.mode.get(STRAVA) == "exhausted":  # this request takes the window's last one
            used[0] = max(used[0], limits[0])
        if FakeServices.mode.get(STRAVA) == "rate_limited":  # over the limit until the mode changes
            used[0] = max(used[0], limits[0] + 1)
        usage = ",".join(str(u) for u in used)
        self._reply(status, body, {"X-RateLimit-Limit": ",".join(map(str, limits)), "X-RateLimit-Usage": usage,
                                   **(headers or {})})

    def _strava_allowed(self) -> bool:
        FakeServices.usage = [FakeServices.usage[0] + 1, FakeServices.usage[1] + 1]
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._strava_reply(401, {"message": "Authorization Error", "errors": [
                {"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
            return False
        if FakeServices.mode.get(STRAVA) == "rate_limited":
            self._strava_reply(429, {"message": "Rate Limit Exceeded", "errors": [
                {"resource": "Application", "field": "rate limit", "code": "exceeded"}]})
            return False
        if FakeServices.mode.get(STRAVA) == "down":
            self._reply(503, {"message": "Service Unavailable"})
            return False
        return True

    def _strava_upload(self, body: bytes) -> None:
        if not self._strava_allowed():
            return
        form = multipart(self.headers.get("Content-Type", ""), body)
        file = form.get("file") or b""
        if self.path != "/api/v3/uploads" or form.get("data_type") != b"fit" or file[8:12] != b".FIT":
            return self._strava_reply(400, {"message": "Bad Request", "errors": [
                {"resource": "Upload", "field": "data_type" if file else "file", "code": "invalid"}]})
        upload_id = 7 + len(FakeServices.strava)
        external_id = form.get("external_id", b"").decode()
        FakeServices.strava[upload_id] = {
            "id": upload_id, "id_str": str(upload_id), "external_id": external_id + ".fit", "error": None,
            "status": "Your activity is still being processed.", "activity_id": None}
        self._strava_reply(201, FakeServices.strava[upload_id])

    @staticmethod
    def _processed(upload: dict[str, Any]) -> dict[str, Any]:
        external_id = upload["external_id"].removesuffix(".fit")
        mode = FakeServices.mode.get(STRAVA, "ok")
        if mode == "duplicate":
            FakeServices.activities.setdefault(external_id, 1234)
        if mode == "rejected":
            return {"status": "There was an error processing your activity.", "error": "Improperly formatted data."}
        if external_id in FakeServices.activities and upload["activity_id"] is None:
            activity = FakeServices.activities[external_id]
            return {"status": "There was an error processing your activity.", "error":
                    f"{external_id}.fit duplicate of <a href='/activities/{activity}' target='_blank'>activity "
                    f"{activity}</a>"}
        FakeServices.activities[external_id] = 4242 + len(FakeServices.activities)
        return {"status": "Your activity is ready.", "activity_id": FakeServices.activities[external_id]}

    # Google Health

    def _google_error(self, code: int, status: str, message: str, reason: str = "",
                      headers: dict[str, str] | None = None) -> None:
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                    "domain": "health.googleapis.com"}] if reason else []
        self._reply(code, {"error": {"code": code, "message": message, "status": status, "details": details}},
                    headers)

    def _google_health(self, body: bytes) -> None:
        mode = FakeServices.mode.get(FITBIT, "ok")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if mode == "rate_limited":
            return self._google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "RATE_LIMIT_EXCEEDED",
                                      {"Retry-After": "120"})
        if mode == "down":
            return self._google_error(503, "UNAVAILABLE", "The service is currently unavailable.")
        if mode == "not_linked":
            return self._google_error(400, "FAILED_PRECONDITION", "The account is not linked to Google Health.",
                                      "ACCOUNT_NOT_LINKED")
        try:
            point = json.loads(body)
            name, exercise = point.pop("name"), point.pop("exercise")
            interval = exercise["interval"]
            assert datetime.fromisoformat(interval["startTime"]) < datetime.fromisoformat(interval["endTime"])
            known = {"interval", "exerciseType", "displayName", "activeDuration", "metricsSummary"}
            assert not point and set(exercise) <= known and exercise["exerciseType"] == "STRENGTH_TRAINING"
            assert re.fullmatch(r"users/me/dataTypes/exercise/dataPoints/[a-z0-9-]{4,63}", name)
            assert re.fullmatch(r"\d+s", exercise["activeDuration"]) and mode != "rejected"
        except (ValueError, KeyError, TypeError, AssertionError):
            return self._google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
        point_id = name.rsplit("/", 1)[1]
        if mode == "duplicate":
            FakeServices.points.add(point_id)
        if point_id in FakeServices.points:
            return self._google_error(409, "ALREADY_EXISTS", "Data point already exists.")
        FakeServices.points.add(point_id)
        self._reply(200, {"name": f"operations/{point_id}", "done": True, "response": {
            "@type": "type.googleapis.com/google.devicesandservices.health.v4.DataPoint",
            "name": f"users/4821/dataTypes/exercise/dataPoints/{point_id}", "exercise": exercise}})


class Loopback(HTTPAdapter):
    """Sends what the Strava client addresses to https://www.strava.com to the local server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):  # type: ignore[override]
        request.url = request.url.replace("https://www.strava.com", self.base)
        return super().send(request, **kwargs)


@pytest.fixture
def services():
    FakeServices.mode, FakeServices.seen, FakeServices.polls = {}, [], {}
    FakeServices.strava, FakeServices.activities, FakeServices.points, FakeServices.usage = {}, {}, set(), [0, 0]
    with serving(FakeServices) as url:
        yield url


def local(base: str, timeout: float = 30):
    """The real clients, pointed at the local server."""
    session = requests.Session()
    session.mount("https://www.strava.com", Loopback(base))
    return uploaders(strava_session=session, fitbit_base=base, poll_seconds=0.01, timeout=timeout)


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
    assert (results[FITBIT].status, results[FITBIT].result) == (DONE, f"backcoach-{LOG['started_at_ms']}")
    assert all(not job.token for job in jobs_store.uploads.uploads(USER))  # tokens are dropped once done
    strava = next(s for s in FakeServices.seen if s["service"] == STRAVA)
    form = multipart(strava["content_type"], strava["body"])
    assert form["data_type"] == b"fit" and form["external_id"] == f"backcoach-{LOG['started_at_ms']}".encode()
    assert form["name"] == LOG["name"].encode() and form["file"][8:12] == b".FIT"
    assert [s["path"] for s in FakeServices.seen if s["service"] == STRAVA] == [
        "/api/v3/uploads", "/api/v3/uploads/7", "/api/v3/uploads/7"]  # created, then polled until processed
    fitbit = next(s for s in FakeServices.seen if s["service"] == FITBIT)
    exercise = json.loads(fitbit["body"])["exercise"]
    assert fitbit["path"] == "/v4/users/me/dataTypes/exercise/dataPoints"
    assert exercise["interval"]["startTime"] == "2026-11-18T11:06:40.000Z"
    assert exercise["activeDuration"] == "20s"  # the sets and rests done, not the time since the start
    assert exercise["exerciseType"] == "STRENGTH_TRAINING" and exercise["metricsSummary"]["caloriesKcal"] > 0
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


def test_a_workout_google_health_already_has_counts_as_sent(services: str, tmp_path: Path) -> None:
    """The data point's id is the workout's: sent again, Google answers 409 ALREADY_EXISTS."""
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, FITBIT)
    FakeServices.mode[FITBIT] = "duplicate"
    [job] = run_due(store, local(services), Clock())
    assert (job.status, job.result) == (DONE, f"backcoach-{LOG['started_at_ms']}")


def test_a_used_up_strava_window_stops_the_polling_and_the_next_try_finds_the_activity(
    services: str, tmp_path: Path,
) -> None:
    """The upload that took the window's last request is not polled (it would be refused): the job comes back
    when the window resets, and the file sent again is named a duplicate of the activity it became."""
    clock = Clock()
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, STRAVA)
    FakeServices.mode[STRAVA] = "exhausted"
    [job] = run_due(store, local(services), clock)
    assert job.status == PENDING and 0 < job.next_try - clock.now <= 15 * 60 + 1
    assert [s["path"] for s in FakeServices.seen] == ["/api/v3/uploads"]  # no polling on a used-up window
    FakeServices.polls[7] = 1
    FakeServices.strava[7].update(FakeServices._processed(FakeServices.strava[7]))  # Strava went on processing it
    FakeServices.mode[STRAVA] = "ok"  # a new window
    clock.now = job.next_try
    [job] = run_due(store, local(services), clock)
    assert (job.status, job.result) == (DONE, "4242")


def test_an_upload_strava_is_still_processing_is_tried_again(services: str, tmp_path: Path) -> None:
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, STRAVA)
    FakeServices.mode[STRAVA] = "processing"
    [job] = run_due(store, local(services, timeout=0.1), Clock())
    assert job.status == PENDING and "still processing" in job.result


def legacy_fitbit_token() -> str:
    """An access token as the legacy Fitbit sign-in issued them: a JWT whose issuer is Fitbit."""
    claims = {"aud": "23ABCD", "sub": "XYZ123", "iss": "Fitbit", "typ": "access_token", "scopes": "ract"}
    encode = lambda part: base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")  # noqa: E731
    return f"{encode({'alg': 'HS256'})}.{encode(claims)}.c2lnbmF0dXJl"


def test_a_job_queued_with_a_legacy_fitbit_token_asks_once_to_link_again(services: str, jobs_store) -> None:
    """Fitbit uploads go to Google's Health API now: a token from the old Fitbit sign-in can never work, so the
    job fails at once with a result the skill can speak, instead of waiting for a token that never comes."""
    queue(jobs_store, FITBIT, token=legacy_fitbit_token())
    [job] = run_due(jobs_store, local(services), Clock())
    assert job.status == FAILED and job.needs_relink and "Google" in job.result and not job.token
    assert FakeServices.seen == []  # never sent anywhere
    assert jobs_store.uploads.due_uploads(int(Clock.now) + MAX_BACKOFF_S * 10, 10) == []


def test_a_legacy_job_given_a_google_token_first_is_simply_sent(services: str, jobs_store) -> None:
    queue(jobs_store, FITBIT, token=legacy_fitbit_token())
    assert jobs_store.uploads.refresh_upload_token(USER, FITBIT, TOKEN, int(Clock.now)) == 1  # linked again
    [job] = run_due(jobs_store, local(services), Clock())
    assert job.status == DONE and not job.needs_relink


def test_a_google_account_without_fitbit_data_asks_to_link_again(services: str, tmp_path: Path) -> None:
    store = sqlite_stores(tmp_path / "backcoach.sqlite3")
    queue(store, FITBIT)
    FakeServices.mode[FITBIT] = "not_linked"
    [job] = run_due(store, local(services), Clock())
    assert job.status == FAILED and job.needs_relink and "ACCOUNT_NOT_LINKED" in job.result


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
    assert upload["auth"] == f"Bearer {TOKEN}"
    assert multipart(upload["content_type"], upload["body"])["file"][8:12] == b".FIT"
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
    from skill.cli.activity import run_uploads
    from skill.cli.chat import Chat

    shown: list[str] = []
    chat = Chat(build_app(store, content, upload_service=STRAVA), nlu, content,
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
    assert echo.record["settings"]["uploads_pending"] is True
    echo.access_token = TOKEN  # Alexa refreshed the token
    echo.send("status", at=at + 3600)  # any request that opens a session
    assert worker.handler({"source": "aws.events"}, FakeLambdaContext()) == {DONE: 1}
    echo.send("stop", at=at + 3700)
    echo.send("status", at=at + 7200)
    assert "uploads_pending" not in echo.record["settings"]
    uploads = [s["auth"] for s in FakeServices.seen if s["path"] == "/api/v3/uploads"]
    assert uploads == ["Bearer token-that-expired", f"Bearer {TOKEN}"]


def test_backcoach_serve_runs_the_upload_worker_in_its_own_thread(services: str, tmp_path: Path) -> None:

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

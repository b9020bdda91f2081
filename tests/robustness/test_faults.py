"""DynamoDB errors and throttles at random points of whole workouts, and storage faults during heart-rate
ingestion: nothing completed is lost, and nothing is counted twice."""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.activity.uploaders import UploadError
from skill.activity.worker import MAX_BACKOFF_S, UploadWorker
from skill.companion.stream import Companion
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command
from skill.heartrate.pairing import digest
from skill.heartrate.service import RateLimiter, SyncService
from skill.settings import FITBIT
from skill.speech import prompts
from skill.storage.logs import SQLiteLogStore
from skill.storage.pairing import SQLitePairingStore
from skill.storage.samples import SQLiteSampleStore
from skill.storage.sqlite import Database
from skill.storage.uploads import DONE, SQLiteUploadQueue, UploadJob
from skill.web.sync import sync_blueprint
from tests.engine import handle
from tests.integration.conftest import DynamoCalls, LambdaEcho
from tests.integration.test_lambda_dynamodb import finished_moves, heard_by, speech, stored, stored_state
from tests.robustness.conftest import TRIED

T = 1_795_000_000.0
COMMANDS = {"start_workout": Command(Cmd.START), "next": Command(Cmd.NEXT), "pause": Command(Cmd.PAUSE),
            "resume": Command(Cmd.RESUME), "status": Command(Cmd.STATUS), "stop": Command(Cmd.STOP)}
steps = st.lists(st.tuples(st.sampled_from(["next", "next", "next", "pause", "resume", "status", "stop"]),
                           st.one_of(st.none(), st.integers(1, 200))), min_size=3, max_size=12)


# Each example is a whole workout on the DynamoDB server, with botocore's real retry backoff: fewer of them.
@pytest.mark.timeout(600)  # up to 300 whole workouts through DynamoDB on moto's server
@settings(max_examples=min(300, max(20, settings.default.max_examples // 3)))
@given(script=steps, faults=st.sets(st.integers(0, 20), max_size=4), throttles=st.sets(st.integers(0, 20)))
def test_faults_anywhere_in_a_workout_lose_nothing_and_count_nothing_twice(
    lambda_app: Any, table: Any, calls: DynamoCalls, coach: Coach, script, faults, throttles,
) -> None:
    user = f"f{uuid.uuid4().hex[:10]}"
    echo = LambdaEcho(lambda_app, user=user)
    at, last, reached, truth = T, None, 0, None
    turns = [("start_workout", None), *script] + [("resume", 5)] + [("next", None)] * 8
    for turn, (name, offset) in enumerate(turns):
        if last is not None:
            at = last[1] + offset if offset is not None else heard_by(last[0], last[1])
        now = int(at * 1000)
        reached = max(reached, finished_moves(coach, truth, now))
        calls.fail_all = turn in faults
        calls.throttle_next = 1 if turn in throttles else 0
        TRIED["faults injected"] += int(turn in faults) + int(turn in throttles)
        response = echo.send(name, at)
        calls.fail_all, calls.throttle_next = False, 0
        if prompts.STORAGE_DOWN not in speech(response):
            truth = handle(coach, truth, replace(COMMANDS[name], new_session=not echo.open or name == "resume"),
                                 now).state
        last = (response, at)
    TRIED["fault workouts"] += 1
    end = int(heard_by(*last) * 1000) + 86_400_000
    assert finished_moves(coach, stored_state(table, user), end) >= reached
    history = stored(table, user).get("history", [])
    started = [h["started_at_ms"] for h in history]
    assert len(started) == len(set(started))  # no workout counted twice


class FlakySamples(SQLiteSampleStore):
    def __init__(self, failing: set[int]) -> None:
        super().__init__(Database())
        self.failing, self.calls = failing, 0

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None:
        self.calls += 1
        if self.calls in self.failing:
            raise ConnectionError("injected")
        super().put_samples(user, samples, now)


@given(failing=st.sets(st.integers(1, 12), max_size=6), batches=st.integers(1, 8))
def test_ingestion_faults_lose_no_sample_and_store_none_twice(failing: set[int], batches: int) -> None:
    store = FlakySamples(failing)
    pairing = SQLitePairingStore(store.db)
    app = Flask("sync")
    service = SyncService(pairing, store, upload_limit=RateLimiter(per_second=1000, burst=1000))
    app.register_blueprint(sync_blueprint(service))
    client = app.test_client()
    pairing.save_token(digest("tok"), "u" * 64, "watch", int(time.time()))

    def post(path, body, headers):
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.get_json() or {}

    ticks = [0.0]
    companion = Companion(post, token="tok", clock=lambda: ticks[0])
    start = int(time.time() * 1000) - 600_000
    sent = [(start + 1000 * i, 80 + i % 40) for i in range(batches * 50)]
    for b in range(batches):
        companion.add(sent[b * 50:(b + 1) * 50])
        companion.flush()
        ticks[0] += 100
    for _ in range(20):  # the companion keeps trying until the API takes everything
        if companion.flush():
            break
        ticks[0] += 100
    TRIED["ingestion faults injected"] += min(len(failing), store.calls)
    assert store.recent_samples("u" * 64, 0) == sorted(sent)
    store.db.close()


class FlakyJobs(SQLiteUploadQueue):
    """An upload queue (and its logs) whose calls fail at the given call numbers, as DynamoDB does when throttled
    or down."""

    def __init__(self, failing: set[int]) -> None:
        super().__init__(Database())
        self.failing, self.calls, self.lost_results = failing, 0, 0
        self.logs = FlakyLogs(self)

    def _maybe_fail(self) -> None:
        self.calls += 1
        if self.calls in self.failing:
            raise ConnectionError("injected")

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]:
        self._maybe_fail()
        return super().due_uploads(now, limit)

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        self._maybe_fail()
        return super().claim_upload(job, until)

    def save_upload(self, job: UploadJob) -> None:
        try:
            self._maybe_fail()
        except ConnectionError:
            self.lost_results += job.status == DONE  # sent, but the worker could not record it
            raise
        super().save_upload(job)


class FlakyLogs(SQLiteLogStore):
    def __init__(self, jobs: FlakyJobs) -> None:
        super().__init__(jobs.db)
        self.jobs = jobs

    def log(self, user: str, started_at_ms: int) -> dict[str, Any] | None:
        self.jobs._maybe_fail()
        return super().log(user, started_at_ms)


class FlakyService:
    """A service that answers each upload with an outage, a rate limit, nonsense, or success, in turn."""

    service = FITBIT

    def __init__(self, answers: list[str]) -> None:
        self.answers, self.received = answers, []

    def upload(self, workout: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "down":
            raise UploadError("Fitbit answered 503")
        if answer == "limited":
            raise UploadError("Fitbit rate limit", retry_after=3600)
        if answer == "nonsense":
            raise KeyError("activityLog")
        self.received.append(workout["started_at_ms"])
        return str(len(self.received))


@given(failing=st.sets(st.integers(1, 60), max_size=12), jobs=st.integers(1, 5),
       answers=st.lists(st.sampled_from(["down", "limited", "nonsense", "ok"]), max_size=10))
def test_upload_faults_lose_no_workout(failing: set[int], jobs: int, answers: list[str]) -> None:
    store = FlakyJobs(failing)
    service = FlakyService(list(answers))
    for i in range(jobs):
        store.logs.save_log("u" * 64, {"started_at_ms": 1_000 + i, "finished_at_ms": 2_000 + i, "sets": []})
        store.add_upload(UploadJob("u" * 64, FITBIT, 1_000 + i, next_try=0, token="t"))
    now = 1_800_000_000.0
    for _ in range(60):  # the schedule wakes the worker again and again, hours apart
        now += MAX_BACKOFF_S
        with contextlib.suppress(ConnectionError):  # a failed query for due jobs fails the whole run
            worker = UploadWorker(store, store.logs, None, lambda name, token: service, clock=lambda at=now: at)
            worker.run_due()
        if all(job.status == DONE for job in store.uploads("u" * 64)):
            break
    TRIED["upload faults injected"] += min(len(failing), store.calls) + len(answers)
    assert [job.status for job in store.uploads("u" * 64)] == [DONE] * jobs  # every workout got there
    assert sorted(set(service.received)) == [1_000 + i for i in range(jobs)]
    # Sent twice only when the worker could not record a success (at-least-once, never lost).
    assert len(service.received) - jobs <= store.lost_results
    store.db.close()

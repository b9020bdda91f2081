"""The upload path on DynamoDB: the "yes" turn's requests and the worker's time per job against a bare request."""

from __future__ import annotations

import hashlib
import http.server
import time
from collections import Counter
from typing import Any

from benchmarks.common import Capacity, Context, Dynamo, event, free_port, lambda_handler
from benchmarks.tables import table_from_template
from skill.cli import envelopes
from skill.speech.timing import estimate_seconds


class FakeFitbit(http.server.BaseHTTPRequestHandler):
    """Fitbit's activity log endpoint on loopback: 201 and a log id, as the Web API answers."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"activityLog": {"logId": 555}}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def uploads(dynamo: Dynamo, jobs: int) -> dict[str, Any]:
    """The upload path on DynamoDB: what the "yes" turn and each job cost in requests, and the worker's time
    per job against the bare HTTP request it wraps (the same Fitbit form, posted with requests alone)."""
    import threading

    import requests

    from skill.activity.uploaders import FitbitUploader, uploaders
    from skill.bootstrap import build_skill, build_upload_worker
    from skill.storage.dynamo import client as dynamo_client
    from skill.storage.stores import dynamo_stores

    state = table_from_template("StateTable", "backcoach-bench-uploads")
    samples = table_from_template("SamplesTable", "backcoach-bench-samples")
    store = dynamo_stores(state.name, samples.name)
    capacity = Capacity(dynamo_client())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), FakeFitbit)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    handler = lambda_handler(build_skill(store, upload_service="fitbit"))
    yes_calls: Counter[str] = Counter()
    logs = []
    for i in range(jobs):  # each person finishes a circuit and says yes
        at, attributes, kind, new, user = time.time() - 7200, {}, "StartWorkoutIntent", True, f"u{i}"
        while True:
            answer = handler(event(kind, at, user, f"s-{user}", new, attributes, "bench-token"), Context())
            attributes = answer.get("sessionAttributes") or {}
            at += estimate_seconds(answer["response"]["outputSpeech"]["ssml"]) + 1
            stored = store.records.load(envelopes.user_id(user)) or {}
            if (stored.get("workout") or {}).get("upload") == "offered":
                break
            if answer["response"].get("shouldEndSession"):
                raise RuntimeError("the circuit ended without offering the upload")
            kind, new = "AMAZON.NextIntent", False
        capacity.calls.clear()
        handler(event("AMAZON.YesIntent", at, user, f"s-{user}", False, attributes, "bench-token"), Context())
        yes_calls += capacity.calls
        logs.append(store.logs.logs(hashlib.sha256(envelopes.user_id(user).encode()).hexdigest())[-1])
    capacity.calls.clear()
    started = time.perf_counter()
    done = []
    while len(done) < jobs:
        done += build_upload_worker(store, uploaders(fitbit_base=base)).run_due(limit=jobs)
    worker_s = (time.perf_counter() - started) / jobs
    worker_calls = dict(capacity.calls)
    session = requests.Session()
    started = time.perf_counter()
    for log in logs:  # the baseline: the same request to the same server, nothing around it
        FitbitUploader("bench-token", session=session, base_url=base).upload(log, [])
    baseline_s = (time.perf_counter() - started) / jobs
    server.shutdown()
    server.server_close()
    return {"jobs": jobs, "sent": sum(1 for job in done if job.status == "done"),
            "yes_turn_calls": {k: v / jobs for k, v in yes_calls.items()},
            "worker_calls_per_job": {k: v / jobs for k, v in worker_calls.items()},
            "worker_ms_per_job": worker_s * 1000, "baseline_ms_per_job": baseline_s * 1000,
            "ratio": worker_s / baseline_s}

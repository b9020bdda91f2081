"""`make bench`: what the skill costs, each figure against a baseline measured in the same run.

Prints a table and writes build/benchmarks.json. `--quick` runs tiny counts (the smoke run in `make test`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import http.server
import importlib.util
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from skill.cli import envelopes  # noqa: E402
from skill.speech.timing import estimate_seconds  # noqa: E402
from tests.tables import table_from_template  # noqa: E402

# Published prices, us-east-1, as of 2026-11 (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand).
LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334
LAMBDA_USD_PER_REQUEST = 0.20 / 1_000_000
DYNAMODB_USD_PER_WRITE_UNIT = 0.625 / 1_000_000
DYNAMODB_USD_PER_READ_UNIT = 0.125 / 1_000_000
LAMBDA_MEMORY_MB = 256  # infrastructure/template.yaml
WORKOUTS = 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


class Dynamo:
    """moto's DynamoDB server on loopback, and a table shaped like the template's."""

    def __enter__(self) -> Dynamo:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.env = {
            "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{self.port}", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "BACKCOACH_TABLE": "backcoach-bench",
        }
        os.environ.update(self.env)
        table_from_template("StateTable", "backcoach-bench")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.stop()


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
    return envelopes.envelope(request, user=envelopes.user_id(user), device="bench", session_id=session,
                              new_session=new, attributes=attributes, access_token=access_token)


COLD = """
import importlib.util, json, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("entry", sys.argv[1])
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
imported = time.perf_counter()
class Context:
    aws_request_id = "cold"
    def get_remaining_time_in_millis(self): return 7000
module.handler(json.loads(sys.argv[2]), Context())
print(json.dumps({"import_ms": (imported - t0) * 1000, "total_ms": (time.perf_counter() - t0) * 1000}))
"""


def cold_start(dynamo: Dynamo, runs: int) -> dict[str, Any]:
    results: dict[str, list[dict[str, float]]] = {"skill": [], "baseline": []}
    entries = {"skill": REPO / "lambda" / "app.py", "baseline": REPO / "benchmarks" / "baseline_skill.py"}
    env = {**os.environ, **dynamo.env, "PYTHONPATH": str(REPO)}
    for i in range(runs):
        for name, path in entries.items():
            body = json.dumps(event("launch", time.time(), f"cold-{name}-{i}", "s", True))
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", COLD, str(path), body], env=env, capture_output=True,
                                 text=True, check=True)
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            figures["process_ms"] = (time.perf_counter() - started) * 1000
            results[name].append(figures)
    median = {name: {k: statistics.median(r[k] for r in runs_) for k in runs_[0]} for name, runs_ in results.items()}
    return {**median, "ratio": median["skill"]["total_ms"] / median["baseline"]["total_ms"]}


def circuit(handler: Any, user: str) -> list[float]:
    """A whole 6-minute circuit through `handler`; the time of each turn in ms."""
    at, times, attributes, kind, new = time.time() - 3600, [], {}, "StartWorkoutIntent", True
    while True:
        started = time.perf_counter()
        answer = handler(event(kind, at, user, f"s-{user}", new, attributes), Context())
        times.append((time.perf_counter() - started) * 1000)
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


def warm_turns(dynamo: Dynamo, circuits: int) -> dict[str, Any]:
    from benchmarks.baseline_skill import MemoryAdapter, builder, dynamodb_builder
    from skill.bootstrap import build_skill
    from skill.storage.dynamo import client as dynamo_client
    from skill.storage.stores import sqlite_stores

    skill = build_skill(sqlite_stores())
    memory = lambda_handler(skill)
    app = load(REPO / "lambda" / "app.py")
    app.handler.build()
    capacity = Capacity(dynamo_client())
    base_memory = builder(MemoryAdapter()).lambda_handler()
    base_dynamo = dynamodb_builder().lambda_handler()
    circuit(memory, "warmup"), circuit(app.handler, "warmup")  # imports and first-use costs out of the way
    baseline_turns(base_memory, "warmup", 3), baseline_turns(base_dynamo, "warmup", 3)
    capacity.calls.clear()
    capacity.write_units = capacity.read_units = 0
    figures: dict[str, list[float]] = {"memory": [], "dynamodb": [], "baseline_memory": [], "baseline_dynamodb": []}
    turns_per_workout = 0
    for i in range(circuits):
        figures["memory"] += circuit(memory, f"m{i}")
        dynamo_times = circuit(app.handler, f"d{i}")
        figures["dynamodb"] += dynamo_times
        turns_per_workout = len(dynamo_times)
        figures["baseline_memory"] += baseline_turns(base_memory, f"bm{i}", turns_per_workout)
        figures["baseline_dynamodb"] += baseline_turns(base_dynamo, f"bd{i}", turns_per_workout)
    table = {name: {"p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99), "turns": len(v)}
             for name, v in figures.items()}
    requests = sum(capacity.calls.values())
    storage = {
        "turns_per_workout": turns_per_workout,
        "requests_per_turn": requests / len(figures["dynamodb"]),
        "requests_per_workout": requests / circuits,
        "calls": dict(capacity.calls),
        "write_units_per_workout": capacity.write_units / circuits,
        "read_units_per_workout": capacity.read_units / circuits,
    }
    return {"turns": table, "storage": storage,
            "ratio_memory_p50": table["memory"]["p50_ms"] / table["baseline_memory"]["p50_ms"],
            "ratio_dynamodb_p50": table["dynamodb"]["p50_ms"] / table["baseline_dynamodb"]["p50_ms"]}


def serve(command: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "BACKCOACH_TABLE": "", "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{command[command.index('--port') + 1]}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def post(url: str, body: dict, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
        return answer.status


def load_test(url: str, seconds: float, clients: int, max_requests: int) -> float:
    """Requests per second from `clients` threads sending LaunchRequests, bounded in time and count."""
    deadline = time.perf_counter() + seconds
    sent: list[int] = []

    def client(n: int) -> int:
        done = 0
        while time.perf_counter() < deadline and done < max_requests // clients:
            post(url + "/", event("launch", time.time(), f"load{n}-{done % 20}", "s", True))
            done += 1
        return done

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        sent = list(pool.map(client, range(clients)))
    return sum(sent) / (time.perf_counter() - started)


def web(seconds: float, clients: int, max_requests: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        ours, our_url = serve([sys.executable, "-m", "skill.cli.main", "serve", "--insecure-skip-verification",
                               "--port", str(free_port()), "--db", f"{scratch}/web.sqlite3"])
        base, base_url = serve([sys.executable, "-m", "benchmarks.baseline_web", "--port", str(free_port()),
                                "--db", f"{scratch}/base.sqlite3"])
        try:
            ours_rps = load_test(our_url, seconds, clients, max_requests)
            base_rps = load_test(base_url, seconds, clients, max_requests)
            samples_per_s = sync_throughput(our_url, seconds)
        finally:
            for process in (ours, base):
                process.terminate()
                process.wait(10)
    return {"skill_rps": ours_rps, "baseline_rps": base_rps, "ratio": ours_rps / base_rps,
            "sync_samples_per_s": samples_per_s}


def sync_throughput(url: str, seconds: float, devices: int = 4) -> float:
    """Heart-rate samples accepted per second: `devices` paired companions posting full batches in turn (each
    within the API's per-device limit of two batches a second, after its burst)."""
    from skill.companion.stream import Companion, http_transport, open_mhealth

    tokens = []
    for n in range(devices):
        body = json.dumps(event("PairWatchIntent", time.time(), f"sync{n}", f"p{n}", True)).encode()
        request = urllib.request.Request(url + "/", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            ssml = json.loads(answer.read())["response"]["outputSpeech"]["ssml"]
        companion = Companion(http_transport(url))
        tokens.append(companion.pair(ssml.split('interpret-as="digits">')[1][:6]))
    transport = http_transport(url)
    # Readings ten a second from 23 hours ago: all within the API's one-day window, none in the future.
    deadline, accepted, t = time.perf_counter() + seconds, 0, int(time.time() * 1000) - 23 * 3_600_000
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        for token in tokens:
            batch = [open_mhealth(t + 100 * i, 100 + i % 50) for i in range(600)]
            t += 60_000
            status, _ = transport("/v1/heart-rate", {"samples": batch}, {"Authorization": f"Bearer {token}"})
            accepted += len(batch) if status == 202 else 0
    return accepted / (time.perf_counter() - started)


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
            if (attributes.get("record") or {}).get("workout", {}).get("upload") == "offered":
                break
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


def package() -> dict[str, Any]:
    from skill.cli.build import build

    with tempfile.TemporaryDirectory() as scratch:
        result = build(Path(scratch), "arn:aws:lambda:us-east-1:123456789012:function:bench")
        return {"zip_mb": result.zip_bytes / 1e6, "unzipped_mb": result.unzipped_bytes / 1e6, "files": result.files,
                "uploads_zip_mb": result.uploads_zip_bytes / 1e6}


def cost(cold: dict[str, Any], warm: dict[str, Any]) -> dict[str, Any]:
    """1,000 workouts: every turn billed at the DynamoDB p50, plus one cold start per workout (pessimistic)."""
    storage = warm["storage"]
    turns = storage["turns_per_workout"]
    billed_ms = turns * math.ceil(warm["turns"]["dynamodb"]["p50_ms"]) + math.ceil(cold["skill"]["total_ms"])
    lambda_usd = WORKOUTS * (billed_ms / 1000 * LAMBDA_MEMORY_MB / 1024 * LAMBDA_ARM64_USD_PER_GB_SECOND
                             + turns * LAMBDA_USD_PER_REQUEST)
    dynamo_usd = WORKOUTS * (storage["write_units_per_workout"] * DYNAMODB_USD_PER_WRITE_UNIT
                             + storage["read_units_per_workout"] * DYNAMODB_USD_PER_READ_UNIT)
    return {"lambda_usd": lambda_usd, "dynamodb_usd": dynamo_usd, "total_usd": lambda_usd + dynamo_usd,
            "billed_ms_per_workout": billed_ms}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks")
    parser.add_argument("--quick", action="store_true", help="tiny counts: check the benchmark code runs")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmarks.json")
    args = parser.parse_args(argv)
    runs, circuits, seconds = (1, 1, 0.5) if args.quick else (5, 30, 3.0)
    with Dynamo() as dynamo:
        cold = cold_start(dynamo, runs)
        warm = warm_turns(dynamo, circuits)
        upload = uploads(dynamo, 2 if args.quick else 20)
    results = {"machine": machine(), "quick": args.quick, "cold_start": cold, "warm": warm, "uploads": upload,
               "web": web(seconds, clients=8, max_requests=400 if args.quick else 4000), "package": package()}
    results["cost_1000_workouts"] = cost(cold, warm)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


def table(r: dict[str, Any]) -> str:
    c, w, s, web_, p, cost_ = r["cold_start"], r["warm"]["turns"], r["warm"]["storage"], r["web"], r["package"], \
        r["cost_1000_workouts"]
    u = r["uploads"]
    rows = [
        ("Cold start: import + LaunchRequest (median)", f"{c['skill']['total_ms']:.0f} ms",
         f"{c['baseline']['total_ms']:.0f} ms", f"{c['ratio']:.2f}x"),
        ("  of which import", f"{c['skill']['import_ms']:.0f} ms", f"{c['baseline']['import_ms']:.0f} ms", ""),
        ("Warm turn p50, in-memory store", f"{w['memory']['p50_ms']:.2f} ms",
         f"{w['baseline_memory']['p50_ms']:.2f} ms", f"{r['warm']['ratio_memory_p50']:.2f}x"),
        ("Warm turn p99, in-memory store", f"{w['memory']['p99_ms']:.2f} ms",
         f"{w['baseline_memory']['p99_ms']:.2f} ms", ""),
        ("Warm turn p50, DynamoDB on loopback", f"{w['dynamodb']['p50_ms']:.2f} ms",
         f"{w['baseline_dynamodb']['p50_ms']:.2f} ms", f"{r['warm']['ratio_dynamodb_p50']:.2f}x"),
        ("Warm turn p99, DynamoDB on loopback", f"{w['dynamodb']['p99_ms']:.2f} ms",
         f"{w['baseline_dynamodb']['p99_ms']:.2f} ms", ""),
        ("DynamoDB requests per turn / per workout", f"{s['requests_per_turn']:.2f} / {s['requests_per_workout']:.1f}",
         "2 / turn", ""),
        ("Capacity units per workout (write / read)",
         f"{s['write_units_per_workout']:.1f} / {s['read_units_per_workout']:.1f}", "", ""),
        ("Web endpoint, 8 clients", f"{web_['skill_rps']:.0f} req/s", f"{web_['baseline_rps']:.0f} req/s",
         f"{web_['ratio']:.2f}x"),
        ("Sync API heart-rate samples accepted", f"{web_['sync_samples_per_s']:.0f} /s", "", ""),
        ("Upload worker, per job (Fitbit on loopback)", f"{u['worker_ms_per_job']:.1f} ms",
         f"{u['baseline_ms_per_job']:.1f} ms", f"{u['ratio']:.2f}x"),
        ("DynamoDB requests: the \"yes\" turn / each job", f"{sum(u['yes_turn_calls'].values()):.0f} / "
         f"{sum(u['worker_calls_per_job'].values()):.1f}", "", ""),
        ("Lambda package", f"{p['zip_mb']:.1f} MB zip ({p['unzipped_mb']:.1f} MB unzipped)", "", ""),
        ("Upload worker package", f"{p['uploads_zip_mb']:.1f} MB zip", "", ""),
        (f"Cost of {WORKOUTS} workouts (Lambda + DynamoDB)",
         f"${cost_['total_usd']:.4f} (${cost_['lambda_usd']:.4f} + ${cost_['dynamodb_usd']:.4f})", "", ""),
    ]
    out = ["| measure | Back Coach | baseline | ratio |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c_} | {d} |" for a, b, c_, d in rows]
    return "\n".join(out) + f"\n\nMachine: {r['machine']}"


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: what the skill costs, each figure against a baseline measured in the same run.

Prints a table and writes build/benchmarks.json. `--quick` runs tiny counts (the smoke run in `make test`).

Cold starts are measured as Lambda runs the code: the built zips unzipped, bytecode included, in a fresh
`python -I -S` of the runtime's CPython version with only the package and what Lambda's runtime provides
(boto3, botocore) on its path. DynamoDB is moto's server in a process of its own, so its garbage collection
never lands in the skill's figures.
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
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.tables import table_from_template  # noqa: E402
from skill.cli import envelopes  # noqa: E402
from skill.speech.timing import estimate_seconds  # noqa: E402

# Published prices, us-east-1, as of 2026-11 (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand).
LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334
LAMBDA_USD_PER_REQUEST = 0.20 / 1_000_000
DYNAMODB_USD_PER_WRITE_UNIT = 0.625 / 1_000_000
DYNAMODB_USD_PER_READ_UNIT = 0.125 / 1_000_000
LAMBDA_MEMORY_MB = 256  # infrastructure/template.yaml
WORKOUTS = 1000
ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench"
# The goals (issue 18), shown beside each figure.
LAMBDA_ZIP_LIMIT_MB = 3.0
UPLOADS_ZIP_LIMIT_MB = 8.0


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
    return envelopes.envelope(request, user=envelopes.user_id(user), device="bench", session_id=session,
                              new_session=new, attributes=attributes, access_token=access_token)


COLD = """
import importlib.util, json, resource, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("entry", sys.argv[1])
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
imported = time.perf_counter()
class Context:
    aws_request_id = "cold"
    def get_remaining_time_in_millis(self): return 7000
module.handler(json.loads(sys.argv[2]), Context())
print(json.dumps({"import_ms": (imported - t0) * 1000, "total_ms": (time.perf_counter() - t0) * 1000,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def cold_start_venv(dynamo: Dynamo, runs: int) -> dict[str, Any]:
    """The entry modules imported from the repository's venv (bytecode cached there): not how Lambda runs them,
    kept beside the unzipped figures for comparison with earlier runs."""
    results: dict[str, list[dict[str, float]]] = {"skill": [], "baseline": []}
    entries = {"skill": REPO / "lambda" / "app.py", "baseline": REPO / "benchmarks" / "baseline_skill.py"}
    env = {**os.environ, **dynamo.env, "PYTHONPATH": str(REPO)}
    for i in range(runs):
        for name, path in entries.items():
            body = json.dumps(event("launch", time.time(), f"cold-venv-{name}-{i}", "s", True))
            out = subprocess.run([sys.executable, "-c", COLD, str(path), body], env=env, capture_output=True,
                                 text=True, check=True)
            results[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return summarise(results)


# Run as Lambda runs a function: `python -I -S -B` (no site-packages, no user site, no current directory), the
# unzipped package first on the path, then what Lambda's runtime provides. The runtime has parsed the event
# (with json) before the handler's module is imported, so json is loaded before the clock starts.
COLD_LAMBDA = """
import json, resource, sys, time
event = json.loads(sys.stdin.read())
task, runtime, mode = sys.argv[1:4]
t0 = time.perf_counter()
sys.path[:0] = [task, runtime]
if mode == "count":
    import boto3.session, botocore.loaders, botocore.session
    counts = {"botocore_sessions": 0, "clients": 0, "boto3_resources": 0, "service_models_loaded": 0}
    def counting(cls, name, key):
        original = getattr(cls, name)
        def wrapper(*args, **kwargs):
            counts[key] += 1
            return original(*args, **kwargs)
        setattr(cls, name, wrapper)
    counting(botocore.session.Session, "__init__", "botocore_sessions")
    counting(botocore.session.Session, "create_client", "clients")
    counting(boto3.session.Session, "resource", "boto3_resources")
    counting(botocore.loaders.Loader, "load_service_model", "service_models_loaded")
import app
imported = time.perf_counter()
class Context:
    aws_request_id = "cold"
    def get_remaining_time_in_millis(self): return 7000
answer = app.handler(event, Context())
done = time.perf_counter()
assert answer["response"]["outputSpeech"]["ssml"], answer
figures = {"import_ms": (imported - t0) * 1000, "total_ms": (done - t0) * 1000,
           "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
if mode == "count":
    figures = counts
print(json.dumps(figures))
"""


class Unzipped:
    """The built zips unzipped as Lambda unpacks them (/var/task), the hello skill packaged by the same build
    function, and a folder with what Lambda's runtime provides (/var/runtime), with the runtime's Python."""

    def __init__(self, scratch: Path) -> None:
        from skill.cli.build import build, build_package, lambda_runtime, runtime_interpreter

        self.build = build(scratch / "out", ARN)
        hello, _, _ = build_package(scratch / "hello.zip", REPO / "lambda" / "requirements.txt",
                                    {"app.py": REPO / "benchmarks" / "baseline_skill.py"})
        self.tasks = {"skill": scratch / "task-skill", "baseline": scratch / "task-hello"}
        for name, archive in (("skill", self.build.lambda_zip), ("baseline", hello)):
            with zipfile.ZipFile(archive) as unpacked:
                unpacked.extractall(self.tasks[name])
        self.runtime = lambda_runtime()
        self.python = runtime_interpreter()

    def run(self, name: str, body: dict, env: dict[str, str], mode: str = "time") -> dict[str, Any]:
        clean = {k: v for k, v in env.items() if not k.startswith("PYTHON")}
        started = time.perf_counter()
        # -B: nothing is written beside the code, as in Lambda's read-only code folder.
        out = subprocess.run([self.python, "-I", "-S", "-B", "-c", COLD_LAMBDA, str(self.tasks[name]),
                              str(self.runtime), mode], input=json.dumps(body), env=clean, capture_output=True,
                             text=True, check=False, cwd=self.tasks[name], timeout=60)
        if out.returncode:
            raise RuntimeError(f"the unzipped {name} failed: {out.stderr[-2000:]}")
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        if mode == "time":
            figures["process_ms"] = (time.perf_counter() - started) * 1000
        return figures


def cold_start_lambda(dynamo: Dynamo, unzipped: Unzipped, runs: int) -> dict[str, Any]:
    """Each run a fresh process and a new person (so the first GetItem finds nothing, as on a first launch),
    skill and hello skill taking turns; medians. Then one run of each counting what boto3 builds."""
    env = {**os.environ, **dynamo.env}
    results: dict[str, list[dict[str, float]]] = {"skill": [], "baseline": []}
    for name in results:  # one unmeasured run each: the page cache holds both packages before timing starts
        unzipped.run(name, event("launch", time.time(), f"cold-warmup-{name}", "s", True), env)
    for i in range(runs):
        for name in results:
            results[name].append(unzipped.run(name, event("launch", time.time(), f"cold-{name}-{i}", "s", True), env))
    summary = summarise(results)
    summary["aws_objects"] = {name: unzipped.run(name, event("launch", time.time(), f"count-{name}", "s", True), env,
                                                 mode="count") for name in results}
    summary["runs"] = runs
    return summary


def summarise(results: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    median = {name: {k: statistics.median(r[k] for r in runs_) for k in runs_[0]} for name, runs_ in results.items()}
    return {**median, "ratio": median["skill"]["total_ms"] / median["baseline"]["total_ms"],
            "peak_ratio": median["skill"]["peak_kb"] / median["baseline"]["peak_kb"]}


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


def warm_turns(dynamo: Dynamo, circuits: int) -> dict[str, Any]:
    """Whole circuits, in-memory and on DynamoDB, each against the hello skill's turns on the same store; the
    circuits and the hello turns alternate, so a slow moment of the machine lands on both."""
    from benchmarks.baseline_skill import DynamoDbAdapter, MemoryAdapter, builder
    from skill.bootstrap import build_skill
    from skill.storage.dynamo import client as dynamo_client
    from skill.storage.stores import sqlite_stores

    skill = build_skill(sqlite_stores())
    memory = lambda_handler(skill)
    app = load(REPO / "lambda" / "app.py")
    app.handler.build()
    capacity = Capacity(dynamo_client())
    base_memory = builder(MemoryAdapter()).lambda_handler()
    base_dynamo = builder(DynamoDbAdapter(dynamo.env["BACKCOACH_TABLE"])).lambda_handler()
    circuit(memory, "warmup"), circuit(app.handler, "warmup")  # imports and first-use costs out of the way
    baseline_turns(base_memory, "warmup", 3), baseline_turns(base_dynamo, "warmup", 3)
    capacity.calls.clear()
    capacity.write_units = capacity.read_units = 0
    figures: dict[str, list[float]] = {"memory": [], "memory_start": [], "memory_next": [], "dynamodb": [],
                                       "dynamodb_start": [], "dynamodb_next": [], "baseline_memory": [],
                                       "baseline_dynamodb": []}
    turns_per_workout = 0
    for i in range(circuits):
        for store, handler in (("memory", memory), ("dynamodb", app.handler)):
            turns = circuit(handler, f"{store[0]}{i}")
            figures[store] += [ms for _, ms in turns]
            figures[f"{store}_start"] += [ms for kind, ms in turns if kind == "StartWorkoutIntent"]
            figures[f"{store}_next"] += [ms for kind, ms in turns if kind == "AMAZON.NextIntent"]
            turns_per_workout = len(turns)
        figures["baseline_memory"] += baseline_turns(base_memory, f"bm{i}", turns_per_workout)
        figures["baseline_dynamodb"] += baseline_turns(base_dynamo, f"bd{i}", turns_per_workout)
    table = {name: tails(v) for name, v in figures.items()}
    requests = sum(capacity.calls.values())
    storage = {
        "turns_per_workout": turns_per_workout,
        "requests_per_turn": requests / len(figures["dynamodb"]),
        "requests_per_workout": requests / circuits,
        "calls": dict(capacity.calls),
        "write_units_per_workout": capacity.write_units / circuits,
        "read_units_per_workout": capacity.read_units / circuits,
    }
    ratios = {f"ratio_{name}_p50": table[name]["p50_ms"] / table[f"baseline_{name.split('_')[0]}"]["p50_ms"]
              for name in ("memory", "memory_start", "memory_next", "dynamodb", "dynamodb_start", "dynamodb_next")}
    return {"turns": table, "storage": storage, **ratios, "renders": renders_per_prompt()}


def renders_per_prompt() -> dict[str, Any]:
    """How often each prompt is rendered to SSML in a turn, over one circuit: every render of a prompt (to
    measure it or to send it) against the prompts sent. 1.0 means each prompt is rendered once."""
    from skill.bootstrap import build_skill
    from skill.speech.ssml import Speech
    from skill.storage.stores import sqlite_stores

    counts = Counter()
    original_init, original_ssml = Speech.__init__, Speech.ssml
    seen: dict[int, Any] = {}  # each prompt's params by id (kept alive, so an id is never reused)

    def counted(render: Any) -> Any:
        def wrapper(params: Any) -> Any:
            counts["rendered"] += 1
            seen[id(params)] = params
            return render(params)

        return wrapper

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._render = {key: counted(render) for key, render in self._render.items()}

    def ssml(self: Any, prompts: Any) -> str:
        counts["sent"] += len(prompts)
        return original_ssml(self, prompts)

    Speech.__init__, Speech.ssml = init, ssml  # type: ignore[method-assign]
    try:
        turns = circuit(lambda_handler(build_skill(sqlite_stores())), "renders")
    finally:
        Speech.__init__, Speech.ssml = original_init, original_ssml  # type: ignore[method-assign]
    # per_prompt: renders per distinct prompt (1.0: none rendered twice); per_prompt_sent: renders per prompt sent
    # (above 1 by the closing words and the step that did not fit, measured while packing and never sent).
    return {"turns": len(turns), "prompts_sent": counts["sent"], "prompts_rendered": counts["rendered"],
            "prompts": len(seen), "per_prompt": counts["rendered"] / len(seen),
            "per_prompt_sent": counts["rendered"] / counts["sent"]}


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


def web(seconds: float, clients: int, max_requests: int, rounds: int) -> dict[str, Any]:
    """LaunchRequests per second: `backcoach serve` (SQLite) against a truly bare flask-ask-sdk hello skill and
    one that reads and writes its attributes in memory, all on waitress with 8 threads. The three servers take
    turns for `rounds` rounds; medians."""
    with tempfile.TemporaryDirectory() as scratch:
        servers = {
            "skill": serve([sys.executable, "-m", "skill.cli.main", "serve", "--insecure-skip-verification",
                            "--port", str(free_port()), "--db", f"{scratch}/web.sqlite3"]),
            "bare": serve([sys.executable, "-m", "benchmarks.baseline_web", "--bare", "--port", str(free_port())]),
            "attributes": serve([sys.executable, "-m", "benchmarks.baseline_web", "--port", str(free_port())]),
        }
        try:
            rps: dict[str, list[float]] = {name: [] for name in servers}
            for _, url in servers.values():  # connections, first requests: out of the figures
                load_test(url, 0.2, clients, clients * 4)
            for _ in range(rounds):
                for name, (_, url) in servers.items():
                    rps[name].append(load_test(url, seconds, clients, max_requests))
            samples_per_s = sync_throughput(servers["skill"][1], seconds)
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(10)
    median = {name: statistics.median(v) for name, v in rps.items()}
    return {"skill_rps": median["skill"], "bare_rps": median["bare"], "baseline_rps": median["attributes"],
            "ratio_bare": median["skill"] / median["bare"], "ratio": median["skill"] / median["attributes"],
            "rounds": rounds, "sync_samples_per_s": samples_per_s}


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


def package(unzipped: Unzipped) -> dict[str, Any]:
    built = unzipped.build
    return {"zip_mb": built.zip_bytes / 1e6, "unzipped_mb": built.unzipped_bytes / 1e6, "files": built.files,
            "uploads_zip_mb": built.uploads_zip_bytes / 1e6, "runtime_python": unzipped.python}


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
    # Enough turns that p99 is not the largest sample: 100 circuits of 3 turns, 300 hello turns beside them.
    cold_runs, circuits, seconds, rounds = (1, 1, 0.3, 1) if args.quick else (21, 100, 3.0, 3)
    with tempfile.TemporaryDirectory() as scratch:
        unzipped = Unzipped(Path(scratch))
        with Dynamo() as dynamo:
            cold = cold_start_lambda(dynamo, unzipped, cold_runs)
            cold_venv = cold_start_venv(dynamo, 1 if args.quick else 5)
            warm = warm_turns(dynamo, circuits)
            upload = uploads(dynamo, 2 if args.quick else 20)
        results = {"machine": machine(), "quick": args.quick, "cold_start": cold, "cold_start_venv": cold_venv,
                   "warm": warm, "uploads": upload, "package": package(unzipped),
                   "web": web(seconds, clients=8, max_requests=300 if args.quick else 6000, rounds=rounds)}
    results["cost_1000_workouts"] = cost(cold, warm)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


def _ms(figure: float | None) -> str:
    return "n/a" if figure is None else f"{figure:.2f} ms"


def table(r: dict[str, Any]) -> str:
    c, v, w, s, web_, p, cost_ = r["cold_start"], r["cold_start_venv"], r["warm"]["turns"], r["warm"]["storage"], \
        r["web"], r["package"], r["cost_1000_workouts"]
    u, warm, renders = r["uploads"], r["warm"], r["warm"]["renders"]
    objects = c["aws_objects"]

    def aws(name: str) -> str:
        o = objects[name]
        return (f"{o['botocore_sessions']} session, {o['clients']} client, {o['boto3_resources']} resource, "
                f"{o['service_models_loaded']} model")

    def turn(name: str, label: str, baseline: str) -> list[tuple[str, str, str, str]]:
        ratio = warm.get(f"ratio_{name}_p50")
        return [
            (f"{label} p50", _ms(w[name]["p50_ms"]), _ms(w[baseline]["p50_ms"]), f"{ratio:.2f}x" if ratio else ""),
            (f"{label} p99 / max (n = {w[name]['turns']}; hello n = {w[baseline]['turns']})",
             f"{_ms(w[name]['p99_ms'])} / {_ms(w[name]['max_ms'])}",
             f"{_ms(w[baseline]['p99_ms'])} / {_ms(w[baseline]['max_ms'])}", ""),
        ]

    rows = [
        (f"Cold start, unzipped package (python -I -S, bytecode), median of {c['runs']}",
         f"{c['skill']['total_ms']:.0f} ms", f"{c['baseline']['total_ms']:.0f} ms", f"{c['ratio']:.2f}x"),
        ("  of which import", f"{c['skill']['import_ms']:.0f} ms", f"{c['baseline']['import_ms']:.0f} ms",
         f"{c['skill']['import_ms'] / c['baseline']['import_ms']:.2f}x"),
        ("  whole process (interpreter start to exit)", f"{c['skill']['process_ms']:.0f} ms",
         f"{c['baseline']['process_ms']:.0f} ms", f"{c['skill']['process_ms'] / c['baseline']['process_ms']:.2f}x"),
        ("Cold start peak memory (max RSS)", f"{c['skill']['peak_kb'] / 1024:.1f} MB",
         f"{c['baseline']['peak_kb'] / 1024:.1f} MB", f"{c['peak_ratio']:.2f}x"),
        ("AWS SDK objects built by a cold start", aws("skill"), aws("baseline"), ""),
        ("Cold start from the venv (bytecode cached), median", f"{v['skill']['total_ms']:.0f} ms",
         f"{v['baseline']['total_ms']:.0f} ms", f"{v['ratio']:.2f}x"),
        *turn("memory_start", "Warm StartWorkoutIntent, in-memory store,", "baseline_memory"),
        *turn("memory_next", "Warm NextIntent, in-memory store,", "baseline_memory"),
        *turn("memory", "Warm turn (all), in-memory store,", "baseline_memory"),
        *turn("dynamodb_start", "Warm StartWorkoutIntent, DynamoDB on loopback,", "baseline_dynamodb"),
        *turn("dynamodb_next", "Warm NextIntent, DynamoDB on loopback,", "baseline_dynamodb"),
        *turn("dynamodb", "Warm turn (all), DynamoDB on loopback,", "baseline_dynamodb"),
        ("Renders per prompt (SSML renders / distinct prompts, one circuit)",
         f"{renders['per_prompt']:.2f} ({renders['prompts_rendered']} / {renders['prompts']})", "1", ""),
        ("Renders per prompt sent (measured while packing, then sent)",
         f"{renders['per_prompt_sent']:.2f} ({renders['prompts_rendered']} / {renders['prompts_sent']})", "", ""),
        ("DynamoDB requests per turn / per workout", f"{s['requests_per_turn']:.2f} / {s['requests_per_workout']:.1f}",
         "2 / turn", ""),
        ("Capacity units per workout (write / read)",
         f"{s['write_units_per_workout']:.1f} / {s['read_units_per_workout']:.1f}", "", ""),
        (f"Web LaunchRequests, 8 clients, vs a bare flask-ask-sdk hello (median of {web_['rounds']})",
         f"{web_['skill_rps']:.0f} req/s", f"{web_['bare_rps']:.0f} req/s", f"{web_['ratio_bare']:.2f}x"),
        ("Web LaunchRequests, vs a hello keeping attributes in memory", f"{web_['skill_rps']:.0f} req/s",
         f"{web_['baseline_rps']:.0f} req/s", f"{web_['ratio']:.2f}x"),
        ("Sync API heart-rate samples accepted", f"{web_['sync_samples_per_s']:.0f} /s", "", ""),
        ("Upload worker, per job (Fitbit on loopback)", f"{u['worker_ms_per_job']:.1f} ms",
         f"{u['baseline_ms_per_job']:.1f} ms", f"{u['ratio']:.2f}x"),
        ("DynamoDB requests: the \"yes\" turn / each job", f"{sum(u['yes_turn_calls'].values()):.0f} / "
         f"{sum(u['worker_calls_per_job'].values()):.1f}", "", ""),
        ("Lambda package (against the goal)", f"{p['zip_mb']:.2f} MB zip ({p['unzipped_mb']:.1f} MB unzipped)",
         f"{LAMBDA_ZIP_LIMIT_MB:.0f} MB", f"{p['zip_mb'] / LAMBDA_ZIP_LIMIT_MB:.2f}x"),
        ("Upload worker package (against the goal)", f"{p['uploads_zip_mb']:.2f} MB zip",
         f"{UPLOADS_ZIP_LIMIT_MB:.0f} MB", f"{p['uploads_zip_mb'] / UPLOADS_ZIP_LIMIT_MB:.2f}x"),
        (f"Cost of {WORKOUTS} workouts (Lambda + DynamoDB)",
         f"${cost_['total_usd']:.4f} (${cost_['lambda_usd']:.4f} + ${cost_['dynamodb_usd']:.4f})", "", ""),
    ]
    out = ["| measure | Back Coach | baseline | ratio |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c_} | {d} |" for a, b, c_, d in rows]
    return "\n".join(out) + f"\n\nMachine: {r['machine']}; Lambda's Python here: {p['runtime_python']}"


if __name__ == "__main__":
    raise SystemExit(main())

"""Cold starts, as Lambda runs the code: the built zips unzipped, bytecode included, in a fresh `python -I -S` of
the runtime's CPython version with only the package and what Lambda's runtime provides on its path."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, Dynamo, event

ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench"

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

"""The web endpoint under load: `backcoach serve` against bare flask-ask-sdk hello skills, all on waitress."""

from __future__ import annotations

import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any

from benchmarks.common import REPO, event, free_port


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


PEOPLE_PER_CLIENT = 20


def load_user(client: int, request: int) -> str:
    return f"load{client}-{request % PEOPLE_PER_CLIENT}"


def returning(db: str, users: list[str]) -> None:
    """The load's people as returning ones: each did the circuit earlier today on this Echo, so the record holds
    their history and their time zone, read from the device's settings then. (A person's first session of the
    day also reads the zone from Alexa's settings API: one HTTPS call, not in these figures.)"""
    from benchmarks.common import circuit, lambda_handler
    from skill.alexa.zones import Zones
    from skill.bootstrap import build_skill
    from skill.storage.stores import sqlite_stores

    stores = sqlite_stores(db)
    handler = lambda_handler(build_skill(stores, zones=Zones(lambda *_: "America/New_York")))
    for user in users:
        circuit(handler, user)
    stores.close()


def load_test(url: str, seconds: float, clients: int, max_requests: int) -> float:
    """Requests per second from `clients` threads sending LaunchRequests, bounded in time and count."""
    deadline = time.perf_counter() + seconds
    sent: list[int] = []

    def client(n: int) -> int:
        done = 0
        while time.perf_counter() < deadline and done < max_requests // clients:
            post(url + "/", event("launch", time.time(), load_user(n, done), "s", True))
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
        returning(f"{scratch}/web.sqlite3", [load_user(n, k) for n in range(clients) for k in range(PEOPLE_PER_CLIENT)])
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

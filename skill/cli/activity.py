"""`backcoach export` and `backcoach upload`: the logged workouts of the local store, as files or uploads."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from skill.activity.export import to_fit, to_tcx
from skill.activity.worker import UploadWorker
from skill.bootstrap import build_upload_worker
from skill.cli.envelopes import user_id
from skill.settings import ENV_FITBIT_TOKEN, ENV_STRAVA_TOKEN, FITBIT, STRAVA, Settings
from skill.storage.logs import LogStore
from skill.storage.stores import Stores, sqlite_stores
from skill.storage.uploads import DONE, FAILED, UploadJob

CREDENTIALS = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "backcoach" / "credentials.toml"


def person(user: str) -> str:
    return hashlib.sha256(user_id(user).encode()).hexdigest()


def _store(args: argparse.Namespace, settings: Settings) -> Stores:
    return sqlite_stores(args.db or settings.db_path)


def _chosen(store: LogStore, who: str, started_at: int | None) -> dict[str, Any] | None:
    logs = store.logs(who)
    if started_at is not None:
        return next((entry for entry in logs if entry["started_at_ms"] == started_at), None)
    return logs[-1] if logs else None


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    who = person(args.user)
    workout = _chosen(store.logs, who, args.workout)
    if workout is None:
        print("No workout logged yet: finish (or start) one with `backcoach chat` first.", file=sys.stderr)
        return 1
    samples = store.samples.recent_samples(who, workout["started_at_ms"]) if store.samples else []
    data = (to_fit if args.format == "fit" else to_tcx)(workout, samples)
    args.out.write_bytes(data)
    moves = sum(1 for s in workout["sets"] if s["kind"] == "move")
    print(f"Wrote {args.out}: {workout['name']} ({workout['status']}), {moves} sets, {len(samples)} heart-rate "
          f"samples, {len(data)} bytes.")
    return 0


def credentials() -> dict[str, str]:
    """Access tokens from the environment or ~/.config/backcoach/credentials.toml ([strava] access_token = …)."""
    found: dict[str, str] = {}
    if CREDENTIALS.exists():
        with CREDENTIALS.open("rb") as f:
            config = tomllib.load(f)
        found = {service: str(config[service]["access_token"]) for service in (STRAVA, FITBIT)
                 if isinstance(config.get(service), dict) and config[service].get("access_token")}
    for service, variable in ((STRAVA, ENV_STRAVA_TOKEN), (FITBIT, ENV_FITBIT_TOKEN)):
        if os.environ.get(variable):
            found[service] = os.environ[variable]
    return found


def run_uploads(worker: UploadWorker) -> list[str]:
    """Runs the uploads that are due, as the deployed upload worker does; one line for each."""
    lines = []
    for job in worker.run_due():
        if job.status == DONE:
            lines.append(f"sent to {job.service}: {job.result}")
        elif job.status == FAILED:
            lines.append(f"{job.service} refused the workout: {job.result}")
        else:
            lines.append(f"{job.service} upload kept for later ({job.result}); it is retried with backoff")
    return lines


def upload_command(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    who = person(args.user)
    tokens = credentials()
    now = int(time.time())
    if args.service:
        workout = _chosen(store.logs, who, args.workout)
        if workout is None:
            print("No workout logged yet.", file=sys.stderr)
            return 1
        job = UploadJob(who, args.service, workout["started_at_ms"], next_try=now, token=tokens.get(args.service, ""))
        if not store.uploads.add_upload(job):
            print(f"That workout is already queued or sent to {args.service}.")
    for service, token in tokens.items():
        store.uploads.refresh_upload_token(who, service, token, now)  # the token you configured now, not the old one
    for line in run_uploads(build_upload_worker(store)):
        print(line)
    jobs = store.uploads.uploads(who)
    for job in jobs:
        waiting = "" if job.token else " (no access token configured)"
        print(f"{job.service} {job.started_at_ms}: {job.status} {job.result}{waiting}")
    return 0 if all(job.status != FAILED for job in jobs) else 1

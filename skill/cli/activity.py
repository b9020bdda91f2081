"""`backcoach export` and `backcoach upload`: the logged workouts of the local store, as files or uploads."""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from skill.activity.export import to_fit, to_tcx
from skill.activity.worker import UploadWorker
from skill.alexa.ids import person_hash
from skill.bootstrap import build_upload_worker
from skill.cli.envelopes import user_id
from skill.settings import ENV_FITBIT_TOKEN, ENV_STRAVA_TOKEN, FITBIT, STRAVA, Settings
from skill.storage.logs import LogStore
from skill.storage.stores import Stores, activity_db_path, sqlite_stores
from skill.storage.uploads import DONE, FAILED, UploadJob

CREDENTIALS = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "backcoach" / "credentials.toml"
FORMATS = {".fit": "fit", ".tcx": "tcx"}
NOTHING_LOGGED = "No workout logged yet in {db}: finish (or start) one with `backcoach chat` first."


def person(user: str) -> str:
    """How the skill files this local user's logs and uploads (the same hash the skill makes)."""
    return person_hash(user_id(user))


def _db(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db or settings.db_path)


def _store(args: argparse.Namespace, settings: Settings) -> Stores | None:
    """The local store, or None when it was never created (nothing is created just to find it empty)."""
    db = _db(args, settings)
    if not db.exists() and not activity_db_path(db).exists():
        return None
    return sqlite_stores(db)


def export_format(args: argparse.Namespace) -> tuple[str, str]:
    """(format, "") from --format or the extension of --out; ("", why) when they contradict each other."""
    by_extension = FORMATS.get(args.out.suffix.lower())
    if args.format and by_extension and args.format != by_extension:
        return "", f"--format {args.format} would write {args.format.upper()} into {args.out}: change one of them"
    return args.format or by_extension or "fit", ""


def _chosen(store: LogStore, who: str, started_at: int | None) -> dict[str, Any] | None:
    logs = store.logs(who)
    if started_at is not None:
        return next((entry for entry in logs if entry["started_at_ms"] == started_at), None)
    return logs[-1] if logs else None


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    kind, problem = export_format(args)
    if problem:
        print(f"backcoach export: {problem}", file=sys.stderr)
        return 2
    store = _store(args, settings)
    who = person(args.user)
    logs = store.logs.logs(who) if store else []
    workout = _chosen(store.logs, who, args.workout) if store else None
    if workout is None:
        print(_not_found(logs, args.workout, _db(args, settings)), file=sys.stderr)
        return 1
    assert store is not None
    samples = store.samples.recent_samples(who, workout["started_at_ms"]) if store.samples else []
    data = (to_fit if kind == "fit" else to_tcx)(workout, samples)
    args.out.write_bytes(data)
    moves = sum(1 for s in workout["sets"] if s["kind"] == "move")
    print(f"Wrote {args.out}: {workout['name']} ({workout['status']}), {moves} sets, {len(samples)} heart-rate "
          f"samples, {len(data)} bytes.")
    return 0


def _not_found(logs: list[dict[str, Any]], started_at: int | None, db: Path) -> str:
    """Why no workout was chosen: none logged, or not the one asked for (then the ones that exist)."""
    if not logs:
        return NOTHING_LOGGED.format(db=db)
    listed = "\n".join(f"  --workout {entry['started_at_ms']}  {entry['name']} ({entry['status']}, "
                        f"{sum(1 for s in entry['sets'] if s['kind'] == 'move')} sets)" for entry in logs[-20:])
    more = f" (the latest 20 of {len(logs)})" if len(logs) > 20 else ""
    return f"No workout started at {started_at}. The workouts logged{more}:\n{listed}"


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
    if store is None:
        print(NOTHING_LOGGED.format(db=_db(args, settings)), file=sys.stderr)
        return 1
    who = person(args.user)
    tokens = credentials()
    now = int(time.time())
    if args.service:
        workout = _chosen(store.logs, who, args.workout)
        if workout is None:
            print(_not_found(store.logs.logs(who), args.workout, _db(args, settings)), file=sys.stderr)
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

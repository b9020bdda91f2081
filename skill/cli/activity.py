"""`backcoach export` and `backcoach upload`: the logged workouts of the local store, as files or uploads."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from skill.cli.envelopes import user_id
from skill.settings import ENV_FITBIT_TOKEN, ENV_STRAVA_TOKEN, Settings, wearable_db_path
from skill.wearable.export import to_fit, to_tcx
from skill.wearable.store import SQLiteWearableStore
from skill.wearable.uploads import FITBIT, STRAVA, FitbitUploader, StravaUploader, UploadQueue

CREDENTIALS = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "backcoach" / "credentials.toml"


def person(user: str) -> str:
    return hashlib.sha256(user_id(user).encode()).hexdigest()


def _store(args: argparse.Namespace, settings: Settings) -> SQLiteWearableStore:
    return SQLiteWearableStore(wearable_db_path(args.db or settings.db_path))


def _chosen(store: SQLiteWearableStore, who: str, started_at: int | None) -> dict[str, Any] | None:
    logs = store.logs(who)
    if started_at is not None:
        return next((entry for entry in logs if entry["started_at_ms"] == started_at), None)
    return logs[-1] if logs else None


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    who = person(args.user)
    workout = _chosen(store, who, args.workout)
    if workout is None:
        print("No workout logged yet: finish (or start) one with `backcoach chat` first.", file=sys.stderr)
        return 1
    samples = store.recent_samples(who, workout["started_at_ms"])
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


def upload_command(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    who = person(args.user)
    queue = UploadQueue((args.db or settings.db_path).with_name("uploads.sqlite3"))
    if args.service:
        workout = _chosen(store, who, args.workout)
        if workout is None:
            print("No workout logged yet.", file=sys.stderr)
            return 1
        if not queue.add(args.service, workout["started_at_ms"]):
            print(f"That workout is already queued or uploaded to {args.service}.")
    tokens = credentials()
    uploaders = {}
    if STRAVA in tokens:
        uploaders[STRAVA] = StravaUploader(tokens[STRAVA])
    if FITBIT in tokens:
        uploaders[FITBIT] = FitbitUploader(tokens[FITBIT])
    results = queue.run(uploaders, lambda started: _chosen(store, who, started),
                        lambda w: store.recent_samples(who, w["started_at_ms"]))
    for item in results:
        waiting = "" if item.service in uploaders else " (no access token configured)"
        print(f"{item.service} {item.started_at_ms}: {item.status} {item.result}{waiting}")
    return 0 if all(r.status != "failed" for r in results) else 1

"""`make bench`: what the skill costs, each figure against a baseline measured in the same run.

Prints a table and writes build/benchmarks.json. `--quick` runs tiny counts (the smoke run in `make test`).

Cold starts are measured as Lambda runs the code: the built zips unzipped, bytecode included, in a fresh
`python -I -S` of the runtime's CPython version with only the package and what Lambda's runtime provides
(boto3, botocore) on its path. DynamoDB is moto's server in a process of its own, so its garbage collection
never lands in the skill's figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.audio_turns import nearly_finished
from benchmarks.cold import Unzipped, cold_start_lambda, cold_start_venv
from benchmarks.common import REPO, Dynamo
from benchmarks.uploads import uploads
from benchmarks.warm import warm_turns
from benchmarks.web_load import web

# Published prices, us-east-1, as of 2026-11 (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand).
LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334
LAMBDA_USD_PER_REQUEST = 0.20 / 1_000_000
DYNAMODB_USD_PER_WRITE_UNIT = 0.625 / 1_000_000
DYNAMODB_USD_PER_READ_UNIT = 0.125 / 1_000_000
LAMBDA_MEMORY_MB = 256  # infrastructure/template.yaml
WORKOUTS = 1000
# The goals (issue 18), shown beside each figure.
LAMBDA_ZIP_LIMIT_MB = 3.0
UPLOADS_ZIP_LIMIT_MB = 8.0


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
            audio = nearly_finished(dynamo, 1 if args.quick else 12)  # 12 workouts: over 300 such turns
        results = {"machine": machine(), "quick": args.quick, "cold_start": cold, "cold_start_venv": cold_venv,
                   "warm": warm, "audio": audio, "uploads": upload, "package": package(unzipped),
                   "web": web(seconds, clients=8, max_requests=300 if args.quick else 6000, rounds=rounds)}
    results["cost_1000_workouts"] = cost(cold, warm)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


def _ms(figure: float | None) -> str:
    return "n/a" if figure is None else f"{figure:.2f} ms"


def table(r: dict[str, Any]) -> str:
    c, v, s, web_, p, cost_ = r["cold_start"], r["cold_start_venv"], r["warm"]["storage"], r["web"], r["package"], \
        r["cost_1000_workouts"]
    u, warm, renders, audio = r["uploads"], r["warm"], r["warm"]["renders"], r["audio"]
    objects = c["aws_objects"]

    def aws(name: str) -> str:
        o = objects[name]
        return (f"{o['botocore_sessions']} session, {o['clients']} client, {o['boto3_resources']} resource, "
                f"{o['service_models_loaded']} model")

    def turn(name: str, label: str, baseline: str, of: dict[str, Any] = warm) -> list[tuple[str, str, str, str]]:
        w, ratio = of["turns"], of.get(f"ratio_{name}_p50")
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
        *turn("memory_next", "Warm NextIntent mid-workout, in-memory store,", "baseline_memory"),
        *turn("memory_finish", "Warm NextIntent that finishes (writes the log), in-memory store,", "baseline_memory"),
        *turn("memory", "Warm turn (all), in-memory store,", "baseline_memory"),
        *turn("dynamodb_start", "Warm StartWorkoutIntent, DynamoDB on loopback,", "baseline_dynamodb"),
        *turn("dynamodb_next", "Warm NextIntent mid-workout, DynamoDB on loopback,", "baseline_dynamodb"),
        *turn("dynamodb_finish", "Warm NextIntent that finishes (writes the log), DynamoDB on loopback,",
              "baseline_dynamodb"),
        *turn("dynamodb", "Warm turn (all), DynamoDB on loopback,", "baseline_dynamodb"),
        *turn("memory", "AudioPlayer.PlaybackNearlyFinished, in-memory store,", "hello_memory", audio),
        *turn("dynamodb", "AudioPlayer.PlaybackNearlyFinished, DynamoDB on loopback,", "hello_dynamodb", audio),
        ("DynamoDB requests per PlaybackNearlyFinished", ", ".join(
            f"{n} {call}" for call, n in sorted(audio["dynamodb_calls_per_turn"].items())) or "none",
         "1 GetItem, 1 PutItem", ""),
        ("DynamoDB record writes per audio workout (start to end, nothing said)",
         str(audio["dynamodb_calls_per_workout"].get("PutItem", 0)), "4 (goal)", ""),
        ("Renders per prompt (SSML renders / distinct prompts measured or sent, one circuit)",
         f"{renders['per_prompt']:.2f} ({renders['prompts_rendered']} / {renders['prompts']})", "1", ""),
        ("  most renders of one prompt's values", str(renders["most_renders_of_one_value"]), "1", ""),
        ("  the same circuit for a second person (renderings shared across turns)",
         f"{renders['again_per_prompt']:.2f} ({renders['again_rendered']} / {renders['again_prompts']})", "", ""),
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

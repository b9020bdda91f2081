"""A smoke run of the benchmark code with tiny counts: it runs and reports every figure. No timing is
asserted here (figures depend on the machine); `make bench` gives them, against baselines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


# The run itself is bounded at 300 s; its fixture runs inside the first test that asks for it.
pytestmark = pytest.mark.timeout(360)


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    run = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(out.read_text()), run


def test_the_benchmarks_run_and_report_every_figure(quick) -> None:
    results, run = quick
    cold = results["cold_start"]
    assert cold["ratio"] > 0 and cold["peak_ratio"] > 0 and results["cold_start_venv"]["ratio"] > 0
    # Structural, not timing: the cold start (from the unzipped package) builds one AWS client, no resource.
    assert cold["aws_objects"]["skill"] == {"botocore_sessions": 1, "clients": 1, "boto3_resources": 0,
                                            "service_models_loaded": 2}
    assert results["web"]["ratio"] > 0 and results["web"]["ratio_bare"] > 0
    # The audio mode's turn between two clips reads the record once and writes nothing; a workout is many clips.
    assert results["audio"]["dynamodb_calls_per_turn"] == {"GetItem": 1}
    # A whole audio workout writes the record at its start and its end, plus the end's log (issue 27: <= 4).
    assert results["audio"]["dynamodb_calls_per_workout"].get("PutItem", 0) <= 4
    assert results["audio"]["clips_per_workout"] > 10 and results["audio"]["ratio_dynamodb_p50"] > 0
    storage = results["warm"]["storage"]
    assert storage["calls"].get("GetItem") == storage["turns_per_workout"]  # one read per turn (none carried)
    # One write per turn that changes, and the finished workout's log (its item, its month's page of the index
    # and the list of months).
    assert storage["calls"]["PutItem"] == storage["turns_per_workout"] + 1
    assert storage["calls"].get("UpdateItem") == 2
    assert results["web"]["sync_samples_per_s"] > 0 and results["package"]["zip_mb"] > 0
    assert results["cost_1000_workouts"]["total_usd"] > 0
    uploads = results["uploads"]
    assert uploads["sent"] == uploads["jobs"] and uploads["ratio"] > 0
    # "Yes" costs the record's read, the job, the person's job list and the record's write; a job costs its claim,
    # two reads and its result (plus a share of the query that found it).
    assert uploads["yes_turn_calls"] == {"GetItem": 1, "PutItem": 2, "UpdateItem": 1}
    assert uploads["worker_calls_per_job"]["UpdateItem"] == 1 and uploads["worker_calls_per_job"]["PutItem"] == 1
    assert "| Cold start" in run.stdout and "write failed" not in run.stderr
    assert results["package"]["zip_mb"] <= 3 and results["package"]["uploads_zip_mb"] <= 8


def test_each_prompt_is_rendered_once_per_turn(quick) -> None:
    renders = quick[0]["warm"]["renders"]
    assert renders["most_renders_of_one_value"] == 1  # none rendered twice (to measure, then to send)
    assert renders["prompts_rendered"] <= renders["prompts"]
    # A second person's circuit says the same steps again: their renderings are shared across turns.
    assert renders["again_prompts"] > 0 and renders["again_rendered"] < renders["again_prompts"] / 2
    assert renders["prompts"] >= renders["prompts_sent"] > 0

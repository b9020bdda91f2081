"""The audio mode's critical turn: AudioPlayer.PlaybackNearlyFinished, answered while the current clip plays out,
with the next clip to enqueue. Timed against the hello skill's turn on the same store, with its DynamoDB
requests counted.

The clips are rendered once beforehand by a stand-in engine (a few bytes each: the turn only names a clip and
its URL, it never reads one), as `backcoach build --audio` pre-renders them before a deployment."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import Capacity, Context, Dynamo, baseline_turns, lambda_handler, tails
from skill.cli import envelopes

IDLE = {"playerActivity": "IDLE"}


class StandInEngine:
    """Any bytes will do: the turn never decodes a clip."""

    name = "bench"
    voice = "bench"

    def render(self, ssml: str) -> bytes:
        return b"ID3" + ssml.encode()[:64]


def player_envelope(request: dict[str, Any], user: str, new: bool = True) -> dict[str, Any]:
    return envelopes.envelope(request, user=envelopes.user_id(user), device=envelopes.device_id("bench"),
                              session_id=f"a-{user}", new_session=new, player=IDLE)


def stream(handler: Any, user: str) -> list[float]:
    """One workout in the audio mode, as an Echo plays it: start, then for each clip PlaybackStarted and
    PlaybackNearlyFinished (timed), until nothing more is enqueued."""
    at = time.time() - 3600
    answer = handler(player_envelope(envelopes.intent_request("StartWorkoutIntent", at), user), Context())
    token = _played(answer)
    times = []
    while token:
        at += 30
        handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackStarted", at, token), user), Context())
        started = time.perf_counter()
        answer = handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackNearlyFinished", at + 20,
                                                                token), user), Context())
        times.append((time.perf_counter() - started) * 1000)
        token = _played(answer)
    return times


def _played(answer: dict[str, Any]) -> str:
    for directive in (answer.get("response") or {}).get("directives") or []:
        if directive.get("type") == "AudioPlayer.Play":
            return directive["audioItem"]["stream"]["token"]
    return ""


def nearly_finished(dynamo: Dynamo, workouts: int) -> dict[str, Any]:
    """PlaybackNearlyFinished turns over `workouts` audio workouts, in memory and on DynamoDB, each against the
    hello skill's turns on the same store (taking turns), and the DynamoDB requests of each such turn."""
    from benchmarks.baseline_skill import DynamoDbAdapter, MemoryAdapter, builder
    from skill.audio.clips import ClipLibrary, LocalClips
    from skill.bootstrap import build_skill
    from skill.storage.dynamo import client as dynamo_client
    from skill.storage.stores import dynamo_stores, sqlite_stores

    with tempfile.TemporaryDirectory() as scratch:
        clips = ClipLibrary(StandInEngine(), LocalClips(Path(scratch), "https://clips.example.org"))
        skills = {"memory": lambda_handler(build_skill(sqlite_stores(), clips=clips)),
                  "dynamodb": lambda_handler(build_skill(dynamo_stores(dynamo.env["BACKCOACH_TABLE"]), clips=clips))}
        hello = {"memory": builder(MemoryAdapter()).lambda_handler(),
                 "dynamodb": builder(DynamoDbAdapter(dynamo.env["BACKCOACH_TABLE"])).lambda_handler()}
        capacity = Capacity(dynamo_client())
        for store in skills:  # clips rendered, imports and first-use costs out of the way
            stream(skills[store], f"audio-warmup-{store}")
            baseline_turns(hello[store], f"audio-warmup-{store}", 3)
        figures: dict[str, list[float]] = {name: [] for name in ("memory", "dynamodb", "hello_memory",
                                                                  "hello_dynamodb")}
        for i in range(workouts):
            for store, handler in skills.items():
                times = stream(handler, f"audio-{store}-{i}")
                figures[store] += times
                figures[f"hello_{store}"] += baseline_turns(hello[store], f"audio-hello-{store}-{i}", len(times))
        calls = _nearly_finished_calls(skills["dynamodb"], capacity, "audio-count")
        workout_calls = _workout_calls(skills["dynamodb"], capacity, "audio-workout")
    table = {name: tails(v) for name, v in figures.items()}
    return {"turns": table, "clips_per_workout": len(figures["memory"]) / max(1, workouts),
            "dynamodb_calls_per_turn": dict(calls), "dynamodb_calls_per_workout": dict(workout_calls),
            **{f"ratio_{store}_p50": table[store]["p50_ms"] / table[f"hello_{store}"]["p50_ms"] for store in skills}}


def _nearly_finished_calls(handler: Any, capacity: Capacity, user: str) -> Counter[str]:
    """The DynamoDB requests of one PlaybackNearlyFinished turn in the middle of a workout."""
    at = time.time() - 3600
    token = _played(handler(player_envelope(envelopes.intent_request("StartWorkoutIntent", at), user), Context()))
    handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackStarted", at + 1, token), user), Context())
    capacity.calls.clear()
    handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackNearlyFinished", at + 20, token), user),
            Context())
    return Counter(capacity.calls)


def _workout_calls(handler: Any, capacity: Capacity, user: str) -> Counter[str]:
    """The DynamoDB requests of one whole workout in the audio mode with no command said: the start, then each
    clip's PlaybackStarted, PlaybackNearlyFinished and PlaybackFinished, as an Echo sends them."""
    at = time.time() - 3600
    capacity.calls.clear()
    token = _played(handler(player_envelope(envelopes.intent_request("StartWorkoutIntent", at), user), Context()))
    while token:
        at += 30
        handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackStarted", at, token), user), Context())
        following = _played(handler(player_envelope(envelopes.player_event(
            "AudioPlayer.PlaybackNearlyFinished", at + 20, token), user), Context()))
        handler(player_envelope(envelopes.player_event("AudioPlayer.PlaybackFinished", at + 29, token), user),
                Context())
        token = following
    return Counter(capacity.calls)

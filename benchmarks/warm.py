"""Warm turns: whole circuits against the hello skill's turns on the same store, and renders per prompt."""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.common import REPO, Capacity, Dynamo, baseline_turns, circuit, lambda_handler, load, tails


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
    figures: dict[str, list[float]] = {f"{store}{kind}": [] for store in ("memory", "dynamodb")
                                       for kind in ("", "_start", "_next", "_finish")}
    figures |= {"baseline_memory": [], "baseline_dynamodb": []}
    turns_per_workout = 0
    for i in range(circuits):
        for store, handler in (("memory", memory), ("dynamodb", app.handler)):
            turns = circuit(handler, f"{store[0]}{i}")
            figures[store] += [ms for _, ms in turns]
            figures[f"{store}_start"] += [ms for kind, ms in turns if kind == "StartWorkoutIntent"]
            # "Next" in the middle of the workout, and the Next that finishes it (which also writes the log).
            figures[f"{store}_next"] += [ms for kind, ms in turns[:-1] if kind == "AMAZON.NextIntent"]
            figures[f"{store}_finish"].append(turns[-1][1])
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
              for name in figures if not name.startswith("baseline")}
    return {"turns": table, "storage": storage, **ratios, "renders": renders_per_prompt()}


def renders_per_prompt() -> dict[str, Any]:
    """How often prompts are rendered to SSML, over two circuits of two people: every render (to measure a
    prompt or to send it) against the distinct prompts measured or sent, and against the prompts sent. 1.0 in
    the first circuit would mean each prompt is rendered once; prompts with the same values share one rendering,
    within a circuit and across circuits, so both are lower. `most_renders_of_one_value` is 1 when no prompt's
    values were ever rendered twice."""
    from skill.bootstrap import build_skill
    from skill.speech.ssml import Speech
    from skill.storage.stores import sqlite_stores

    counts: Counter[str] = Counter()
    original_init, original_ssml, original_rendered = Speech.__init__, Speech.ssml, Speech._rendered
    seen: dict[int, Any] = {}  # each prompt by id (kept alive, so an id is never reused)

    values: Counter[str] = Counter()  # renders of each prompt's values (key and parameters)

    def counted(key: str, render: Any) -> Any:
        def wrapper(params: Any) -> Any:
            counts["rendered"] += 1
            values[key + repr(sorted(params.items()))] += 1
            return render(params)

        return wrapper

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._render = {key: counted(key, render) for key, render in self._render.items()}

    def rendered(self: Any, prompt: Any) -> Any:
        if id(prompt) not in seen:
            seen[id(prompt)] = prompt
            counts["prompts"] += 1
        return original_rendered(self, prompt)

    def ssml(self: Any, prompts: Any) -> str:
        counts["sent"] += len(prompts)
        return original_ssml(self, prompts)

    Speech.__init__, Speech.ssml, Speech._rendered = init, ssml, rendered  # type: ignore[method-assign]
    try:
        handler = lambda_handler(build_skill(sqlite_stores()))
        turns = circuit(handler, "renders")
        first = dict(counts)
        counts.clear()
        circuit(handler, "renders-again")
    finally:
        Speech.__init__, Speech.ssml, Speech._rendered = (  # type: ignore[method-assign]
            original_init, original_ssml, original_rendered)
    # per_prompt: renders per distinct prompt (1.0: none rendered twice); per_prompt_sent: renders per prompt sent
    # (above 1 by the closing words and the step that did not fit, measured while packing and never sent).
    return {"turns": len(turns), "prompts_sent": first["sent"], "prompts_rendered": first["rendered"],
            "prompts": first["prompts"], "per_prompt": first["rendered"] / first["prompts"],
            "per_prompt_sent": first["rendered"] / first["sent"],
            "again_rendered": counts["rendered"], "again_prompts": counts["prompts"],
            "again_per_prompt": counts["rendered"] / counts["prompts"],
            "most_renders_of_one_value": max(values.values())}

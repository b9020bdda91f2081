from __future__ import annotations

from skill.content.schema import Content
from skill.engine.plan import GRIP, LETTER, MOVE, REST, SIDE, build_plan


def test_six_minute_circuit_steps(content: Content) -> None:
    plan = build_plan(content, "six_minute")
    labels = [(s.kind, s.round, s.exercise_id, s.part_label, s.reps_min) for s in plan.steps]
    round_moves = [
        ("band_pull_apart", "overhand grip", 10), ("band_pull_apart", "underhand grip", 10),
        ("single_arm_mini_loop_pulldown", "left", 10), ("single_arm_mini_loop_pulldown", "right", 10),
        ("i_y_t", "I", 5), ("i_y_t", "Y", 5), ("i_y_t", "T", 5),
        ("resistance_band_row_with_pause", "", 8),
    ]
    expected = [(MOVE, 1, *m) for m in round_moves] + [(REST, 1, "resistance_band_row_with_pause", "", 0)]
    expected += [(MOVE, 2, *m) for m in round_moves]
    assert labels == expected
    assert plan.steps[8].rest_seconds == 30
    assert {s.part_kind for s in plan.steps if s.kind == MOVE} == {GRIP, SIDE, LETTER, ""}
    assert all(s.reps_min == s.reps_max for s in plan.steps if s.kind == MOVE)


def test_full_session_uses_beginner_prescriptions_and_rests_between_sets(content: Content) -> None:
    plan = build_plan(content, "full_session")
    assert len(plan.exercises) == 6 and plan.exercises[0] == "bentover_dumbbell_row"
    first = [s for s in plan.steps if s.exercise_id == "bentover_dumbbell_row"]
    assert [(s.kind, s.set) for s in first] == [(MOVE, 1), (REST, 1), (MOVE, 2), (REST, 2), (MOVE, 3), (REST, 3)]
    assert (first[0].reps_min, first[0].reps_max) == (8, 12)
    kettlebell = [s for s in plan.steps if s.exercise_id == "single_arm_kettlebell_row" and s.kind == MOVE]
    assert [(s.set, s.part_label) for s in kettlebell[:2]] == [(1, "right"), (1, "left")]
    assert plan.steps[-1].kind == MOVE  # no rest after the last set


def test_full_session_filtered_by_equipment(content: Content) -> None:
    band = build_plan(content, "full_session", ("band",))
    for exercise_id in band.exercises:
        equipment = content.exercises[exercise_id].equipment
        assert "band" in equipment or "none" in equipment
    assert "band_pull_apart" in band.exercises and "bentover_dumbbell_row" not in band.exercises
    bodyweight = build_plan(content, "full_session", ("none",))
    assert bodyweight.exercises == ("scapular_push_ups", "i_y_t")
    iyt = [s for s in bodyweight.steps if s.exercise_id == "i_y_t" and s.kind == MOVE]
    assert len(iyt) == 9 and [s.part_label for s in iyt[:3]] == ["I", "Y", "T"]
    trx = build_plan(content, "full_session", ("trx",))
    assert "inverted_row" in trx.exercises and "trx_low_row" in trx.exercises

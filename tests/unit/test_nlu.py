from __future__ import annotations

import pytest

from skill.cli.nlu import Nlu


@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        ("start my back workout", "StartWorkoutIntent", {}),
        ("Start the six minute workout", "StartWorkoutIntent", {"WORKOUT": "six_minute"}),
        ("start a full back workout", "StartWorkoutIntent", {"WORKOUT": "full_session"}),
        ("I only have a band", "StartWorkoutIntent", {"EQUIPMENT": "band"}),
        ("How do I do a band pull apart?", "ExplainExerciseIntent", {"EXERCISE": "band_pull_apart"}),
        ("how do I do the I Y T", "ExplainExerciseIntent", {"EXERCISE": "i_y_t"}),
        ("how do I do a bow & arrow row", "ExplainExerciseIntent", {"EXERCISE": "bow_and_arrow_row"}),
        ("where am I", "WorkoutStatusIntent", {}),
        ("how many sets are left", "TimeLeftIntent", {}),
        ("skip this exercise", "SkipExerciseIntent", {}),
        ("next", "AMAZON.NextIntent", {}), ("skip", "SkipExerciseIntent", {}),
        ("repeat", "AMAZON.RepeatIntent", {}), ("say that again", "AMAZON.RepeatIntent", {}),
        ("pause", "AMAZON.PauseIntent", {}), ("resume", "AMAZON.ResumeIntent", {}),
        ("resume my back workout", "AMAZON.ResumeIntent", {}),
        ("go back", "AMAZON.PreviousIntent", {}), ("start over", "AMAZON.StartOverIntent", {}),
        ("stop", "AMAZON.StopIntent", {}), ("help", "AMAZON.HelpIntent", {}),
        ("never mind", "AMAZON.CancelIntent", {}), ("purple monkey dishwasher", "AMAZON.FallbackIntent", {}),
    ],
)
def test_utterances_resolve_like_alexa(nlu: Nlu, said: str, intent: str, slots: dict[str, str]) -> None:
    resolution = nlu.resolve(said)
    assert resolution.intent == intent
    assert {name: s.match[0] for name, s in resolution.slots.items() if s.match} == slots


def test_a_value_outside_the_slot_type_is_heard_but_not_matched(nlu: Nlu) -> None:
    resolution = nlu.resolve("how do I do a burpee")
    assert resolution.intent == "ExplainExerciseIntent"
    slot = resolution.slots["EXERCISE"]
    assert slot.value == "burpee" and slot.match is None

"""What people really say, in several states of a workout: each phrase reaches the intent it must, through the
local NLU and the real skill, and the engine does the right thing with it (issue 14, section 4)."""

from __future__ import annotations

import pytest

from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu, words
from skill.content.schema import Content
from skill.storage.stores import Stores
from tests.conftest import START

IDLE, MID_SET, READY_POINT = "idle", "mid-set", "ready point"

# (what is said, the state it is said in, the intent it must reach, what must come of it)
CASES = [
    *[(said, READY_POINT, "ReadyIntent", "moves on") for said in (
        "I'm ready", "ready", "let's go", "go", "done", "I'm done", "ok next", "okay next", "begin", "I'm back",
        "all set", "ready to go")],
    # Alexa's own built-in phrases: they reach its intents, which move on just the same.
    ("next", READY_POINT, "AMAZON.NextIntent", "moves on"),
    ("next one", READY_POINT, "AMAZON.NextIntent", "moves on"),
    ("continue", READY_POINT, "AMAZON.ResumeIntent", "moves on"),
    ("keep going", READY_POINT, "AMAZON.ResumeIntent", "moves on"),
    ("let's go", IDLE, "ReadyIntent", "starts"),
    *[(said, MID_SET, "SkipExerciseIntent", "skips the move") for said in (
        "skip", "skip this one", "skip this exercise", "skip it")],
    *[(said, MID_SET, "SlowerIntent", "slower") for said in ("slow down", "slower", "too fast", "go slower")],
    *[(said, MID_SET, "FasterIntent", "faster") for said in ("faster", "speed up", "too slow", "go faster")],
    *[(said, MID_SET, "MakeItEasierIntent", "easier") for said in ("make it easier", "easier", "this is too hard")],
    *[(said, MID_SET, "MakeItHarderIntent", "harder") for said in ("make it harder", "harder")],
    *[(said, MID_SET, "CantDoIntent", "offers a way out") for said in (
        "I can't do this one", "I can't do this", "give me something else")],
    *[(said, MID_SET, "MusclesIntent", "names muscles") for said in (
        "what muscles does this work", "what does this work", "what muscles does the band pull apart work")],
    *[(said, MID_SET, "WhatsNextIntent", "says what is next") for said in ("what's next", "what comes next")],
    *[(said, MID_SET, "TimeLeftIntent", "says what is left") for said in (
        "how much longer", "how many left", "how much time is left", "how many sets are left")],
    *[(said, MID_SET, "ExplainExerciseIntent", "explains today's move") for said in (
        "how do I do this one", "explain this", "how do I do this")],
    ("how do I do the Y", MID_SET, "ExplainExerciseIntent", "explains the Y"),
    ("how do I do a band pull apart", MID_SET, "ExplainExerciseIntent", "explains today's move"),
    *[(said, MID_SET, "PainIntent", "stops for pain") for said in (
        "this hurts", "my back hurts", "I felt a twinge", "my shoulder hurts", "ouch")],
    ("this hurts", IDLE, "PainIntent", "pain advice"),
    *[(said, IDLE, "EquipmentIntent", "remembers equipment") for said in (
        "I have dumbbells and a kettlebell", "I got a trx", "I have a band")],
    ("I have dumbbells", MID_SET, "EquipmentIntent", "asks before changing"),
    ("I am 45 years old", IDLE, "SetAgeIntent", "age"),
    ("how am I doing this week", IDLE, "WeekProgressIntent", "week"),
    ("yes", MID_SET, "AMAZON.YesIntent", "nothing to answer"),
]


def test_there_are_at_least_sixty_phrases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("said, where, intent, effect", CASES, ids=[f"{c[0]} @ {c[1]}" for c in CASES])
def test_what_people_say_reaches_the_right_intent_and_does_the_right_thing(
    content: Content, nlu: Nlu, store: Stores, said: str, where: str, intent: str, effect: str,
) -> None:
    assert nlu.resolve(words(said)).intent == intent, said
    chat = Chat(build_app(store, content), nlu, content, start_at=START, show=None)
    before = None
    if where != IDLE:
        started = chat.say("start my back workout")
        if where == MID_SET:
            first = started.workout.timeline[0]
            before = chat.say(f"@{first.start_ms // 1000 + 20} where am I")
        else:
            before = started
    # With no session open the skill is named, as a person does ("tell back coach ..."): said without the name,
    # Alexa would ask the skill first (tests/functional/test_name_free.py).
    answer = chat.say(said if where != IDLE else f"tell back coach {said}")
    text = answer.text
    assert "Please tell me an age" not in text and "Sorry, I didn't catch that" not in text
    state = answer.workout
    if effect == "moves on":
        assert state.timeline and state.timeline[0].step != before.workout.timeline[0].step
    elif effect == "starts":
        assert state is not None and state.timeline and "Here's the" in text
    elif effect == "skips the move":
        assert text.startswith("Skipping the band pull apart") and "single arm pulldown" in text.lower()
    elif effect == "slower":
        assert text.startswith("Slower it is") and state.timeline
    elif effect == "faster":
        assert text.startswith("Faster it is") and state.timeline
    elif effect == "easier":
        assert "easier" in text.lower() or "first taught" in text.lower() or "lighter" in text.lower()
    elif effect == "harder":
        assert "harder" in text.lower()
    elif effect == "offers a way out":
        assert "Say skip" in text
    elif effect == "names muscles":
        assert "rhomboids" in text
    elif effect == "says what is next":
        assert text.startswith("After this, it's the")
    elif effect == "says what is left":
        assert text.startswith("About") and "sets to go" in text
    elif effect == "explains today's move":
        assert "Today it's ten reps with each grip" in text
    elif effect == "explains the Y":
        assert "The Y:" in text and "Today it's five reps in each position" in text
    elif effect == "stops for pain":
        assert "Stop there and rest" in text and "professional" in text and state.phase == "paused"
        assert not answer.ends_session and state.pain
    elif effect == "pain advice":
        assert "professional" in text
    elif effect == "remembers equipment":
        assert text.startswith("Got it")
    elif effect == "asks before changing":
        assert "This workout stays as it is" in text and state.timeline == () and state.workout == "six_minute"
    elif effect == "age":
        assert "maximum heart rate" in text
    elif effect == "week":
        assert "this week" in text
    elif effect == "nothing to answer":
        assert text.startswith("There's no question open")
    if where == MID_SET and effect not in ("moves on", "skips the move", "slower", "faster", "stops for pain"):
        assert state == before.workout  # a question or a remark keeps the place

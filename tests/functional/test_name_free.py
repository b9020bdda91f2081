"""Said without "ask back coach" while no session is open, a line goes the way Alexa routes a name-free request
(issue 30): the skill is asked with CanFulfillIntentRequest first, and the intent follows only on YES or MAYBE."""

from __future__ import annotations

from skill.cli.chat import Chat
from skill.storage.stores import Stores


def test_start_my_back_workout_without_the_name_starts_it(chat: Chat, store: Stores) -> None:
    answer = chat.say("alexa start my back workout")
    assert chat.name_free == [("StartWorkoutIntent", "YES")]
    assert answer is not None and store.records.load(chat.user)["workout"]["phase"] == "playing"
    chat.say("next")  # the session is open now: no second CanFulfill
    assert len(chat.name_free) == 1


def test_how_do_i_do_a_known_move_is_answered_and_an_unknown_one_is_left_to_alexa(chat: Chat, store: Stores) -> None:
    answer = chat.say("alexa how do I do a band pull apart")
    assert chat.name_free == [("ExplainExerciseIntent", "YES")]
    assert answer is not None and "band" in answer.text.lower()
    chat.end_session("USER_INITIATED")
    assert chat.say("alexa how do I do a handstand") is None  # NO: Alexa would answer it or ask another skill
    assert chat.name_free[-1] == ("ExplainExerciseIntent", "NO")
    assert store.records.load(chat.user) is None or store.records.load(chat.user).get("workout") is None

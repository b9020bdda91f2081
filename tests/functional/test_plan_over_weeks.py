"""Issue 17 acceptance, through the real skill and real envelopes: a simulated month of workouts, progressions
offered one at a time with the cues and the FIT export following, a missed week mentioned once, and one
profile per voice on a shared account."""

from __future__ import annotations

import hashlib
import re

from skill.activity.export import fit_names
from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.engine.record import PersonRecord
from skill.storage.stores import Stores
from tests.conftest import START

DAY = 24 * 3600
MONDAY = START - (START // DAY + 3) % 7 * DAY  # the Monday (UTC) of START's week: 1970-01-01 was a Thursday


def _chat(store: Stores, content: Content, nlu: Nlu) -> Chat:
    return Chat(build_app(store, content), nlu, content, start_at=MONDAY + 7 * 3600)


def _workout(chat: Chat, line: str = "ask back coach to start my back workout") -> list[str]:
    """One whole workout, "next" until it is done; the texts of its responses."""
    texts = [chat.say(line).text]
    for _ in range(40):
        reply = chat.say("next")
        texts.append(reply.text)
        if reply.ends_session or "Say yes, or not yet" in reply.text:
            break
    return texts


def _day(chat: Chat, day: int, hour: int = 7) -> None:
    """Move the clock to `hour` on day `day` (0 = the first Monday)."""
    target = MONDAY + day * DAY + hour * 3600
    chat.end_session()
    chat.wait(max(0.0, target - chat._when(None)))


def _record(store: Stores, person: str = "") -> PersonRecord:
    key = "amzn1.ask.account.local-user" + (f"#person#amzn1.ask.person.{person}" if person else "")
    record, _ = PersonRecord.from_dict(store.records.load(key), None)  # type: ignore[arg-type]
    return record


def test_a_month_at_the_top_of_the_range_offers_one_progression_at_a_time(store: Stores, content: Content,
                                                                           nlu: Nlu) -> None:
    chat = _chat(store, content, nlu)
    offers: list[int] = []
    heard: dict[int, str] = {}
    for week in range(4):
        for weekday in range(5):
            _day(chat, week * 7 + weekday)
            texts = _workout(chat)
            heard[week * 5 + weekday + 1] = " ".join(texts)
            if "Say yes, or not yet" in texts[-1]:
                offers.append(week * 5 + weekday + 1)
                assert texts[-1].count("Ready for the next step") == 1
                chat.say("yes")
    # Every third workout in full brings one offer, each after the last change: never two at once.
    assert offers == [3, 6, 9, 12, 15, 18]
    record = _record(store)
    # One step at a time, each on the ladder in order: pause reps first, then slow lowering.
    assert record.coaching.steps == {"band_pull_apart": "eccentric_focus",
                                     "single_arm_mini_loop_pulldown": "eccentric_focus", "i_y_t": "eccentric_focus"}
    # The cues follow: after the first yes, the pull apart's reps hold the pause; later they count the lowering.
    assert "Pause reps now" in heard[4] and "hold" in heard[4] and "Pause reps now" not in heard[3]
    _day(chat, 28)
    spoken = " ".join(_workout(chat))
    assert "Slow lowering now" in spoken and "back, two, three" in spoken
    # Five of five each week is mentioned when met, with the streak once it is two weeks or more.
    assert "the plan is met. That's two weeks in a row" in heard[10]
    assert record.coaching.streak >= 3


def test_the_fit_export_names_a_progression_garmin_knows(store: Stores, content: Content, nlu: Nlu) -> None:
    chat = _chat(store, content, nlu)
    chat.say("ask back coach to start the full upper back session")  # asked once what equipment they have
    chat.say("stop")  # no answer: from then on a full session uses every move
    for day in range(3):
        _day(chat, day)
        texts = _workout(chat, "ask back coach to start the full upper back session")
    assert "Bentover Dumbbell Row" in texts[-1] and "one side at a time" in texts[-1]
    chat.say("yes")
    _day(chat, 3)
    spoken = " ".join(_workout(chat, "ask back coach to start the full upper back session"))
    assert "One arm at a time now" in spoken
    record = _record(store)
    assert record.history[-1].steps == {"bentover_dumbbell_row": "unilateral"}
    person = hashlib.sha256(b"amzn1.ask.account.local-user").hexdigest()
    logged = store.logs.log(person, record.history[-1].started_at_ms)
    assert logged is not None
    rows = {s["step"] for s in logged["sets"] if s["exercise"] == "bentover_dumbbell_row" and s["kind"] == "move"}
    assert rows == {"unilateral"}  # the FIT export names these sets one_arm_bent_over_row
    assert fit_names("bentover_dumbbell_row", 0, "unilateral") == ("row", "one_arm_bent_over_row")
    assert fit_names("bentover_dumbbell_row", 0, "") == ("row", "bent_over_row_with_dumbell")


def test_a_missed_week_is_mentioned_once(store: Stores, content: Content, nlu: Nlu) -> None:
    chat = _chat(store, content, nlu)
    for weekday in range(5):
        _day(chat, weekday)
        _workout(chat)
    heard = []
    for weekday in range(5):  # the week after next: the week between was missed
        _day(chat, 14 + weekday)
        heard.append(" ".join(_workout(chat)))
    assert sum("Last week came to None of five" in t for t in heard) == 1
    assert "Last week came to" in heard[0]
    assert "the plan is met" in heard[-1]


def test_two_voices_keep_separate_plans_and_an_unknown_voice_uses_the_shared_one(store: Stores, content: Content,
                                                                                  nlu: Nlu) -> None:
    chat = _chat(store, content, nlu)
    _day(chat, 0)
    _workout(chat)  # the shared profile, as today
    chat.speaker("ana")
    assert "bring over the workouts" in chat.say("open back coach").text
    assert "One workout brought over" in chat.say("yes").text
    chat.speaker("ben")
    chat.say("open back coach")
    assert "start fresh" in chat.say("no").text
    for day in (1, 2, 3):
        _day(chat, day)
        chat.speaker("ana")
        _workout(chat)
    chat.speaker("ana")
    assert "Ready for the next step" in _workout(chat)[-1]
    chat.say("yes")
    chat.speaker("ben")
    week = chat.say("ask back coach how am I doing this week").text
    assert week.startswith("Nothing yet this week, five to go")
    chat.speaker("")
    assert chat.say("ask back coach how am I doing this week").text.startswith("One of five this week")
    ana, ben, shared = _record(store, "ana"), _record(store, "ben"), _record(store)
    assert ana.coaching.steps and not ben.coaching.steps and not shared.coaching.steps
    assert len(ana.history) == 5 and not ben.history and len(shared.history) == 1
    assert re.search(r"Five of five|Four of five", chat.say("ask back coach how am I doing this week").text) is None

"""The record's coaching (schema 2): records of earlier schemas load unchanged with a fresh start, the new fields
survive a round trip, and malformed coaching is dropped piece by piece, never raising."""

from __future__ import annotations

from skill.content.schema import Content
from skill.engine.coaching import PROGRESS, Coaching, Offer
from skill.engine.record import SCHEMA, HistoryEntry, PersonRecord

SCHEMA_1 = {
    "schema": 1, "workout": None, "settings": {"age": 40}, "wearable": {"paired": True}, "version": 7,
    "history": [{"workout": "six_minute", "started_at_ms": 1, "finished_at_ms": 2, "date": "2026-11-16",
                 "sets": 16, "equipment": [], "status": "finished"}],
}


def test_a_schema_1_record_loads_with_a_fresh_coaching_and_loses_nothing(content: Content) -> None:
    record, dropped = PersonRecord.from_dict(SCHEMA_1, content)
    assert dropped == [] and record.version == 7 and record.paired and record.settings.age == 40
    assert record.history[0].sets == 16 and record.history[0].complete == () and record.history[0].steps == {}
    assert record.coaching == Coaching()
    assert record.to_dict()["schema"] == SCHEMA == 2


def test_coaching_and_history_details_survive_a_round_trip(content: Content) -> None:
    coaching = Coaching(steps={"i_y_t": "pause_reps"}, changed_at_ms=5, declined={"band_pull_apart": 4},
                        easy=("i_y_t",), streak=3, counted_week="2026-11-09", missed_week="2026-11-02",
                        offer=Offer(PROGRESS, exercise="i_y_t", step="eccentric_focus"), reminders=("alert-1",),
                        reminder_days="weekdays", reminder_minute=420, permission_told=True, adopt_offered=True)
    entry = HistoryEntry("six_minute", 1, 2, "2026-11-16", 16, complete=("i_y_t",), steps={"i_y_t": "pause_reps"})
    record = PersonRecord(history=(entry,), coaching=coaching, version=2)
    loaded, dropped = PersonRecord.from_dict({**record.to_dict(), "version": 2}, content)
    assert dropped == [] and loaded == record


def test_malformed_coaching_is_dropped_field_by_field(content: Content) -> None:
    data = {**SCHEMA_1, "schema": 2, "coaching": {"streak": -1, "steps": {"i_y_t": 3}, "offer": {"kind": "??"},
                                                  "reminders": ["alert-1"], "permission_told": "yes"}}
    record, dropped = PersonRecord.from_dict(data, content)
    assert record.coaching.reminders == ("alert-1",) and record.coaching.streak == 0
    assert record.coaching.steps == {} and record.coaching.offer is None and not record.coaching.permission_told
    assert sorted(dropped) == ["coaching offer", "coaching steps", "coaching streak"]
    assert PersonRecord.from_dict({**SCHEMA_1, "schema": 2, "coaching": "junk"}, content)[1] == ["coaching coaching"]

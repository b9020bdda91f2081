"""A logged workout as a file the wearable world reads: a FIT strength-training activity (fit-tool) or TCX v2."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

# Compendium of Physical Activities: resistance training, multiple exercises, 8-15 reps, moderate: 3.5 MET.
STRENGTH_MET = 3.5
DEFAULT_WEIGHT_KG = 70.0
FIT_MAPPING = Path(__file__).resolve().parents[1] / "content" / "fit.toml"
TCX_NAMESPACE = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def estimated_calories(duration_s: float, weight_kg: float = DEFAULT_WEIGHT_KG) -> int:
    """kcal = MET x weight (kg) x hours; the one estimate shared by the FIT, TCX and Fitbit paths."""
    return round(STRENGTH_MET * weight_kg * duration_s / 3600)


@cache
def fit_mapping() -> dict[str, dict[str, Any]]:
    with FIT_MAPPING.open("rb") as f:
        return tomllib.load(f)["exercise"]


def fit_names(exercise_id: str, part_index: int, step: str = "") -> tuple[str, str]:
    """(exercise_category, category_subtype) as FIT profile names for one set; a progression (`step`) with a
    name of its own in Garmin's profile (fit.toml `[exercise.<id>.steps]`) is named so."""
    entry = fit_mapping()[exercise_id]
    named = entry.get("steps", {}).get(step) if step else None
    if named:
        return named.get("category", entry["category"]), named["subtype"]
    subtype = entry["subtypes"][part_index] if "subtypes" in entry else entry["subtype"]
    return entry["category"], subtype


def _window(log: dict[str, Any]) -> tuple[int, int]:
    return log["started_at_ms"], max(log["finished_at_ms"], log["started_at_ms"] + 1000)


def _heart_rate(samples: list[tuple[int, int]], log: dict[str, Any]) -> list[tuple[int, int]]:
    start, end = _window(log)
    return [(t, bpm) for t, bpm in samples if start <= t <= end]


def to_fit(log: dict[str, Any], samples: list[tuple[int, int]] = ()) -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile import profile_type as pt
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.messages.set_message import SetMessage

    start, end = _window(log)
    elapsed = (end - start) / 1000
    heart = _heart_rate(list(samples), log)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)

    file_id = FileIdMessage()
    file_id.type = pt.FileType.ACTIVITY
    file_id.manufacturer = pt.Manufacturer.DEVELOPMENT.value
    file_id.product = 1
    file_id.serial_number = start // 1000 % 2**31
    file_id.time_created = start
    builder.add(file_id)

    builder.add(_event(EventMessage, pt, start, pt.EventType.START))
    for t, bpm in heart:
        record = RecordMessage()
        record.timestamp = t
        record.heart_rate = bpm
        builder.add(record)
    for index, done in enumerate(log["sets"]):
        message = SetMessage()
        message.timestamp = done["start_ms"] + done["duration_ms"]
        message.start_time = done["start_ms"]
        message.duration = done["duration_ms"] / 1000
        message.message_index = index
        if done["kind"] == "move":
            category, subtype = fit_names(done["exercise"], done["part_index"], done.get("step", ""))
            message.set_type = pt.SetType.ACTIVE
            message.repetitions = done["reps"]
            message.category = [pt.ExerciseCategory[category.upper()].value]
            message.category_subtype = [_subtype_value(pt, category, subtype)]
        else:
            message.set_type = pt.SetType.REST
        builder.add(message)
    builder.add(_event(EventMessage, pt, end, pt.EventType.STOP_ALL))

    lap = LapMessage()
    _totals(lap, pt, start, end, elapsed, heart)
    lap.message_index = 0
    builder.add(lap)
    session = SessionMessage()
    _totals(session, pt, start, end, elapsed, heart)
    session.first_lap_index = 0
    session.num_laps = 1
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = end
    activity.total_timer_time = elapsed
    activity.num_sessions = 1
    activity.type = pt.Activity.MANUAL
    activity.event = pt.Event.ACTIVITY
    activity.event_type = pt.EventType.STOP
    builder.add(activity)
    return builder.build().to_bytes()


def _event(cls: Any, pt: Any, at: int, kind: Any) -> Any:
    event = cls()
    event.timestamp = at
    event.event = pt.Event.TIMER
    event.event_type = kind
    return event


def _totals(message: Any, pt: Any, start: int, end: int, elapsed: float, heart: list[tuple[int, int]]) -> None:
    message.timestamp = end
    message.start_time = start
    message.total_elapsed_time = elapsed
    message.total_timer_time = elapsed
    message.sport = pt.Sport.TRAINING
    message.sub_sport = pt.SubSport.STRENGTH_TRAINING
    message.total_calories = estimated_calories(elapsed)
    message.event = pt.Event.SESSION if hasattr(message, "num_laps") else pt.Event.LAP
    message.event_type = pt.EventType.STOP
    if heart:
        message.avg_heart_rate = round(sum(b for _, b in heart) / len(heart))
        message.max_heart_rate = max(b for _, b in heart)


def _subtype_value(pt: Any, category: str, subtype: str) -> int:
    enum = getattr(pt, "".join(w.capitalize() for w in category.split("_")) + "ExerciseName")
    return enum[subtype.upper()].value


def to_tcx(log: dict[str, Any], samples: list[tuple[int, int]] = ()) -> bytes:
    """A TCX v2 activity: one lap per set (its exercise and reps in the lap's notes), heart rate as trackpoints."""
    ET.register_namespace("", TCX_NAMESPACE)
    ns = f"{{{TCX_NAMESPACE}}}"
    heart = _heart_rate(list(samples), log)
    root = ET.Element(f"{ns}TrainingCenterDatabase")
    activity = ET.SubElement(ET.SubElement(root, f"{ns}Activities"), f"{ns}Activity", Sport="Other")
    ET.SubElement(activity, f"{ns}Id").text = _iso(log["started_at_ms"])
    sets = log["sets"] or [{"kind": "rest", "start_ms": log["started_at_ms"], "duration_ms": 1000}]
    for done in sets:
        start, end = done["start_ms"], done["start_ms"] + done["duration_ms"]
        in_set = [(t, b) for t, b in heart if start <= t < end]
        lap = ET.SubElement(activity, f"{ns}Lap", StartTime=_iso(start))
        ET.SubElement(lap, f"{ns}TotalTimeSeconds").text = f"{done['duration_ms'] / 1000:.1f}"
        ET.SubElement(lap, f"{ns}DistanceMeters").text = "0"
        ET.SubElement(lap, f"{ns}Calories").text = str(estimated_calories(done["duration_ms"] / 1000))
        if in_set:
            _bpm(lap, f"{ns}AverageHeartRateBpm", round(sum(b for _, b in in_set) / len(in_set)), ns)
            _bpm(lap, f"{ns}MaximumHeartRateBpm", max(b for _, b in in_set), ns)
        ET.SubElement(lap, f"{ns}Intensity").text = "Active" if done["kind"] == "move" else "Resting"
        ET.SubElement(lap, f"{ns}TriggerMethod").text = "Manual"
        if in_set:
            track = ET.SubElement(lap, f"{ns}Track")
            for t, bpm in in_set:
                point = ET.SubElement(track, f"{ns}Trackpoint")
                ET.SubElement(point, f"{ns}Time").text = _iso(t)
                _bpm(point, f"{ns}HeartRateBpm", bpm, ns)
        ET.SubElement(lap, f"{ns}Notes").text = _note(done)
    ET.SubElement(activity, f"{ns}Notes").text = f"{log['name']} ({log['status']}), Back Coach"
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _bpm(parent: ET.Element, tag: str, value: int, ns: str) -> None:
    ET.SubElement(ET.SubElement(parent, tag), f"{ns}Value").text = str(min(255, max(1, value)))


def _note(done: dict[str, Any]) -> str:
    if done["kind"] != "move":
        return "Rest"
    part = f", {done['part']}" if done.get("part") else ""
    return f"{done['name']}{part}: {done['reps']} reps"


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

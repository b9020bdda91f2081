"""A logged workout as a file the wearable world reads: a FIT strength-training activity (written with Garmin's
own FIT SDK encoder) or TCX v2."""

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


MAX_CALORIES = 65_535  # FIT's total_calories is a uint16
MAX_SET_MS = 30 * 60 * 1000  # a longer set or rest is a pause nobody said: counted at this


def estimated_calories(duration_s: float, weight_kg: float = DEFAULT_WEIGHT_KG) -> int:
    """kcal = MET x weight (kg) x hours; the one estimate shared by the FIT, TCX and Fitbit paths."""
    return min(MAX_CALORIES, max(0, round(STRENGTH_MET * weight_kg * duration_s / 3600)))


def set_ms(done: dict[str, Any]) -> int:
    """A logged set's length, clamped: never negative (two Echos' clocks can disagree), never a day."""
    return min(max(int(done["duration_ms"]), 0), MAX_SET_MS)


def active_seconds(log: dict[str, Any]) -> float:
    """The time of the work actually done, sets and rests: what calories and timer time come from, not the days
    a resumed workout may have lain paused between its start and its last set."""
    return max(1.0, sum(set_ms(done) for done in log["sets"]) / 1000)


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
    """A FIT strength-training activity written with Garmin's own encoder (garmin-fit-sdk), so the file follows
    the same profile Garmin Connect reads: one `set` message per move or rest, heart rate as records."""
    from garmin_fit_sdk import Encoder, Profile

    mesg = Profile["mesg_num"]
    start, end = _window(log)
    active = active_seconds(log)
    heart = _heart_rate(list(samples), log)
    encoder = Encoder()
    encoder.on_mesg(mesg["FILE_ID"], {
        "type": "activity", "manufacturer": "development", "product": 1,
        "serial_number": start // 1000 % 2**31 or 1, "time_created": _when(start),
    })
    encoder.on_mesg(mesg["EVENT"], _event(start, "start"))
    for t, bpm in heart:
        encoder.on_mesg(mesg["RECORD"], {"timestamp": _when(t), "heart_rate": bpm})
    for index, done in enumerate(log["sets"]):
        message: dict[str, Any] = {
            "timestamp": _when(done["start_ms"] + set_ms(done)), "start_time": _when(done["start_ms"]),
            "duration": set_ms(done) / 1000, "message_index": index, "set_type": "rest",
        }
        if done["kind"] == "move":
            category, subtype = fit_names(done["exercise"], done["part_index"], done.get("step", ""))
            message.update(set_type="active", repetitions=done["reps"], category=[category],
                           category_subtype=[_subtype_value(category, subtype)])
        encoder.on_mesg(mesg["SET"], message)
    encoder.on_mesg(mesg["EVENT"], _event(end, "stop_all"))
    encoder.on_mesg(mesg["LAP"], {**_totals(start, end, active, heart), "event": "lap", "message_index": 0})
    encoder.on_mesg(mesg["SESSION"], {**_totals(start, end, active, heart), "event": "session", "message_index": 0,
                                      "first_lap_index": 0, "num_laps": 1})
    encoder.on_mesg(mesg["ACTIVITY"], {
        "timestamp": _when(end), "total_timer_time": active, "num_sessions": 1, "type": "manual",
        "event": "activity", "event_type": "stop",
    })
    return bytes(encoder.close())


def _when(ms: int) -> datetime:
    """The encoder turns datetimes into FIT timestamps (whole seconds since 1989-12-31)."""
    return datetime.fromtimestamp(ms // 1000, tz=UTC)


def _event(at: int, kind: str) -> dict[str, Any]:
    return {"timestamp": _when(at), "event": "timer", "event_type": kind}


MAX_ELAPSED_S = 2**32 / 1000 - 1  # FIT's total_elapsed_time: uint32 in ms


def _totals(start: int, end: int, active: float, heart: list[tuple[int, int]]) -> dict[str, Any]:
    """What a lap and the session share: their window, sport and totals (timer time and calories from the work
    done; elapsed time from the clock, within what the format can hold)."""
    totals: dict[str, Any] = {
        "timestamp": _when(end), "start_time": _when(start), "total_elapsed_time": min((end - start) / 1000,
                                                                                        MAX_ELAPSED_S),
        "total_timer_time": min(active, MAX_ELAPSED_S), "sport": "training", "sub_sport": "strength_training",
        "total_calories": estimated_calories(active), "event_type": "stop",
    }
    if heart:
        totals["avg_heart_rate"] = round(sum(b for _, b in heart) / len(heart))
        totals["max_heart_rate"] = max(b for _, b in heart)
    return totals


def _subtype_value(category: str, subtype: str) -> int:
    """The number of `subtype` in the profile's <category>_exercise_name type (category_subtype is a plain
    uint16 in the set message, so the encoder cannot look the name up itself)."""
    from garmin_fit_sdk import Profile

    names = Profile["types"][f"{category}_exercise_name"]
    return next(int(number) for number, name in names.items() if name == subtype)


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
        start, end = done["start_ms"], done["start_ms"] + set_ms(done)
        in_set = [(t, b) for t, b in heart if start <= t < end]
        lap = ET.SubElement(activity, f"{ns}Lap", StartTime=_iso(start))
        ET.SubElement(lap, f"{ns}TotalTimeSeconds").text = f"{set_ms(done) / 1000:.1f}"
        ET.SubElement(lap, f"{ns}DistanceMeters").text = "0"
        ET.SubElement(lap, f"{ns}Calories").text = str(estimated_calories(set_ms(done) / 1000))
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

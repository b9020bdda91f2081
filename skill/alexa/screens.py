"""What the screen shows for an outcome, as APL data sources: plain data built from the engine's outcome, the plan
and the speech layer's timing. The layouts are data files (skill/content/apl/*.json); the words are in prompts.py.

The workout screen is a schedule: panels (one per step of the response, each shown from its start to the next
one's) and, inside a move's panel, the rep counter's values, each shown from the moment the voice has finished
saying that number. Times are ms from the start of the response, by the same estimate the engine's timeline and
the SSML's breaks use (skill.speech.timing), so the screen and the voice keep one clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from skill.engine.calendar import DEFAULT_ZONE, local_date, week_of
from skill.engine.plan import MOVE, REST, Plan, Step
from skill.engine.record import FINISHED, HistoryEntry
from skill.engine.script import P, Prompt
from skill.engine.state import PAUSED, WorkoutState
from skill.speech.language import Prompts
from skill.speech.ssml import Speech
from skill.speech.words import capital

FOREVER_MS = 86_400_000  # the last panel stays up until the next response replaces the document
# The screen's clock starts when the document is shown, a moment before the voice starts: held back by this much,
# the counter trails the voice rather than leads it.
LAG_MS = 300
PLAYING_BUTTONS = ("pause", "next", "repeat")
PAUSED_BUTTONS = ("resume", "next", "repeat")

Data = dict[str, Any]


# -- the workout screen ------------------------------------------------------------------------------------------

def numbers_said(speech: Speech, spoken: Sequence[Prompt]) -> list[tuple[str, int, int, int]]:
    """(prompt key, number, start ms, end ms) for every number the response says aloud (reps counted, seconds of
    rest left), in ms from the response's start: each prompt starts where the ones before it end. Rounded up by a
    millisecond, so a sum of estimates in floating point never puts a number before the voice says it."""
    out = []
    at = 0.0
    for prompt in spoken:
        for number, start, end in speech.calls(prompt):
            out.append((prompt.key, number, _later_ms(at + start), _later_ms(at + end)))
        at += speech.measure([prompt]).seconds
    return out


def _later_ms(seconds: float) -> int:
    return round(seconds * 1000) + 1


def workout_panels(speech: Speech, plan: Plan, state: WorkoutState, spoken: Sequence[Prompt],
                   done: Data | None = None) -> list[Data]:
    """The panels of a response that carries the workout (`state.timeline`); `done`, a closing panel shown once
    the final step has been spoken."""
    p = speech.prompts
    segments = state.timeline
    said: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)  # by segment; -1 before the first
    for key, number, start, end in numbers_said(speech, spoken):
        index = max((i for i, seg in enumerate(segments) if seg.start_ms <= start), default=-1)
        said[index].append((key, number, start, end))
    panels: list[Data] = []
    first_from = 0
    if said[-1]:  # a rest before the first step (the heart rate asked for more)
        first_from = segments[0].start_ms
        rest = _rest_panel(p, plan, plan.index(segments[0].step) or 0, said[-1], 0, first_from)
        panels.append(rest)
    for i, seg in enumerate(segments):
        start = first_from if i == 0 else seg.start_ms
        last_end = seg.end_ms if done is not None else FOREVER_MS
        end = segments[i + 1].start_ms if i + 1 < len(segments) else last_end
        index = plan.index(seg.step) or 0
        if plan.steps[index].kind == REST:
            panels.append(_rest_panel(p, plan, index, said[i], start, end))
        else:
            panels.append(_move_panel(p, plan, index, said[i], start, end))
    if done is not None:
        panels.append({**done, "kind": "done", "from": segments[-1].end_ms, "to": FOREVER_MS})
    return panels


def still_panel(p: Prompts, plan: Plan, index: int, state: WorkoutState) -> Data:
    """The step the person is at, when nothing is being counted: paused, or between responses."""
    step = plan.steps[index]
    panel = _panel(p, plan, index, 0, FOREVER_MS)
    big = step.rest_seconds if step.kind == REST else step.reps_max
    return {**panel, "kind": "still", "big": str(big),
            "caption": p.SCREEN_PAUSED if state.phase == PAUSED else p.SCREEN_READY}


def workout_data(p: Prompts, plan: Plan, panels: list[Data], paused: bool = False) -> Data:
    return {"workout": plan.workout.name, "lagMs": LAG_MS, "panels": panels,
            "buttons": buttons(p, PAUSED_BUTTONS if paused else PLAYING_BUTTONS)}


def buttons(p: Prompts, events: Sequence[str]) -> list[Data]:
    return [{"label": p.SCREEN_BUTTONS[e], "event": e} for e in events]


def _panel(p: Prompts, plan: Plan, index: int, start: int, end: int) -> Data:
    step = plan.steps[index]
    header = plan.workout.name
    if plan.rounds > 1:
        header += " · " + p.SCREEN_ROUND.format(round=step.round, rounds=plan.rounds)
    moves_before = sum(1 for s in plan.steps[:index] if s.kind == MOVE)
    later = next((s for s in plan.steps[index + 1:] if s.kind == MOVE), None)
    return {
        "from": start, "to": end, "header": header, "progress": 100 * moves_before // max(1, plan.move_count()),
        "title": p.SCREEN_REST if step.kind == REST else step.display_name,
        "detail": "" if step.kind == REST else detail(p, step),
        "next": p.SCREEN_NEXT.format(label=screen_label(p, later)) if later else p.SCREEN_LAST,
    }


Said = list[tuple[str, int, int, int]]  # (prompt key, number, start ms, end ms) of each number said aloud


def _move_panel(p: Prompts, plan: Plan, index: int, said: Said, start: int, end: int) -> Data:
    step = plan.steps[index]
    ends = [e for key, _, _, e in said if key == P.COUNT]
    bounds = [start, *ends, end]
    reps = [{"n": n, "from": bounds[n], "to": bounds[n + 1]} for n in range(len(ends) + 1)]
    caption = (p.SCREEN_REPS.format(reps=step.reps_min) if step.reps_min == step.reps_max
               else p.SCREEN_REPS_RANGE.format(reps_min=step.reps_min, reps_max=step.reps_max))
    return {**_panel(p, plan, index, start, end), "kind": "move", "caption": caption, "reps": reps}


def _rest_panel(p: Prompts, plan: Plan, index: int, said: Said, start: int, end: int) -> Data:
    """A rest's countdown: the seconds left until the voice says "and go" (the number 0 of the rest prompt)."""
    step = plan.steps[index]
    rest_end = next((s for key, n, s, _ in said if key == P.REST and n == 0), end)
    seconds = round((rest_end - start) / 1000)
    panel = _panel(p, plan, index, start, end)
    if step.kind != REST:  # an extra rest before this move: the move is what comes next
        panel = {**panel, "title": p.SCREEN_REST, "detail": "",
                 "next": p.SCREEN_NEXT.format(label=screen_label(p, step))}
    return {**panel, "kind": "rest", "caption": p.SCREEN_REST_LEFT, "restEnd": rest_end,
            "restSeconds": max(seconds, 0)}


def detail(p: Prompts, step: Step) -> str:
    """'Set 2 of 3 · Left arm', 'Overhand grip', 'Y position'."""
    parts = []
    if step.sets > 1:
        parts.append(p.SCREEN_SET.format(set=step.set, sets=step.sets))
    template = p.SCREEN_PART.get(step.part_kind)
    if template:
        parts.append(capital(template.format(label=step.part_label)))
    return " · ".join(parts)


def screen_label(p: Prompts, step: Step) -> str:
    """A move with its side, grip or letter, as the screen names it: 'Band Pull Apart · Underhand grip'."""
    extra = detail(p, step)
    return f"{step.display_name} · {extra}" if extra else step.display_name


# -- the other screens -------------------------------------------------------------------------------------------

def card(title: str, subtitle: str = "", items: Sequence[str] = (), hint: str = "") -> Data:
    return {"title": title, "subtitle": subtitle, "items": list(items), "hint": hint}


def week(p: Prompts, history: Sequence[HistoryEntry], now_ms: int, days_per_week: int,
         zone: str = DEFAULT_ZONE) -> Data:
    """This week, Monday to Sunday on the person's calendar (`zone`, as the spoken history counts it): each day
    done, stopped or not."""
    today, monday = local_date(now_ms, zone), week_of(now_ms, zone)
    by_date: dict[str, set[str]] = defaultdict(set)
    for h in history:
        by_date[local_date(h.finished_at_ms, zone).isoformat()].add(h.status)
    days = []
    for n, label in enumerate(p.SCREEN_DAYS):
        date = (monday + timedelta(days=n)).isoformat()
        statuses = by_date.get(date, set())
        state = "done" if FINISHED in statuses else "stopped" if statuses else "none"
        days.append({"label": label, "state": state, "today": date == today.isoformat()})
    count = sum(1 for d in days if d["state"] == "done")
    return {"caption": p.SCREEN_WEEK.format(count=count, days=days_per_week), "days": days}


def summary(title: str, lines: Sequence[str], week_data: Data) -> Data:
    return {"title": title, "lines": list(lines), "week": week_data}


def done_lines(p: Prompts, active_ms: int, sets: int, heart: Sequence[int]) -> list[str]:
    """What a finished workout amounted to: time working, sets, and the heart rate when a watch sent any."""
    seconds = max(0, active_ms) // 1000
    lines = [p.SCREEN_TIME.format(minutes=seconds // 60, seconds=seconds % 60), p.SCREEN_SETS.format(sets=sets)]
    if heart:
        lines.append(p.SCREEN_HEART.format(average=round(sum(heart) / len(heart)), peak=max(heart)))
    return lines


"""What the coach adds after a turn's own answer: at the end of a finished workout, the week so far (the plan
met, a streak that matters, a week that fell short, once), one progression offer, and a summary card; and the
closing of an open question the person moved on from. Speech is only ever appended, so a response's timeline
stays true. Pure."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from skill.engine import progress
from skill.engine.coaching import Offer
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.effects import MissedWeekTold, OfferClosed, OfferMade, WorkoutFinished
from skill.engine.history import entry
from skill.engine.record import FINISHED, PersonRecord
from skill.engine.script import Prompt, say
from skill.engine.weeks import last_week_monday, roll, this_week

if TYPE_CHECKING:
    from skill.engine.coach import Coach

ANSWERS = (Cmd.YES, Cmd.NO)


def after(coach: Coach, command: Command, outcome: Outcome, now_ms: int) -> Outcome:
    finished = next((e for e in outcome.effects if isinstance(e, WorkoutFinished)), None)
    if finished is not None:
        outcome = _after_workout(coach, command, outcome, finished, now_ms)
    opened = any(isinstance(e, OfferMade) for e in outcome.effects)
    closed = any(isinstance(e, OfferClosed) for e in outcome.effects)
    if command.coaching.offer is not None and not opened and not closed and command.name not in ANSWERS:
        outcome = replace(outcome, effects=(*outcome.effects, OfferClosed()))
    return outcome


def _after_workout(coach: Coach, command: Command, outcome: Outcome, finished: WorkoutFinished,
                   now_ms: int) -> Outcome:
    plan = coach.plan(finished.state)
    if plan is None:
        return outcome
    zone = command.zone
    done = entry(plan, finished.state, FINISHED, now_ms, command.coaching.steps, zone=zone)
    history = PersonRecord(history=command.history).with_history(done).history
    target = coach.content.default_workout.days_per_week
    rolled = roll(command.coaching, history, target, now_ms, zone)
    week = this_week(history, target, now_ms, zone)
    card = (say("card_workout", workout=plan.workout.name, sets=done.sets,
                minutes=max(1, round((done.finished_at_ms - done.started_at_ms) / 60_000))),
            *([say("card_heart", bpm=command.vitals.samples[-1][1])] if command.vitals and command.vitals.samples
              else []),
            say("card_week", count=week.done, target=target))
    if not outcome.card:
        outcome = replace(outcome, card="summary", card_lines=card)
    if not outcome.end_session:
        return outcome  # a question is open (the upload): the rest waits for the next workout
    extra: list[Prompt] = []
    effects = list(outcome.effects)
    if rolled.missed_week:
        last = rolled.missed_week == last_week_monday(now_ms, zone)
        extra.append(say("missed_week", last=last, count=_count_in(history, rolled.missed_week, zone),
                         target=target))
        effects.append(MissedWeekTold())
    if week.done == target:
        extra.append(say("week_met", target=target, streak=rolled.streak + 1))
    found = progress.candidate(coach.content, rolled, history)
    asking = found is not None
    if found is not None:
        extra += progress.offer_prompts(found)
        effects.append(OfferMade(progress.offer_of(found)))
    if not extra:
        return replace(outcome, effects=tuple(effects))
    outcome = replace(outcome, speech=(*outcome.speech, *extra), effects=tuple(effects))
    if asking:
        outcome = replace(outcome, end_session=False, reprompt=(say("progress_reprompt"),))
    return outcome


def _count_in(history: tuple, monday_iso: str, zone: str) -> int:
    from datetime import date

    from skill.engine.weeks import finished_in

    return len(finished_in(history, date.fromisoformat(monday_iso), zone))


def offer(command: Command) -> Offer | None:
    return command.coaching.offer

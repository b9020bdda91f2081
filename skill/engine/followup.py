"""What the coach adds after a turn's own answer: at the end of a finished workout, the week so far (the plan
met, a streak that matters, a week that fell short, once), one progression offer, and a summary card; and the
closing of an open question the person moved on from. Speech is only ever appended, so a response's timeline
stays true. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from skill.engine import progress
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Outcome
from skill.engine.context import Context
from skill.engine.effects import MissedWeekTold, OfferClosed, OfferMade, WorkoutFinished
from skill.engine.record import HistoryEntry, PersonRecord
from skill.engine.script import P, Prompt, say
from skill.engine.views import Summary
from skill.engine.weeks import finished_in, last_week_monday, this_week

ANSWERS = (Cmd.YES, Cmd.NO)


def after(coach: Coach, ctx: Context, outcome: Outcome, record: PersonRecord, now_ms: int) -> Outcome:
    """`outcome` with what follows it; `record`: the person's record once the outcome's effects are in it (the
    finished workout in the history, the weeks since the last one counted)."""
    finished = next((e for e in outcome.effects if isinstance(e, WorkoutFinished)), None)
    if finished is not None:
        outcome = _after_workout(coach, ctx, outcome, finished, record, now_ms)
    opened = any(isinstance(e, OfferMade) for e in outcome.effects)
    closed = any(isinstance(e, OfferClosed) for e in outcome.effects)
    if ctx.coaching.offer is not None and not opened and not closed and ctx.name not in ANSWERS:
        outcome = replace(outcome, effects=(*outcome.effects, OfferClosed()))
    return outcome


def _after_workout(coach: Coach, ctx: Context, outcome: Outcome, finished: WorkoutFinished, record: PersonRecord,
                   now_ms: int) -> Outcome:
    plan = coach.plan(finished.state)
    if plan is None:
        return outcome
    zone, done, history, rolled = record.local_zone, finished.entry, record.history, record.coaching
    target = coach.content.default_workout.days_per_week
    week = this_week(history, target, now_ms, zone)
    card = (say(P.CARD_WORKOUT, workout=plan.workout.name, sets=done.sets,
                minutes=max(1, round((done.finished_at_ms - done.started_at_ms) / 60_000))),
            *([say(P.CARD_HEART, bpm=ctx.vitals.samples[-1][1])] if ctx.vitals and ctx.vitals.samples
              else []),
            say(P.CARD_WEEK, count=week.done, target=target))
    if outcome.card is None:
        outcome = replace(outcome, card=Summary(card))
    if not outcome.end_session:
        return outcome  # a question is open (the upload): the rest waits for the next workout
    extra: list[Prompt] = []
    effects = list(outcome.effects)
    if rolled.missed_week:
        last = rolled.missed_week == last_week_monday(now_ms, zone)
        extra.append(say(P.MISSED_WEEK, last=last, count=_count_in(history, rolled.missed_week, zone),
                         target=target))
        effects.append(MissedWeekTold())
    if week.done == target:
        extra.append(say(P.WEEK_MET, target=target, streak=rolled.streak + 1))
    found = progress.candidate(coach.content, rolled, history)
    asking = found is not None
    if found is not None:
        extra += progress.offer_prompts(found)
        effects.append(OfferMade(progress.offer_of(found)))
    if not extra:
        return replace(outcome, effects=tuple(effects))
    outcome = replace(outcome, speech=(*outcome.speech, *extra), effects=tuple(effects))
    if asking:
        outcome = replace(outcome, end_session=False, reprompt=(say(P.PROGRESS_REPROMPT),))
    return outcome


def _count_in(history: tuple[HistoryEntry, ...], monday_iso: str, zone: str) -> int:
    return len(finished_in(history, date.fromisoformat(monday_iso), zone))


"""What is not coaching: settings, the watch, history, uploads. Each says what changed as an effect."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.calendar import days_between, week_of
from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import PairingIssued, RelinkTold, SettingChanged, Unpaired, UploadRequested
from skill.engine.record import FINISHED as DONE_STATUS
from skill.engine.replies import keep
from skill.engine.rest import max_heart_rate, recovery_threshold
from skill.engine.script import P, say
from skill.engine.state import DECLINED, QUEUED, WorkoutState
from skill.engine.views import LinkAccount, PairingCode, WeekShown
from skill.engine.weeks import finished_in

State = WorkoutState | None
PAIRING_MINUTES = 10
RECOVERY_BPM_RANGE = (60, 160)
AGE_RANGE = (13, 100)


def pair(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    code = ctx.services.code
    if not code:
        return keep(coach, state, "wearable_unavailable", [say(P.WEARABLE_UNAVAILABLE)], back=True)
    return Outcome("pairing_code", state, (say(P.PAIR_CODE, code=code, minutes=PAIRING_MINUTES),),
                   end_session=True, effects=(PairingIssued(),), shown=PairingCode(code))


def unpair(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "unpaired", [say(P.UNPAIRED)], back=True)
    return replace(outcome, effects=(Unpaired(),))


def set_recovery(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    bpm = ctx.command.number
    low, high = RECOVERY_BPM_RANGE
    if bpm is None or not low <= bpm <= high:
        return keep(coach, state, "out_of_range", [say(P.RECOVERY_RANGE, low=low, high=high)], back=True)
    outcome = keep(coach, state, "recovery_set", [say(P.RECOVERY_SET, bpm=bpm)], back=True)
    return replace(outcome, effects=(SettingChanged("recovery_bpm", bpm),))


def set_age(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    age = ctx.command.number
    low, high = AGE_RANGE
    if age is None or not low <= age <= high:
        return keep(coach, state, "out_of_range", [say(P.AGE_RANGE, low=low, high=high)], back=True)
    speech = say(P.AGE_SET, max=round(max_heart_rate(age)), bpm=recovery_threshold(age=age))
    return replace(keep(coach, state, "age_set", [speech], back=True), effects=(SettingChanged("age", age),))


def history(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Workouts finished this week (Monday to now, on the person's calendar) against the article's plan, and the
    last one done."""
    this_week = finished_in(ctx.history, week_of(now_ms, ctx.zone), ctx.zone)
    plan_days = coach.content.default_workout.days_per_week
    last = ctx.history[-1] if ctx.history else None
    if last is None:
        return replace(keep(coach, state, "history", [say(P.HISTORY_NONE, days=plan_days)], back=True),
                       shown=WeekShown())
    workout = coach.content.workouts.get(last.workout)
    speech = [say(P.HISTORY, count=len(this_week), days=plan_days, last_workout=workout.name if workout else "",
                  last_sets=last.sets, last_finished=last.status == DONE_STATUS,
                  last_days_ago=days_between(last.finished_at_ms, now_ms, ctx.zone))]
    return replace(keep(coach, state, "history", speech, back=True), shown=WeekShown())


def relink_notice(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Said once, on opening the skill: uploads to a service stopped because its link must be renewed; a card in
    the Alexa app shows where."""
    outcome = keep(coach, state, "relink", [say(P.RELINK, service=ctx.services.relink)], back=True)
    return replace(outcome, card=LinkAccount(), effects=(RelinkTold(),))


def uploads_unavailable(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "uploads_unavailable", [say(P.UPLOADS_UNAVAILABLE)], back=True)


def upload_nothing(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "upload_nothing", [say(P.UPLOAD_NOTHING, service=ctx.upload_service)], back=True)


def upload_already(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "upload_already", [say(P.UPLOAD_ALREADY, service=ctx.upload_service)])


def link_account(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "link_account", [say(P.LINK_ACCOUNT, service=ctx.upload_service)])
    return replace(outcome, card=LinkAccount())  # the Alexa app shows the person where to link their account


def upload(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"Send my workout to Strava" (or yes to the offer): queued once; the turn does the queueing."""
    assert state is not None
    service = ctx.upload_service
    return Outcome("upload_queued", replace(state, upload=QUEUED), (say(P.UPLOAD_QUEUED, service=service),),
                   end_session=True, effects=(UploadRequested(service, state.started_at_ms),))


def upload_not_queued(coach: Coach, state: State, ctx: Context) -> Outcome:
    """The turn could not queue the upload: say so, and leave the offer to be made again."""
    return keep(coach, state, "upload_not_queued", [say(P.UPLOAD_NOT_QUEUED, service=ctx.upload_service)])


def decline(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    return Outcome("upload_declined", replace(state, upload=DECLINED), (say(P.UPLOAD_DECLINED),), end_session=True)

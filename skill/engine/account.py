"""What is not coaching: settings, the watch, history, uploads. Each says what changed as an effect."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from skill.engine.answers import keep
from skill.engine.calendar import days_between, week_of
from skill.engine.commands import Command, Outcome
from skill.engine.effects import PairingIssued, SettingChanged, Unpaired, UploadRequested
from skill.engine.record import FINISHED as DONE_STATUS
from skill.engine.rest import max_heart_rate, recovery_threshold
from skill.engine.script import say
from skill.engine.state import DECLINED, QUEUED, WorkoutState
from skill.engine.weeks import finished_in

if TYPE_CHECKING:
    from skill.engine.coach import Coach

State = WorkoutState | None
PAIRING_MINUTES = 10
RECOVERY_BPM_RANGE = (60, 160)
AGE_RANGE = (13, 100)


def pair(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    if not command.code:
        return keep(coach, state, "wearable_unavailable", [say("wearable_unavailable")], back=True)
    return Outcome("pairing_code", state, (say("pair_code", code=command.code, minutes=PAIRING_MINUTES),),
                   end_session=True, effects=(PairingIssued(),))


def unpair(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "unpaired", [say("unpaired")], back=True)
    return replace(outcome, effects=(Unpaired(),))


def set_recovery(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    bpm = command.number
    low, high = RECOVERY_BPM_RANGE
    if bpm is None or not low <= bpm <= high:
        return keep(coach, state, "out_of_range", [say("recovery_range", low=low, high=high)], back=True)
    outcome = keep(coach, state, "recovery_set", [say("recovery_set", bpm=bpm)], back=True)
    return replace(outcome, effects=(SettingChanged("recovery_bpm", bpm),))


def set_age(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    age = command.number
    low, high = AGE_RANGE
    if age is None or not low <= age <= high:
        return keep(coach, state, "out_of_range", [say("age_range", low=low, high=high)], back=True)
    speech = say("age_set", max=round(max_heart_rate(age)), bpm=recovery_threshold(age=age))
    return replace(keep(coach, state, "age_set", [speech], back=True), effects=(SettingChanged("age", age),))


def history(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """Workouts finished this week (Monday to now, on the person's calendar) against the article's plan, and the
    last one done."""
    this_week = finished_in(command.history, week_of(now_ms, command.zone), command.zone)
    plan_days = coach.content.default_workout.days_per_week
    last = command.history[-1] if command.history else None
    if last is None:
        return keep(coach, state, "history", [say("history_none", days=plan_days)], back=True)
    workout = coach.content.workouts.get(last.workout)
    speech = [say("history", count=len(this_week), days=plan_days, last_workout=workout.name if workout else "",
                  last_sets=last.sets, last_finished=last.status == DONE_STATUS,
                  last_days_ago=days_between(last.finished_at_ms, now_ms, command.zone))]
    return keep(coach, state, "history", speech, back=True)


def relink_notice(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """Said once, on opening the skill: uploads to a service stopped because its link must be renewed; a card in
    the Alexa app shows where."""
    from skill.engine.effects import RelinkTold

    outcome = keep(coach, state, "relink", [say("relink", service=command.relink)], back=True)
    return replace(outcome, card="link_account", effects=(RelinkTold(),))


def uploads_unavailable(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "uploads_unavailable", [say("uploads_unavailable")], back=True)


def upload_nothing(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "upload_nothing", [say("upload_nothing", service=command.upload_service)], back=True)


def upload_already(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "upload_already", [say("upload_already", service=command.upload_service)])


def link_account(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "link_account", [say("link_account", service=command.upload_service)])
    return replace(outcome, card="link_account")  # the Alexa app shows the person where to link their account


def upload(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """"Send my workout to Strava" (or yes to the offer): queued once; the turn does the queueing."""
    assert state is not None
    service = command.upload_service
    return Outcome("upload_queued", replace(state, upload=QUEUED), (say("upload_queued", service=service),),
                   end_session=True, effects=(UploadRequested(service, state.started_at_ms),))


def upload_not_queued(coach: Coach, state: State, command: Command) -> Outcome:
    """The turn could not queue the upload: say so, and leave the offer to be made again."""
    return keep(coach, state, "upload_not_queued", [say("upload_not_queued", service=command.upload_service)])


def decline(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    return Outcome("upload_declined", replace(state, upload=DECLINED), (say("upload_declined"),), end_session=True)

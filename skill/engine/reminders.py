"""Workout reminders: "remind me to work out on weekdays at seven" asks first (each reminder needs the person's
yes), then the turn creates them with Alexa's Reminders API; "stop reminding me" deletes them. What the service
answered comes back here (`saved`, `failed`), so every answer is the engine's. Pure."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from skill.engine.coach import Coach
from skill.engine.coaching import REMINDER, Offer
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import (
    OfferClosed,
    OfferMade,
    PermissionExplained,
    RemindersCancelled,
    RemindersRequested,
    RemindersSaved,
)
from skill.engine.replies import keep
from skill.engine.script import P, say
from skill.engine.state import WorkoutState
from skill.engine.views import RemindersPermission

State = WorkoutState | None
DAYS = ("weekdays", "daily", "weekends")
DEFAULT_MINUTE = 7 * 60


class Failure(StrEnum):
    """Why the Reminders API did not do what was asked (each has its own spoken answer)."""

    NO_PERMISSION = "no_permission"  # 401 / 403: the person has not granted the reminders permission
    TOO_MANY = "too_many"  # the person has as many reminders as Alexa allows
    BUSY = "busy"  # 429: throttled
    DOWN = "down"  # 5xx, a timeout, no connection
    REFUSED = "refused"  # 400: the request was not accepted
    NO_API = "no_api"  # the request named no apiEndpoint / apiAccessToken


class RemindersFailed(Exception):
    """The reminders service did not do what was asked; `failure` says why (the platform raises it)."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure.value} {detail}".strip())
        self.failure = failure


def offer(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    days = ctx.command.days if ctx.command.days in DAYS else "weekdays"
    minute = ctx.command.minute if ctx.command.minute is not None else DEFAULT_MINUTE
    outcome = keep(coach, state, "reminder_offer", [say(P.REMINDER_OFFER, days=days, minute=minute)])
    return Outcome(outcome.result, state, outcome.speech, reprompt=(say(P.REMINDER_OFFER, days=days, minute=minute),),
                   effects=(OfferMade(Offer(REMINDER, days=days, minute=minute)),))


def create(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """The yes: the turn creates the reminders (and says so through `saved` or `failed`)."""
    chosen = ctx.coaching.offer
    assert chosen is not None
    outcome = keep(coach, state, "reminders_requested", [say(P.REMINDERS_SET, days=chosen.days, minute=chosen.minute)])
    return Outcome(outcome.result, state, outcome.speech, end_session=True,
                   effects=(OfferClosed(), RemindersRequested(chosen.days, chosen.minute,
                                                              ctx.coaching.reminders)))


def declined(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "reminder_declined", [say(P.REMINDER_DECLINED), say(P.WHAT_NOW)])
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=(OfferClosed(),))


def cancel(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    if not ctx.coaching.reminders:
        return keep(coach, state, "no_reminders", [say(P.NO_REMINDERS)], back=True)
    outcome = keep(coach, state, "reminders_cancelled", [say(P.REMINDERS_CANCELLED)], back=True)
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt,
                   effects=(RemindersCancelled(ctx.coaching.reminders),))


def consent_given(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """The reminders permission came back granted: say so, and how to set one; the place is kept."""
    return keep(coach, state, "reminders_allowed", [say(P.REMINDERS_ALLOWED)], back=True)


def consent_refused(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "reminders_not_allowed", [say(P.REMINDERS_NOT_ALLOWED)], back=True)


def saved(outcome: Outcome, tokens: tuple[str, ...], days: str, minute: int) -> Outcome:
    """The service did it: the record keeps what it now holds."""
    kept = [e for e in outcome.effects if not isinstance(e, RemindersRequested | RemindersCancelled)]
    return replace(outcome, effects=(*kept, RemindersSaved(tokens, days, minute)))


def failed(coach: Coach, state: State, ctx: Context, why: Failure, kept: tuple[str, ...]) -> Outcome:
    """The service did not: say why and what to do; nothing is lost (the reminders held, `kept`, stay known)."""
    if why is Failure.NO_PERMISSION:
        full = not ctx.coaching.permission_told
        outcome = keep(coach, state, "reminders_permission", [say(P.REMINDERS_PERMISSION, full=full)])
        return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, card=RemindersPermission(),
                       effects=(OfferClosed(), PermissionExplained()))
    outcome = keep(coach, state, f"reminders_{why.value}", [say(P.REMINDERS_FAILED, why=why.value)], back=True)
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=(OfferClosed(),))

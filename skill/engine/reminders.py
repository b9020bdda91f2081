"""Workout reminders: "remind me to work out on weekdays at seven" asks first (each reminder needs the person's
yes), then the turn creates them with Alexa's Reminders API; "stop reminding me" deletes them. What the service
answered comes back here (`saved`, `failed`), so every answer is the engine's. Pure."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from skill.engine.answers import keep
from skill.engine.coaching import REMINDER, Offer
from skill.engine.commands import Command, Outcome
from skill.engine.effects import (
    OfferClosed,
    OfferMade,
    PermissionExplained,
    RemindersCancelled,
    RemindersRequested,
    RemindersSaved,
)
from skill.engine.script import say
from skill.engine.state import WorkoutState

if TYPE_CHECKING:
    from skill.engine.coach import Coach

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


def offer(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    days = command.days if command.days in DAYS else "weekdays"
    minute = command.minute if command.minute is not None else DEFAULT_MINUTE
    outcome = keep(coach, state, "reminder_offer", [say("reminder_offer", days=days, minute=minute)])
    return Outcome(outcome.result, state, outcome.speech, reprompt=(say("reminder_offer", days=days, minute=minute),),
                   effects=(OfferMade(Offer(REMINDER, days=days, minute=minute)),))


def create(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """The yes: the turn creates the reminders (and says so through `saved` or `failed`)."""
    chosen = command.coaching.offer
    assert chosen is not None
    outcome = keep(coach, state, "reminders_requested", [say("reminders_set", days=chosen.days, minute=chosen.minute)])
    return Outcome(outcome.result, state, outcome.speech, end_session=True,
                   effects=(OfferClosed(), RemindersRequested(chosen.days, chosen.minute,
                                                              command.coaching.reminders)))


def declined(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "reminder_declined", [say("reminder_declined"), say("what_now")])
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=(OfferClosed(),))


def cancel(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    if not command.coaching.reminders:
        return keep(coach, state, "no_reminders", [say("no_reminders")], back=True)
    outcome = keep(coach, state, "reminders_cancelled", [say("reminders_cancelled")], back=True)
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt,
                   effects=(RemindersCancelled(command.coaching.reminders),))


def saved(coach: Coach, outcome: Outcome, tokens: tuple[str, ...], days: str, minute: int) -> Outcome:
    """The service did it: the record keeps what it now holds."""
    return Outcome(outcome.result, outcome.state, outcome.speech, outcome.reprompt, outcome.end_session,
                   (*[e for e in outcome.effects if not isinstance(e, RemindersRequested | RemindersCancelled)],
                    RemindersSaved(tokens, days, minute)), outcome.card, outcome.card_lines)


def failed(coach: Coach, state: State, command: Command, why: Failure, kept: tuple[str, ...]) -> Outcome:
    """The service did not: say why and what to do; nothing is lost (the reminders held, `kept`, stay known)."""
    if why is Failure.NO_PERMISSION:
        full = not command.coaching.permission_told
        outcome = keep(coach, state, "reminders_permission", [say("reminders_permission", full=full)])
        return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, card="reminders_permission",
                       effects=(OfferClosed(), PermissionExplained()))
    outcome = keep(coach, state, f"reminders_{why.value}", [say("reminders_failed", why=why.value)], back=True)
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=(OfferClosed(),))

"""One profile per voice: a recognised voice's first visit may take over the account's shared history, once,
if the person says yes. Pure: the turn reads the shared record only when that yes arrives."""

from __future__ import annotations

from skill.engine.coach import Coach
from skill.engine.coaching import ADOPT, Offer
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import AdoptOffered, OfferClosed, OfferMade, ProfileAdopted
from skill.engine.record import FINISHED
from skill.engine.replies import keep
from skill.engine.script import P, say
from skill.engine.state import WorkoutState

State = WorkoutState | None


def offer_adopt(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "adopt_offer", [say(P.ADOPT_OFFER)])
    return Outcome(outcome.result, state, outcome.speech, reprompt=(say(P.ADOPT_REPROMPT),),
                   effects=(AdoptOffered(), OfferMade(Offer(ADOPT))))


def adopt(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    shared = ctx.services.shared
    history = shared.history if shared is not None else ()
    done = sum(1 for h in history if h.status == FINISHED)
    steps = tuple(shared.coaching.steps.items()) if shared is not None else ()
    settings = shared.settings if shared is not None else None
    effects: tuple = (OfferClosed(),)
    if shared is not None and settings is not None:
        effects += (ProfileAdopted(history, settings, steps),)
    outcome = keep(coach, state, "adopted", [say(P.ADOPTED, count=done), say(P.WHAT_NOW)])
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=effects)


def fresh_start(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    outcome = keep(coach, state, "fresh_start", [say(P.FRESH_START), say(P.WHAT_NOW)])
    return Outcome(outcome.result, state, outcome.speech, outcome.reprompt, effects=(OfferClosed(),))

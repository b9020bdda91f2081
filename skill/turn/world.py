"""Effects on the world: what the engine said happened, carried out by the turn. One handler per effect type
(a map, not a chain of `isinstance`); a handler may answer with a different outcome (an upload that could not be
queued, reminders the service created or refused), which the engine writes, so every answer is still its own.

Each may fail without losing the person's place: a failure is logged (no ids) and the record is still saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from skill.engine import account, reminders
from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import (
    RelinkTold,
    RemindersCancelled,
    RemindersRequested,
    Unpaired,
    UploadRequested,
    WorkoutAbandoned,
    WorkoutFinished,
)
from skill.engine.record import FINISHED
from skill.engine.reminders import Failure, RemindersFailed
from skill.storage.stores import Stores
from skill.storage.uploads import UploadJob
from skill.turn.request import TurnRequest

log = logging.getLogger("backcoach.storage")


@dataclass(frozen=True)
class World:
    """What a handler reaches: the stores, this request, and the decision's context."""

    stores: Stores
    request: TurnRequest
    coach: Coach
    ctx: Context


Handler = Callable[[Any, Outcome, World], Outcome | None]


def save_log(effect: WorkoutFinished | WorkoutAbandoned, outcome: Outcome, world: World) -> None:
    """The workout's log (made with the effect) to the log store; an abandoned one never relabels a finished."""
    if effect.log is None:
        return None
    person = world.request.who.person_key
    if isinstance(effect, WorkoutAbandoned):
        kept = world.stores.logs.log(person, effect.log.started_at_ms)
        if kept is not None and kept.get("status") == FINISHED:
            return None
    world.stores.logs.save_log(person, effect.log.to_dict())
    return None


def mark_relink_told(effect: RelinkTold, outcome: Outcome, world: World) -> None:
    """Said once: every job that needed it is marked as told (it keeps its reason)."""
    for job in world.stores.uploads.uploads(world.request.who.person_key):
        if job.relink_untold:
            world.stores.uploads.save_upload(replace(job, told=True))
    return None


def revoke_tokens(effect: Unpaired, outcome: Outcome, world: World) -> None:
    if world.stores.pairing is not None:
        world.stores.pairing.revoke(world.request.who.person_key)
    return None


def queue_upload(effect: UploadRequested, outcome: Outcome, world: World) -> Outcome | None:
    """Due at once (0): the request's clock and the worker's may differ. False from the queue: already queued,
    which is as good."""
    try:
        world.stores.uploads.add_upload(UploadJob(
            user=world.request.who.person_key, service=effect.service, started_at_ms=effect.started_at_ms, next_try=0,
            token=world.request.access_token))
    except Exception as e:  # noqa: BLE001 - the offer is made again; the person can ask later
        log.error("UploadRequested not carried out user=%s error=%s", world.request.who.log_key, type(e).__name__)
        before = replace(outcome.state, upload="") if outcome.state is not None else None
        return account.upload_not_queued(world.coach, before, world.ctx)
    return None


def set_reminders(effect: RemindersRequested | RemindersCancelled, outcome: Outcome, world: World) -> Outcome:
    """Creates or deletes the person's workout reminders with the platform's reminders service; what happened
    comes back as the engine's outcome. New reminders are created before old ones go, so a failure loses none."""
    kept = world.ctx.coaching.reminders
    try:
        if world.request.reminders is None:
            raise RemindersFailed(Failure.NO_API)
        service = world.request.reminders()
        if isinstance(effect, RemindersCancelled):
            for token in effect.tokens:
                service.delete(token)
            return reminders.saved(outcome, (), "", 0)
        created = service.create(effect.days, effect.minute, world.request.now_ms, world.ctx.zone)
        for token in effect.replacing:
            try:
                service.delete(token)
            except RemindersFailed:
                log.warning("old reminder not deleted user=%s", world.request.who.log_key)
        return reminders.saved(outcome, (created,), effect.days, effect.minute)
    except RemindersFailed as e:
        log.error("reminders failed user=%s why=%s", world.request.who.log_key, e)
        return reminders.failed(world.coach, outcome.state, world.ctx, e.failure, kept)


HANDLERS: dict[type, Handler] = {
    WorkoutFinished: save_log, WorkoutAbandoned: save_log, RelinkTold: mark_relink_told, Unpaired: revoke_tokens,
    UploadRequested: queue_upload, RemindersRequested: set_reminders, RemindersCancelled: set_reminders,
}
# Handlers whose answer replaces the outcome and whose failure is the answer itself (never just logged).
ANSWERING = (RemindersRequested, RemindersCancelled)


def carry_out(outcome: Outcome, world: World) -> tuple[Outcome, bool]:
    """Carries out every effect of `outcome`; returns the outcome to answer with, and whether it was replaced (its
    record must then be made again)."""
    for effect in outcome.effects:
        if isinstance(effect, ANSWERING):
            return HANDLERS[type(effect)](effect, outcome, world), True
    for effect in outcome.effects:
        handler = HANDLERS.get(type(effect))
        if handler is None:
            continue
        try:
            replaced = handler(effect, outcome, world)
        except Exception as e:  # noqa: BLE001 - logged; the record is still saved
            log.error("%s not carried out user=%s error=%s", type(effect).__name__, world.request.who.log_key,
                      type(e).__name__)
            continue
        if replaced is not None:
            return replaced, True
    return outcome, False

"""The per-turn state shared by the interceptors and handlers through the request attributes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.engine.commands import Outcome
from skill.engine.state import WorkoutState

TURN = "backcoach.turn"
WORKOUT_KEY = "workout"  # the key of the workout state in session and persistent attributes


@dataclass
class Turn:
    state: WorkoutState | None  # as loaded at the start of the turn
    loaded: Any  # the stored form it was loaded from, to tell whether the turn changed anything
    outcome: Outcome | None = None


def current_turn(handler_input: HandlerInput) -> Turn:
    return handler_input.attributes_manager.request_attributes[TURN]

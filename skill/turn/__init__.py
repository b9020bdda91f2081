"""The platform-free turn: a platform adapter (Alexa, Home Assistant, the local chat) maps its request to a
`TurnRequest` and the `TurnResult` to its response; everything in between is here, once."""

from skill.turn.loop import Turn
from skill.turn.request import Reminders, Session, TurnRequest, TurnResult, Who

__all__ = ["Reminders", "Session", "Turn", "TurnRequest", "TurnResult", "Who"]

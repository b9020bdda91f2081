"""The ask-sdk handlers: one for every request this skill takes (its command from skill.alexa.commands, the turn
through skill.alexa.adapter), one for Alexa's CanFulfillIntentRequest (skill.alexa.canfulfill), one for the
events the skill has nothing to do about, and the one exception handler. Thin: nothing here decides anything."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.adapter import AlexaTurn
from skill.alexa.canfulfill import can_fulfill_intent, verdict
from skill.alexa.commands import HANDLED_INTENTS, SIMPLE_INTENTS, TOUCH, command_of
from skill.alexa.envelope import speechless
from skill.alexa.requests import user_key
from skill.languages import Languages
from skill.speech import prompts

__all__ = ["HANDLED_INTENTS", "SIMPLE_INTENTS", "ApologyHandler", "CanFulfillHandler", "QuietHandler", "TurnHandler"]
CAN_FULFILL = "CanFulfillIntentRequest"
TAKEN_BY_THE_TURN = ("LaunchRequest", "IntentRequest", "SessionEndedRequest")

log = logging.getLogger("backcoach.turn")


class TurnHandler(AbstractRequestHandler):
    """Every request the skill takes: its command, the turn, the response."""

    def __init__(self, alexa: AlexaTurn, languages: Languages) -> None:
        self.alexa = alexa
        self.languages = languages

    def _content(self, handler_input: HandlerInput):
        return self.languages.for_locale(getattr(handler_input.request_envelope.request, "locale", None)).content

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return command_of(self._content(handler_input), handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        command = command_of(self._content(handler_input), handler_input)
        assert command is not None  # can_handle said so
        return self.alexa.respond(handler_input, self.alexa.run(handler_input, command))


class CanFulfillHandler(AbstractRequestHandler):
    """"Can you do this?" before a request said without the skill's name: the verdict from the content alone,
    with no speech, no session change and no read or write of the record."""

    def __init__(self, languages: Languages) -> None:
        self.languages = languages

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(CAN_FULFILL)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        found = verdict(self.languages.for_locale(locale).content, handler_input)
        log.info("can fulfill intent=%s answer=%s", getattr(handler_input.request_envelope.request.intent, "name",
                                                             "?"), found.intent)
        return handler_input.response_builder.set_can_fulfill_intent(can_fulfill_intent(found)).response


class QuietHandler(AbstractRequestHandler):
    """Events the skill has nothing to do about, answered with an empty response: Messaging.MessageReceived,
    Reminders.* (a reminder created, started, deleted), Display.ElementSelected (the skill shows no Display
    templates), and any other event the pinned SDK reads that no handler before this one took. Listed by what it
    is not (a launch, an intent, a session's end, which the turn always takes), so an event Amazon adds gets
    the quiet answer, not the apology."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = getattr(handler_input.request_envelope.request, "object_type", "") or ""
        return kind not in TAKEN_BY_THE_TURN and kind != CAN_FULFILL

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        kind = getattr(request, "object_type", "") or ""
        if kind == TOUCH:  # a touch our documents cannot send: the screen stays as it is, the place too
            arguments = getattr(request, "arguments", None) or [""]
            log.warning("touch not understood argument=%s", _printable(arguments[0]))
        else:
            log.info("nothing to do for request=%s", kind[:80])
        return handler_input.response_builder.response


def _printable(value: object) -> str:
    """A value from a request, safe for one log line: printable characters only, at most 40 of them."""
    return "".join(c for c in str(value) if c.isprintable())[:40] or "?"


class ApologyHandler(AbstractExceptionHandler):
    """The one exception handler: a short apology; nothing is saved, so the stored position is untouched.
    Where Alexa accepts no speech (a SessionEndedRequest, an audio player's event) it says nothing."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = handler_input.request_envelope.request
        kind = getattr(request, "object_type", "") or ""
        log.error("unhandled error=%s request=%s user=%s", type(exception).__name__, kind or "?",
                  user_key(handler_input))
        if speechless(kind):
            return handler_input.response_builder.response
        return handler_input.response_builder.speak(prompts.APOLOGY).ask(prompts.APOLOGY_REPROMPT).response

"""The ask-sdk handlers: one for every request this skill takes (its command from skill.alexa.commands, the turn
through skill.alexa.adapter), and the one exception handler. Thin: nothing here decides anything."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.adapter import SPEECHLESS, AlexaTurn
from skill.alexa.commands import HANDLED_INTENTS, SIMPLE_INTENTS, command_of
from skill.alexa.requests import user_key
from skill.languages import Languages
from skill.speech import prompts

__all__ = ["HANDLED_INTENTS", "SIMPLE_INTENTS", "ApologyHandler", "TurnHandler"]

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
        if is_request_type("SessionEndedRequest")(handler_input) or kind.startswith(SPEECHLESS):
            return handler_input.response_builder.response
        return handler_input.response_builder.speak(prompts.APOLOGY).ask(prompts.APOLOGY_REPROMPT).response

"""The Alexa side of a turn: a `HandlerInput` as a `TurnRequest` (who, when, which locale, what the session
carries, Alexa's own APIs), and the `TurnResult` as Alexa's response (speech, reprompt, card, the screen, the
audio player's directives). Nothing here decides; the turn (skill.turn) does."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.apl import Screens, has_screen
from skill.alexa.envelope import speechless as no_speech_allowed
from skill.alexa.player import Voice
from skill.alexa.requests import access_token, alexa_api, device_id, request_time_ms, request_type, who
from skill.alexa.zones import Zones, device_hash
from skill.engine.commands import Command
from skill.engine.cues import NOTHING
from skill.engine.views import LinkAccount, RemindersPermission, Summary
from skill.languages import Languages
from skill.turn import Session, Turn, TurnRequest, TurnResult
from skill.turn.loop import UNSAVED, ZONE_TRIED

log = logging.getLogger("backcoach.turn")

LEGACY_RECORD = "record"  # the session attribute of releases that carried the whole record in the session


def has_player(handler_input: HandlerInput) -> bool:
    """Whether the device can play an AudioPlayer stream (context.System.device.supportedInterfaces)."""
    context = handler_input.request_envelope.context
    device = context.system.device if context and context.system else None
    interfaces = device.supported_interfaces if device else None
    return interfaces is not None and interfaces.audio_player is not None


class AlexaTurn:
    """`voice`: the audio mode's clips (None: speech mode only); `zones`: where a device's time zone is read."""

    def __init__(self, turn: Turn, languages: Languages, voice: Voice | None = None, zones: Zones | None = None
                 ) -> None:
        self.turn = turn
        self.languages = languages
        self.voice = voice
        self.zones = zones or Zones()
        self.screens = Screens(turn.stores)

    def run(self, handler_input: HandlerInput, command: Command) -> TurnResult:
        result = self.turn.run(self.request(handler_input, command))
        envelope = handler_input.request_envelope
        if envelope.session is not None:
            attributes = handler_input.attributes_manager.session_attributes
            for key in (UNSAVED, ZONE_TRIED, LEGACY_RECORD):
                attributes.pop(key, None)
            attributes.update(result.carry)
        log.info("command=%s result=%s cue=%s user=%s", command.name, result.outcome.result, result.outcome.cue.kind,
                 who(handler_input).log_key)
        return result

    def request(self, handler_input: HandlerInput, command: Command) -> TurnRequest:
        envelope = handler_input.request_envelope
        session = None
        if envelope.session is not None:
            attributes = handler_input.attributes_manager.session_attributes
            session = Session(new=bool(envelope.session.new), unsaved=_unsaved(attributes),
                              zone_tried=attributes.get(ZONE_TRIED) is True)
            command = _with_new_session(command, bool(envelope.session.new))
        endpoint, token = alexa_api(handler_input)
        device = device_id(handler_input)
        locale = getattr(envelope.request, "locale", None) or "en-US"
        return TurnRequest(
            who=who(handler_input), command=command, now_ms=request_time_ms(handler_input), locale=locale,
            session=session, device=device_hash(device) if device else "", access_token=access_token(handler_input),
            player=self.voice is not None and has_player(handler_input),
            zone=self.zones.reader(endpoint, token, device) if device else None, zone_max_age_ms=self.zones.max_age_ms,
            reminders=lambda: _reminders(endpoint, token, locale, self.languages),
            hello=request_type(handler_input) == "LaunchRequest",
        )

    def respond(self, handler_input: HandlerInput, result: TurnResult) -> Response:
        builder = handler_input.response_builder
        kind = request_type(handler_input)
        outcome = result.outcome
        language = self.languages.get(result.language)
        speech = language.speech
        speechless = no_speech_allowed(kind)
        if not speechless:
            if outcome.speech:
                builder.speak(speech.ssml(outcome.speech))
            card = _card(outcome.card, speech)
            if card is not None:
                builder.set_card(card)
            if not outcome.end_session and outcome.reprompt and outcome.cue.kind == NOTHING:
                builder.ask(speech.ssml(outcome.reprompt))
        if kind == "SessionEndedRequest":
            return builder.response
        if self.voice is not None and outcome.cue.kind != NOTHING:
            for directive in self.voice.directives(outcome.state, outcome.cue, result.language):
                builder.add_directive(directive)
        elif not speechless and has_screen(handler_input):
            for directive in self.screens.directives(handler_input, result, language):
                builder.add_directive(directive)  # a device with a screen (Alexa.Presentation.APL) only
        if not speechless:
            builder.set_should_end_session(True if outcome.cue.kind != NOTHING else outcome.end_session)
        return builder.response


def _card(card: object, speech: Any) -> Any:
    from ask_sdk_model.ui import AskForPermissionsConsentCard, LinkAccountCard, SimpleCard

    if isinstance(card, LinkAccount):
        return LinkAccountCard()
    if isinstance(card, RemindersPermission):
        return AskForPermissionsConsentCard(permissions=[speech.prompts.REMINDERS_PERMISSION_NAME])
    if isinstance(card, Summary) and card.lines:
        return SimpleCard(title=speech.prompts.CARD_TITLE, content=speech.card_text(card.lines))
    return None


def _unsaved(attributes: dict[str, Any]) -> dict[str, Any] | None:
    """A record the session carries because its write failed (also in the shape of the release before)."""
    carried = attributes.get(UNSAVED)
    if isinstance(carried, dict):
        return carried
    if carried is True and isinstance(attributes.get(LEGACY_RECORD), dict):
        return attributes[LEGACY_RECORD]
    return None


def _with_new_session(command: Command, new: bool) -> Command:
    from dataclasses import replace

    return replace(command, new_session=new) if command.new_session != new else command


def _reminders(endpoint: str, token: str, locale: str, languages: Languages) -> Any:
    """Alexa's Reminders API for this request, as the turn's reminders service."""
    from skill.alexa.reminders_api import AlexaReminders

    text = languages.for_locale(locale).speech.prompts.REMINDER_TEXT
    return AlexaReminders(endpoint, token, locale, text)

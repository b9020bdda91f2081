"""What the engine asks to be said: structured prompts, turned into speech by skill.speech."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class P(StrEnum):
    """Every kind of thing the coach says. The speech layer has one renderer per key in every language (a test
    checks), so a key the engine asks for is never unknown to it."""

    ADOPT_OFFER = "adopt_offer"
    ADOPT_REPROMPT = "adopt_reprompt"
    ADOPTED = "adopted"
    AGAIN = "again"
    AGE_RANGE = "age_range"
    AGE_SET = "age_set"
    ASK_EQUIPMENT = "ask_equipment"
    ASK_EQUIPMENT_REPROMPT = "ask_equipment_reprompt"
    AT_START = "at_start"
    AUDIO_RESUME = "audio_resume"
    BACK_TO_WORKOUT = "back_to_workout"
    CANT_DO = "cant_do"
    CARD_HEART = "card_heart"
    CARD_WEEK = "card_week"
    CARD_WORKOUT = "card_workout"
    CONTINUE = "continue"
    CONTINUE_REPROMPT = "continue_reprompt"
    COUNT = "count"
    COUNT_IN = "count_in"
    CUE = "cue"
    EASIER = "easier"
    EASIER_AS_TAUGHT = "easier_as_taught"
    EASY_NOTED = "easy_noted"
    EASY_TOP = "easy_top"
    EQUIPMENT_LATER = "equipment_later"
    EQUIPMENT_SET = "equipment_set"
    EXERCISE = "exercise"
    EXPLAIN = "explain"
    FALLBACK = "fallback"
    FINISHED = "finished"
    FRESH_START = "fresh_start"
    GOING_BACK = "going_back"
    GOODBYE = "goodbye"
    HARDER = "harder"
    HEART_CHECK = "heart_check"
    HEART_RATE_HIGH = "heart_rate_high"
    HEART_RATE_RECOVERED = "heart_rate_recovered"
    HELP = "help"
    HISTORY = "history"
    HISTORY_NONE = "history_none"
    IN_PROGRESS = "in_progress"
    INTRO = "intro"
    LAST_MOVE = "last_move"
    LETTER = "letter"
    LINK_ACCOUNT = "link_account"
    MISSED_WEEK = "missed_week"
    MODE_AUDIO = "mode_audio"
    MODE_SPEECH = "mode_speech"
    MUSCLES = "muscles"
    NO_EXERCISES = "no_exercises"
    NO_LOOP = "no_loop"
    NO_REMINDERS = "no_reminders"
    NO_WORKOUT = "no_workout"
    PAIN = "pain"
    PAIN_REPROMPT = "pain_reprompt"
    PAIR_CODE = "pair_code"
    PART = "part"
    PAUSED = "paused"
    PRAISE = "praise"
    PROGRESS_ACCEPTED = "progress_accepted"
    PROGRESS_DECLINED = "progress_declined"
    PROGRESS_OFFER = "progress_offer"
    PROGRESS_REPROMPT = "progress_reprompt"
    RECOVERY_RANGE = "recovery_range"
    RECOVERY_SET = "recovery_set"
    RELINK = "relink"
    REMINDER_DECLINED = "reminder_declined"
    REMINDER_OFFER = "reminder_offer"
    REMINDERS_CANCELLED = "reminders_cancelled"
    REMINDERS_FAILED = "reminders_failed"
    REMINDERS_PERMISSION = "reminders_permission"
    REMINDERS_ALLOWED = "reminders_allowed"
    REMINDERS_NOT_ALLOWED = "reminders_not_allowed"
    REMINDERS_SET = "reminders_set"
    REPROMPT = "reprompt"
    REST = "rest"
    REST_HEART = "rest_heart"
    REST_HOLD = "rest_hold"
    REST_MORE = "rest_more"
    RESUMING = "resuming"
    ROUND = "round"
    SAFETY = "safety"
    SAVE_FAILED = "save_failed"
    SKIPPING = "skipping"
    STATUS = "status"
    STEP_BACK = "step_back"
    STEP_CUE = "step_cue"
    STOPPED = "stopped"
    STORAGE_DOWN = "storage_down"
    TEMPO_LIMIT = "tempo_limit"
    TEMPO_SET = "tempo_set"
    TIME_LEFT = "time_left"
    TRANSITION = "transition"
    UNKNOWN_EXERCISE = "unknown_exercise"
    UNPAIRED = "unpaired"
    UPLOAD_ALREADY = "upload_already"
    UPLOAD_DECLINED = "upload_declined"
    UPLOAD_NOT_QUEUED = "upload_not_queued"
    UPLOAD_NOTHING = "upload_nothing"
    UPLOAD_OFFER = "upload_offer"
    UPLOAD_OFFER_REPROMPT = "upload_offer_reprompt"
    UPLOAD_QUEUED = "upload_queued"
    UPLOADS_UNAVAILABLE = "uploads_unavailable"
    WEARABLE_UNAVAILABLE = "wearable_unavailable"
    WEEK = "week"
    WEEK_MET = "week_met"
    WELCOME = "welcome"
    WELCOME_BACK = "welcome_back"
    WELCOME_BACK_RESUME = "welcome_back_resume"
    WHAT_NOW = "what_now"
    WHATS_NEXT = "whats_next"
    WHICH_EXERCISE = "which_exercise"
    WORKOUT_DONE = "workout_done"



@dataclass(frozen=True)
class Prompt:
    key: P
    params: dict[str, Any] = field(default_factory=dict)
    # The speech layer's rendering and its cost, kept so a prompt measured for packing is not rendered again to
    # be sent.
    rendered: tuple[str, Cost] | None = field(default=None, compare=False, repr=False)


def say(key: P, **params: Any) -> Prompt:
    return Prompt(key, params)


@dataclass(frozen=True)
class Cost:
    """How much room a run of prompts takes in a response: SSML characters and estimated seconds."""

    chars: int
    seconds: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.chars + other.chars, self.seconds + other.seconds)


# Supplied by the speech layer, so the engine can pack responses without knowing how text is rendered.
Measure = Callable[[Sequence[Prompt]], Cost]


@dataclass(frozen=True)
class Budget:
    """The most one response may carry."""

    max_chars: int
    max_seconds: float

"""What a person (or their device) asks, and what the engine answers.

A `Command` is only what this one request said: the command and its words, and for the audio mode where the
device's player is. What the person's record holds is read from the record itself, and what the turn found out
(the heart rate, a pairing code, the linked account) comes as `Services` (skill.engine.context).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skill.engine.cues import NOTHING_CUE, Cue
from skill.engine.effects import Effect
from skill.engine.record import PersonRecord
from skill.engine.script import Prompt
from skill.engine.state import WorkoutState
from skill.engine.views import Card, Shown


class Cmd(StrEnum):
    LAUNCH = "launch"
    START = "start"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    START_OVER = "start_over"
    STATUS = "status"
    EXPLAIN = "explain"
    HELP = "help"
    FALLBACK = "fallback"
    STOP = "stop"
    SESSION_END = "session_end"
    PAIR = "pair"
    UNPAIR = "unpair"
    SET_RECOVERY = "set_recovery"
    SET_AGE = "set_age"
    HISTORY = "history"
    UPLOAD = "upload"
    YES = "yes"
    NO = "no"
    READY = "ready"  # "I'm ready", "done", "let's go": move on (or begin)
    SLOWER = "slower"
    FASTER = "faster"
    EASIER = "easier"
    HARDER = "harder"
    CANT_DO = "cant_do"
    MUSCLES = "muscles"
    WHATS_NEXT = "whats_next"
    TIME_LEFT = "time_left"
    PAIN = "pain"
    EQUIPMENT = "equipment"
    WEEK = "week"  # "how am I doing this week?"
    EASY = "easy"  # "that was easy"
    REMIND = "remind"  # "remind me to work out on weekdays at seven"
    STOP_REMINDING = "stop_reminding"
    # Back from a task Alexa ran for the skill: a consent (Connections.Response), a resumed session.
    CONSENT = "consent"
    RESUMED = "resumed"
    # The audio mode: the way workouts are coached, loop and shuffle (there is nothing to loop)...
    USE_AUDIO = "use_audio"
    USE_SPEECH = "use_speech"
    LOOP = "loop"
    # ... and what the device's player reports, or its buttons ask (no session, no speech).
    PLAYBACK_STARTED = "playback_started"
    PLAYBACK_NEARLY_FINISHED = "playback_nearly_finished"
    PLAYBACK_FINISHED = "playback_finished"
    PLAYBACK_STOPPED = "playback_stopped"
    PLAYBACK_FAILED = "playback_failed"
    BUTTON_PLAY = "button_play"
    BUTTON_PAUSE = "button_pause"
    BUTTON_NEXT = "button_next"
    BUTTON_PREVIOUS = "button_previous"


# What the device's player reports or its buttons ask: the audio mode's events.
PLAYER_EVENTS = frozenset({Cmd.PLAYBACK_STARTED, Cmd.PLAYBACK_NEARLY_FINISHED, Cmd.PLAYBACK_FINISHED,
                           Cmd.PLAYBACK_STOPPED, Cmd.PLAYBACK_FAILED})
BUTTONS = frozenset({Cmd.BUTTON_PLAY, Cmd.BUTTON_PAUSE, Cmd.BUTTON_NEXT, Cmd.BUTTON_PREVIOUS})
# What a Connections.Response or a resumed session says about the reminders permission the skill asked for.
GRANTED = "granted"
REFUSED = "refused"


@dataclass(frozen=True)
class Played:
    """Where a device's player is (or an event says it was): a clip of this skill's, by the workout it belongs
    to (id and start), the step's stable id and the track, and the offset into it."""

    workout: str
    started_at_ms: int
    step: str
    part: str
    offset_ms: int = 0
    playing: bool = True  # the player is playing it (an event mid-clip, a command while it plays), not stopped

    def belongs_to(self, state: WorkoutState | None) -> bool:
        return state is not None and (state.workout, state.started_at_ms) == (self.workout, self.started_at_ms)


@dataclass(frozen=True)
class Command:
    name: Cmd
    workout: str = ""  # START: the workout id ("" for the default)
    equipment: tuple[str, ...] = ()  # START, EQUIPMENT: what the person has ("" = everything)
    exercise: str = ""  # EXPLAIN, EASY, EASIER...: the exercise id, when the words matched one
    heard: str = ""  # EXPLAIN: the words heard, when they matched none
    letter: str = ""  # EXPLAIN: "how do I do the Y"
    number: int | None = None  # SET_RECOVERY: beats per minute; SET_AGE: years
    days: str = ""  # REMIND: "weekdays", "daily", "weekends" ("" = the plan's days)
    minute: int | None = None  # REMIND: minutes after midnight, when a time was heard
    consent: str = ""  # CONSENT: GRANTED or REFUSED for the reminders permission ("" for anything else)
    new_session: bool = False  # the first request of a session ("Alexa, ask back coach to ...")
    played: Played | None = None  # a player event's clip, or what the device's player holds (audio mode)


@dataclass(frozen=True)
class Outcome:
    """The engine's answer: a result name (for logs and tests), the new state, what to say, what the turn must
    do about it (effects), and for the platform a card, what a screen shows and the audio player's cue.
    `record` is the person's record after it all, filled in by the engine's front door (skill.engine.decide)."""

    result: str
    state: WorkoutState | None
    speech: tuple[Prompt, ...]
    reprompt: tuple[Prompt, ...] = ()
    end_session: bool = False
    effects: tuple[Effect, ...] = ()
    card: Card | None = None  # for the Alexa app
    shown: Shown | None = None  # what a screen shows besides the workout (an exercise's cues, the week, a code)
    cue: Cue = NOTHING_CUE  # the audio mode: what the player does next
    record: PersonRecord | None = None
    # False: nothing in the new record must outlive this request (the audio mode's next clip started: every
    # later event and command names its clip, and the front door catches the record up from it). Not written.
    durable: bool = True

"""The commands a person can give, and what the engine answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from skill.engine.calendar import DEFAULT_ZONE
from skill.engine.coaching import Coaching
from skill.engine.effects import Effect
from skill.engine.record import HistoryEntry, PersonRecord
from skill.engine.rest import Vitals
from skill.engine.script import Prompt
from skill.engine.state import WorkoutState


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


@dataclass(frozen=True)
class Command:
    name: Cmd
    workout: str = ""  # START: the workout id ("" for the default)
    equipment: tuple[str, ...] = ()  # START: what the person has ("" = everything)
    exercise: str = ""  # EXPLAIN, EASY, EASIER: the exercise id, when the words matched one
    heard: str = ""  # EXPLAIN: the words heard, when they matched none
    new_session: bool = False  # the first request of a session ("Alexa, ask back coach to ...")
    vitals: Vitals | None = None  # the paired wearable's recent heart rate, when there is one
    code: str = ""  # PAIR: the one-time code issued for this person ("" when wearables are not set up)
    number: int | None = None  # SET_RECOVERY: beats per minute; SET_AGE: years
    history: tuple[HistoryEntry, ...] = ()  # HISTORY: the workouts on record
    upload_service: str = ""  # where finished workouts can be sent ("strava", "fitbit"; "" when not set up)
    linked: bool = False  # the person has linked their account with that service
    # What the person's record says, for every command (the turn fills these in):
    tempo: int = 100  # percent of each move's own tempo ("slow down" raises it)
    taught: tuple[str, ...] = ()  # exercises already taught in full: their key cue is enough
    first_ever: bool = False  # no workout done yet: the first one starts with a word on pain
    known_equipment: tuple[str, ...] = ()  # what they said they have, for the full session
    letter: str = ""  # EXPLAIN: "how do I do the Y"
    relink: str = ""  # LAUNCH: an upload service whose account must be linked again ("" when none)
    equipment_asked: bool = False  # the coach asked what equipment the person has (once, before a full session)
    # Coaching over weeks: what the record holds (every command), whose voice it is, and what a request carried.
    coaching: Coaching = field(default_factory=Coaching)
    person: bool = False  # a recognised voice with a profile of its own
    shared: PersonRecord | None = None  # YES to taking over the shared history: the shared profile's record
    days: str = ""  # REMIND: "weekdays", "daily", "weekends" ("" = the plan's days)
    minute: int | None = None  # REMIND: minutes after midnight, when a time was heard
    zone: str = DEFAULT_ZONE  # the person's time zone (IANA): the calendar days, weeks and "days ago" count in it


@dataclass(frozen=True)
class Outcome:
    """The engine's answer: a result name (for logs and tests), the new state, what to say, and what the turn
    must do about it (effects)."""

    result: str
    state: WorkoutState | None
    speech: tuple[Prompt, ...]
    reprompt: tuple[Prompt, ...] = ()
    end_session: bool = False
    effects: tuple[Effect, ...] = ()
    card: str = ""  # a card for the Alexa app: "link_account", "reminders_permission", "summary"
    card_lines: tuple[Prompt, ...] = ()  # "summary": what the card says, one line each

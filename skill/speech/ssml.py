"""Renders the engine's prompts as Alexa SSML: counted reps, arm switches, I-Y-T letters, rest countdowns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from skill.content.schema import Content, Exercise
from skill.engine.script import Budget, Cost, Prompt
from skill.engine.views import Where
from skill.speech import counting
from skill.speech import prompts as p
from skill.speech.answers import AnswerSpeech
from skill.speech.timing import (
    MAX_BREAK_SECONDS,
    break_seconds,
    estimate_seconds,
    silence,
)
from skill.speech.words import capital, escape, join, number_words, reps_words, spoken_numbers

# Alexa: output speech must stay under 8,000 characters (FACTS.md). The engine packs fragments; the
# <speak> wrapper is added afterwards, so the budget leaves room for it.
MAX_SSML_CHARS = 8000
SPEAK_OPEN, SPEAK_CLOSE = "<speak>", "</speak>"
# The longest a single response may run. Alexa documents 240 s as the cap on <audio> in one response; the
# coach holds all of its speech to the same cap, so no device cuts a response short.
MAX_RESPONSE_SECONDS = 240.0
BUDGET = Budget(max_chars=MAX_SSML_CHARS - 1 - len(SPEAK_OPEN) - len(SPEAK_CLOSE), max_seconds=MAX_RESPONSE_SECONDS)
ALLOWED_TAGS = {"speak", "break", "p", "s", "say-as"}


MEMO_SIZE = 4096  # renderings kept across turns: every step of every workout at a few tempos fits

SWITCH_SECONDS = 1.5  # the beat to change arms or grip
HOLD_SECONDS = 2.0  # a pause rep's hold
LOWER_SECONDS = 3.0  # a slow lowering


class Speech(AnswerSpeech):
    """Turns prompts into SSML for one content set."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.renders = 0  # how many prompts were rendered (benchmarks check: once per prompt per turn)
        self._memo: dict[tuple[Any, ...], tuple[str, Cost]] = {}
        self._render: dict[str, Callable[[dict[str, Any]], str]] = {
            "intro": self._intro,
            "round": lambda a: _t(p.ROUND, **spoken_numbers(a)),
            "exercise": self._exercise,
            "cue": self._cue,
            "letter": self._letter,
            "part": self._part,
            "count": self._count,
            "praise": lambda a: _t(p.ENCOURAGEMENT[a["n"] % len(p.ENCOURAGEMENT)]),
            "rest": self._rest,
            "rest_heart": self._rest_heart,
            "continue": self._continue,
            "continue_reprompt": lambda a: _t(p.CONTINUE_REPROMPT, label=self.label(a["at"])),
            "finished": self._finished,
            "resuming": lambda a: _t(p.RESUMING),
            "again": lambda a: _t(p.AGAIN),
            "going_back": lambda a: _t(p.GOING_BACK),
            "at_start": lambda a: _t(p.AT_START),
            "skipping": lambda a: _t(p.SKIPPING, name=self._name(a["name"])),
            "paused": lambda a: _t(p.PAUSED, label=self.label(a["at"])),
            "status": self._status,
            "workout_done": lambda a: _t(p.WORKOUT_DONE, workout=self._workout_name(a["workout"])),
            "explain": self._explain,
            "unknown_exercise": self._unknown,
            "which_exercise": lambda a: _t(p.WHICH_EXERCISE),
            "what_now": lambda a: _t(p.WHAT_NOW),
            "back_to_workout": lambda a: _t(p.BACK_TO_WORKOUT, label=self.label(a["at"])),
            "help": lambda a: _t(p.HELP),
            "fallback": lambda a: _t(p.NOTHING_TO_ANSWER if a["resolved"] else p.FALLBACK) + " " + _t(
                p.OPTIONS_IN_WORKOUT if a["in_workout"] else p.OPTIONS_IDLE),
            "safety": lambda a: _t(p.SAFETY),
            "ask_equipment": lambda a: _t(p.ASK_EQUIPMENT),
            "ask_equipment_reprompt": lambda a: _t(p.ASK_EQUIPMENT_REPROMPT),
            "tempo_set": lambda a: _t(p.TEMPO_SET[a["slower"]]),
            "tempo_limit": lambda a: _t(p.TEMPO_LIMIT[a["slower"]]),
            "easier": self._easier,
            "harder": self._harder,
            "cant_do": self._cant_do,
            "muscles": self._muscles,
            "whats_next": lambda a: _t(p.WHATS_NEXT, label=self._next_label(a["at"])),
            "last_move": lambda a: _t(p.LAST_MOVE),
            "time_left": self._time_left,
            "pain": lambda a: _t(p.PAIN if a["in_workout"] else p.PAIN_IDLE),
            "pain_reprompt": lambda a: _t(p.PAIN_REPROMPT),
            "equipment_set": lambda a: _t(p.EQUIPMENT_SET, equipment=self._equipment(a["equipment"])),
            "equipment_later": lambda a: _t(p.EQUIPMENT_LATER, equipment=self._equipment(a["equipment"])),
            "welcome": lambda a: _t(p.WELCOME),
            "welcome_back": lambda a: _t(p.WELCOME_BACK, workout=self._workout_name(a["at"].workout),
                                         label=self.label(a["at"])),
            "welcome_back_resume": lambda a: _t(p.WELCOME_BACK_RESUME, label=self.label(a["at"])),
            "storage_down": lambda a: _t(p.STORAGE_DOWN),
            "heart_check": lambda a: _t(p.HEART_CHECK),
            "history": self._history,
            "history_none": lambda a: _t(p.HISTORY_NONE, days=number_words(a["days"])),
            "pair_code": lambda a: p.PAIR_CODE.format(
                code=f'<say-as interpret-as="digits">{escape(a["code"])}</say-as>', minutes=a["minutes"]),
            "unpaired": lambda a: _t(p.UNPAIRED),
            "wearable_unavailable": lambda a: _t(p.WEARABLE_UNAVAILABLE),
            "recovery_set": lambda a: _t(p.RECOVERY_SET, bpm=a["bpm"]),
            "recovery_range": lambda a: _t(p.RECOVERY_RANGE, low=a["low"], high=a["high"]),
            "age_set": lambda a: _t(p.AGE_SET, max=a["max"], bpm=a["bpm"]),
            "age_range": lambda a: _t(p.AGE_RANGE, low=a["low"], high=a["high"]),
            "heart_rate_high": lambda a: _t(p.HEART_RATE_HIGH, bpm=a["bpm"], trend=a["trend"], seconds=a["seconds"]),
            "heart_rate_recovered": lambda a: _t(p.HEART_RATE_RECOVERED, bpm=a["bpm"]),
            "save_failed": lambda a: _t(p.SAVE_FAILED),
            "in_progress": lambda a: _t(p.IN_PROGRESS, workout=self._workout_name(a["at"].workout),
                                        label=self.label(a["at"])),
            "stopped": lambda a: _t(p.STOPPED, label=self.label(a["at"])),
            "goodbye": lambda a: _t(p.GOODBYE),
            "no_workout": lambda a: _t(p.NO_WORKOUT),
            "no_exercises": lambda a: _t(p.NO_EXERCISES),
            "relink": lambda a: _t(p.RELINK, service=_service(a)),
            "upload_offer": lambda a: _t(p.UPLOAD_OFFER, service=_service(a)),
            "upload_offer_reprompt": lambda a: _t(p.UPLOAD_OFFER_REPROMPT, service=_service(a)),
            "upload_queued": lambda a: _t(p.UPLOAD_QUEUED, service=_service(a)),
            "upload_declined": lambda a: _t(p.UPLOAD_DECLINED),
            "upload_already": lambda a: _t(p.UPLOAD_ALREADY, service=_service(a)),
            "upload_nothing": lambda a: _t(p.UPLOAD_NOTHING, service=_service(a)),
            "upload_not_queued": lambda a: _t(p.UPLOAD_NOT_QUEUED, service=_service(a)),
            "link_account": lambda a: _t(p.LINK_ACCOUNT, service=_service(a)),
            "uploads_unavailable": lambda a: _t(p.UPLOADS_UNAVAILABLE),
            "reprompt": self._reprompt,
        }
        from skill.speech.coaching import renderers

        self._render.update(renderers(self))  # coaching over weeks (issue 17)

        from skill.speech.clips import audio_renderers  # the audio mode's clips (issue 15)

        self._render.update(audio_renderers(self))

    # -- public --------------------------------------------------------------------------------------

    def fragment(self, prompts: Sequence[Prompt]) -> str:
        return " ".join(self.piece(prompt) for prompt in prompts)

    def piece(self, prompt: Prompt) -> str:
        return self._rendered(prompt)[0]

    def _rendered(self, prompt: Prompt) -> tuple[str, Cost]:
        """One prompt's SSML and cost, rendered once: the engine measures a prompt before it is sent, so both are
        kept on the prompt (a value made for this turn), and sending it costs no second rendering. Prompts with
        the same values (the same set of the same move, at the same tempo) share one rendering across turns."""
        if prompt.rendered is None:
            key = _memo_key(prompt)
            done = self._memo.get(key) if key is not None else None
            if done is None:
                text = self._render[prompt.key](prompt.params)
                self.renders += 1
                done = (text, Cost(len(text), estimate_seconds(text)))
                if key is not None:
                    if len(self._memo) >= MEMO_SIZE:
                        self._memo.clear()  # a bound, not an eviction policy: the working set is a few hundred
                    self._memo[key] = done
            object.__setattr__(prompt, "rendered", done)
        return prompt.rendered

    def ssml(self, prompts: Sequence[Prompt]) -> str:
        return SPEAK_OPEN + self.fragment(prompts) + SPEAK_CLOSE

    def card_text(self, prompts: Sequence[Prompt]) -> str:
        """Plain text for a card in the Alexa app: one line per prompt."""
        from html import unescape

        return "\n".join(unescape(self.piece(prompt)) for prompt in prompts)

    def measure(self, prompts: Sequence[Prompt]) -> Cost:
        """The cost of `fragment(prompts)` (plus the space before the next), summed from each prompt's own: the
        pieces are joined by spaces, so their words and breaks add up."""
        chars, seconds = len(prompts) - 1 if prompts else 0, 0.0
        for prompt in prompts:
            cost = self._rendered(prompt)[1]
            chars, seconds = chars + cost.chars, seconds + cost.seconds
        return Cost(chars + (1 if chars else 0), seconds)

    def label(self, at: Where) -> str:
        """How a position is named in speech, e.g. 'band pull apart, underhand grip'."""
        if at.kind == "rest":
            return _plain(p.LABEL_REST, seconds=number_words(at.rest_seconds))
        text = part_label(self._name(at.name), at.part_kind, at.part_label)
        if at.sets > 1:
            text += _plain(p.LABEL_SET, **spoken_numbers({"set": at.set, "sets": at.sets}))
        return text

    # -- names ---------------------------------------------------------------------------------------

    def _exercise_by_name(self, name: str) -> Exercise | None:
        return next((ex for ex in self.content.exercises.values() if ex.name == name), None)

    def _name(self, name: str) -> str:
        """The spoken form of a display name ('T R X low row' for 'TRX Low Row')."""
        ex = self._exercise_by_name(name)
        return ex.spoken_name if ex else name.lower()

    def _workout_name(self, name: str) -> str:
        workout = next((w for w in self.content.workouts.values() if w.name == name), None)
        return workout.spoken_name if workout else name

    # -- renderers -----------------------------------------------------------------------------------

    def _intro(self, a: dict[str, Any]) -> str:
        moves = join([self._name(m) for m in a["moves"]])
        if a.get("brief"):  # a returning person knows the moves: the workout's name and off we go
            return capital(_t(p.INTRO_BRIEF, rounds=number_words(a["rounds"]))) if a["rounds"] > 1 else _t(
                p.INTRO_BRIEF_SETS, workout=self._workout_name(a["workout"]))
        template = p.INTRO_ROUNDS if a["rounds"] > 1 else p.INTRO_SETS
        return _t(template, workout=self._workout_name(a["workout"]), moves=moves, count=number_words(len(a["moves"])),
                  **spoken_numbers({"rounds": a["rounds"], "round_rest": a["round_rest"], "set_rest": a["set_rest"]}))

    def _exercise(self, a: dict[str, Any]) -> str:
        at = a["at"]
        parts = [capital(self._name(at.name)) + "."]
        if at.sets > 1:
            parts.append(_plain(p.SETS, **spoken_numbers({"set": at.set, "sets": at.sets})))
        if at.round == 1:  # a later round repeats the same reps: the name is enough
            parts.append(capital(reps_words(at.reps_min, at.reps_max) + p.PER_PART[at.part_kind]) + ".")
        return escape(" ".join(parts))

    def _cue(self, a: dict[str, Any]) -> str:
        """The first time ever: where to stand and how to move (the cautions come during the set). After that, no
        words before the set: the key cue is said during the count."""
        ex = self.content.exercises[a["exercise"]]
        return escape(" ".join((ex.setup, *ex.cues[:1]))) if a["full"] else ""

    def _letter(self, a: dict[str, Any]) -> str:
        ex = self.content.exercises[a["exercise"]]
        text = _plain(p.LETTER, letter=a["letter"])
        if a["cue"]:
            text += " " + ex.letter_cues[a["index"]]
        return escape(text)

    def _part(self, a: dict[str, Any]) -> str:
        """The side or grip; a switch gets a short beat to change hands or grip before the count."""
        template = (p.PART_SWITCH if a["switch"] else p.PART_FIRST)[a["kind"]]
        said = escape(capital(_plain(template, label=a["label"])))
        return said + silence(SWITCH_SECONDS) if a["switch"] else said

    def _count(self, a: dict[str, Any]) -> str:
        """The reps in time with the move: its phases at the person's tempo (see skill/speech/counting.py)."""
        return counting.ssml(self.count_beats(a))

    def count_beats(self, a: dict[str, Any]) -> list[counting.Beat]:
        """A step of progression changes the rep: pause reps hold at the squeeze, slow lowering counts the way
        back."""
        ex = self.content.exercises.get(a.get("exercise", ""))
        phases = ex.phases if ex else (("up", 1.0), ("down", 1.0))
        how = self.content.guide.progressions().get(a.get("variant", ""))
        if how is not None and how.count == "hold":
            phases = (phases[0], (p.COUNT_HOLD, HOLD_SECONDS), *(ph for ph in phases[1:] if ph[0] != "hold"))
        elif how is not None and how.count:
            phases = (*phases[:-1], (p.COUNT_LOWER, LOWER_SECONDS))
        lesson: tuple[str, ...] = ()
        if ex is None:
            cue = ""
        elif a.get("learning"):  # the first time: the rest of the lesson while the set moves, then a caution
            lesson = tuple(escape(line) for line in (*ex.cues[1:], *ex.cautions[:1]))
            cue = ""
        else:
            cue = escape(ex.key_cue)
        return counting.count_beats(phases, a["reps_min"], a["reps_max"], a.get("tempo", 100), cue, lesson)

    def _rest(self, a: dict[str, Any]) -> str:
        """A rest that lasts `seconds` by the same estimate the timeline uses: what comes next and how to set up for
        it, then a count-in; or, when the response ends with the rest, "then say next" and no "go"."""
        return counting.ssml(self.rest_beats(a))

    def rest_beats(self, a: dict[str, Any]) -> list[counting.Beat]:
        seconds, nxt = a["seconds"], a["next"]
        if a.get("ends") and nxt is not None:
            opening = _t(p.REST_THEN_NEXT, seconds=number_words(seconds), label=self._next_label(nxt))
        else:
            opening = _t(p.REST_START, seconds=number_words(seconds)) if a.get("announce", True) else ""
            if nxt is not None:
                opening += " " + _t(p.REST_NEXT, label=self._next_label(nxt))
            if a.get("setup"):
                opening += " " + escape(self.content.exercises[a["setup"]].setup)
        return counting.rest_beats(seconds, opening.strip(), ends=bool(a.get("ends")))

    def calls(self, prompt: Prompt) -> list[tuple[int, float, float]]:
        """The numbers a prompt says aloud, each with when it starts and ends (seconds from the prompt's start):
        reps counted, and seconds of rest left. Empty for a prompt that counts nothing."""
        if prompt.key == "count":
            return counting.numbers(self.count_beats(prompt.params))
        if prompt.key == "rest":
            return counting.numbers(self.rest_beats(prompt.params))
        return []

    def _rest_heart(self, a: dict[str, Any]) -> str:
        """The first stretch of a rest the heart rate decides: no count-in, the next request checks the heart."""
        return _t(p.REST_HEART, label=self._next_label(a["next"])) + silence(a["seconds"])

    def _finished(self, a: dict[str, Any]) -> str:
        minutes = p.MINUTES.get(a["minutes"]) or p.MINUTES_MANY.format(minutes=number_words(a["minutes"]))
        return _t(p.FINISHED, workout=self._workout_name(a["workout"]), sets=number_words(a["sets"]),
                  minutes=minutes, week=number_words(a["week"]), days=number_words(a["days_per_week"]))

    def _next_label(self, at: Where) -> str:
        if at.round_start and at.rounds > 1:
            said = _plain(p.ROUND, **spoken_numbers({"round": at.round, "rounds": at.rounds}))
            return said.rstrip(".").lower() + ", " + self.label(at)
        return self.label(at)

    def _continue(self, a: dict[str, Any]) -> str:
        at = a["at"]
        if at.round_start and at.rounds > 1:
            return _t(p.CONTINUE_ROUND, round=number_words(at.round), name=self._name(at.name))
        return _t(p.CONTINUE, label=self.label(at))

    def _status(self, a: dict[str, Any]) -> str:
        at = a["at"]
        doing = p.STATUS_DOING[bool(a["started"])]
        workout = self._workout_name(at.workout)
        if at.rounds > 1:
            head = _t(p.STATUS, **spoken_numbers({"round": at.round, "rounds": at.rounds}), workout=workout,
                      doing=doing, label=self.label(at))
            left = _t(p.STATUS_LEFT, moves=_moves(at.moves_left),
                      **spoken_numbers({"moves_left": at.moves_left, "moves_left_in_round": at.moves_left_in_round}))
        else:
            head = _t(p.STATUS_SINGLE_ROUND, workout=workout, doing=doing, label=self.label(at))
            left = _t(p.STATUS_LEFT_SINGLE, moves_left=number_words(at.moves_left),
                      moves=_moves(at.moves_left))
        return head + " " + capital(left)

    def _unknown(self, a: dict[str, Any]) -> str:
        names = [self._name(n) for n in a["suggestions"]]
        return _t(p.UNKNOWN_EXERCISE, heard=a["heard"], suggestions=" or the ".join(names))

    def _history(self, a: dict[str, Any]) -> str:
        days = a["last_days_ago"]
        when = p.WHEN.get(days) or _plain(p.WHEN_DAYS, days=number_words(days))
        template = p.HISTORY if a["last_finished"] else p.HISTORY_STOPPED
        return _t(template, workouts="workout" if a["count"] == 1 else "workouts", when=when,
                  last=self._workout_name(a["last_workout"]),
                  **spoken_numbers({"count": a["count"], "days": a["days"], "sets": a["last_sets"]}))

    def _reprompt(self, a: dict[str, Any]) -> str:
        if a["at"] is None:
            return _t(p.REPROMPT_IDLE)
        return _t(p.REPROMPT_IN_WORKOUT, label=self.label(a["at"]))


def part_label(name: str, part_kind: str, label: str) -> str:
    """A move with its side, grip or letter: 'band pull apart, underhand grip', 'I Y T, Y position'."""
    template = {"side": p.LABEL_SIDE, "grip": p.LABEL_GRIP, "letter": p.LABEL_LETTER}.get(part_kind)
    return _plain(template, name=name, label=label) if template else name




def _plain(template: str, **values: Any) -> str:
    return template.format(**values)


def _t(template: str, **values: Any) -> str:
    """A template filled with values and escaped for SSML (names and heard words may contain '&' or '<')."""
    return escape(template.format(**values))






def _moves(n: int) -> str:
    return "move" if n == 1 else "moves"


def check(ssml: str) -> list[str]:
    """Problems that would make Alexa reject or mangle `ssml`; empty when it is fine."""
    import xml.etree.ElementTree as ET  # only tests and tools check; keep it off the Lambda's cold path

    problems = []
    if len(ssml) >= MAX_SSML_CHARS:
        problems.append(f"{len(ssml)} characters (limit {MAX_SSML_CHARS})")
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as e:
        return [*problems, f"not well-formed XML: {e}"]
    if root.tag != "speak":
        problems.append(f"root element is <{root.tag}>, not <speak>")
    for element in root.iter():
        if element.tag not in ALLOWED_TAGS:
            problems.append(f"unsupported tag <{element.tag}>")
        if element.tag == "break":
            seconds = break_seconds(element.get("time", ""))
            if not 0 < seconds <= MAX_BREAK_SECONDS:
                problems.append(f"break of {seconds} s (limit {MAX_BREAK_SECONDS} s)")
    return problems


def _service(values: dict[str, Any]) -> str:
    """A service's spoken name ('Strava' for 'strava')."""
    return p.SERVICE_NAMES.get(values["service"], values["service"])


def _memo_key(prompt: Prompt) -> tuple[Any, ...] | None:
    """What decides a prompt's rendering, as a dictionary key (with each value's type: 1 and True render
    differently); None when a value cannot be a key (a list), and the prompt is rendered on its own."""
    key = (prompt.key, *sorted((name, type(value), value) for name, value in prompt.params.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key

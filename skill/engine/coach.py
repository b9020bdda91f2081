"""The workout engine: where the person is, what each command does there, and what to say next.

Pure: it imports no Alexa, AWS or web framework code. The speech layer is injected as a `Measure`, so the
engine can pack as much of the workout into one response as the `Budget` allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from skill.content.lookup import closest_exercises
from skill.content.schema import Content
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.history import days_between, finished_entry, week_start_ms, workout_log
from skill.engine.plan import LETTER, MOVE, REST, Plan, Step, build_plan
from skill.engine.rest import decide_rest, max_heart_rate, recovery_threshold
from skill.engine.script import Budget, Measure, Prompt, say
from skill.engine.state import (
    DECLINED,
    DOING,
    FINISHED,
    OFFERED,
    PAUSED,
    PLAYING,
    QUEUED,
    READY,
    Segment,
    WorkoutState,
)

NONE = "none"  # the phase of "no workout at all"
PAIRING_MINUTES = 10
RECOVERY_BPM_RANGE = (60, 160)
AGE_RANGE = (13, 100)
STALE_AFTER_MS = 12 * 3600 * 1000  # an older workout is offered ("resume or start over"), not resumed at once

Action = Callable[["Coach", WorkoutState | None, Command, int], Outcome]


class Coach:
    def __init__(self, content: Content, measure: Measure, budget: Budget) -> None:
        self.content = content
        self.measure = measure
        self.budget = budget

    # -- entry point -----------------------------------------------------------------------------

    def handle(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        """Apply `command` at time `now_ms` (epoch ms). Never raises for any state or command."""
        if state is not None and self.plan(state) is None:
            state = None  # a saved state that no longer fits the content: start afresh
        if state is not None:
            state = self.settle(state, now_ms)
        phase = state.phase if state is not None else NONE
        table = TRANSITIONS[command.name]
        action = table.get(phase, table.get("*"))
        assert action is not None, f"no transition for {command.name} in {phase}"
        return action(self, state, command, now_ms)

    def plan(self, state: WorkoutState) -> Plan | None:
        """The plan of the state's workout, or None when the state is not a valid place in it."""
        if state.workout not in self.content.workouts:
            return None
        plan = build_plan(self.content, state.workout, state.equipment)
        if plan.index_of(state.key) is None:
            return None
        if state.phase == PLAYING and (
            not state.timeline or any(not 0 <= s.step < len(plan.steps) for s in state.timeline)
        ):
            return None
        return plan

    def position(self, state: WorkoutState) -> int:
        plan = self.plan(state)
        assert plan is not None
        index = plan.index_of(state.key)
        assert index is not None
        return index

    def history_entry(self, state: WorkoutState | None) -> dict[str, Any] | None:
        """The history entry to record for `state`, if its workout is done."""
        plan = self.plan(state) if state is not None else None
        return finished_entry(plan, state) if plan is not None and state is not None else None

    def workout_log(self, state: WorkoutState, status: str) -> dict[str, Any] | None:
        """The detailed log of `state`'s workout, or None when nothing of it was done."""
        plan = self.plan(state)
        if plan is None:
            return None
        log = workout_log(plan, state, status)
        return log if any(s["kind"] == MOVE for s in log["sets"]) else None

    def completed_moves(self, state: WorkoutState | None) -> int:
        """How many moves of the workout the person has finished (for the never-behind invariant)."""
        if state is None:
            return 0
        plan = self.plan(state)
        if plan is None:
            return 0
        if state.phase == FINISHED:
            return plan.move_count()
        index = self.position(state)
        return sum(1 for s in plan.steps[:index] if s.kind == MOVE)

    # -- time: where a barge-in landed -----------------------------------------------------------

    def settle(self, state: WorkoutState, now_ms: int) -> WorkoutState:
        """Turn a response in flight into a position: the segment being spoken at `now_ms`, or past its end."""
        if state.phase != PLAYING:
            return state
        plan = self.plan(state)
        assert plan is not None
        offset = now_ms - state.response_at_ms
        heard = tuple((s.step, state.response_at_ms + s.start_ms, s.duration_ms)
                      for s in state.timeline if s.end_ms <= offset)
        done = state.done + heard
        for seg in state.timeline:
            if offset < seg.end_ms:
                phase = DOING if offset >= seg.start_ms else READY
                # Cut off before the end: an upload offer at the end of this response was never heard.
                upload = "" if state.upload == OFFERED else state.upload
                return replace(state.at(plan.steps[seg.step].key, phase), updated_at_ms=now_ms, done=done,
                               step_started_ms=state.response_at_ms + seg.start_ms, upload=upload)
        after = state.timeline[-1].step + 1
        heard_all_at = min(now_ms, state.response_at_ms + state.timeline[-1].end_ms)
        if after >= len(plan.steps):
            return replace(state.at(plan.steps[-1].key, FINISHED), updated_at_ms=heard_all_at, done=done)
        return replace(state.at(plan.steps[after].key, READY), updated_at_ms=heard_all_at, done=done)

    def is_stale(self, state: WorkoutState, now_ms: int) -> bool:
        return now_ms - state.updated_at_ms > STALE_AFTER_MS

    # -- playing the workout ---------------------------------------------------------------------

    def play(
        self, plan: Plan, state: WorkoutState, index: int, now_ms: int, preamble: list[Prompt], result: str,
        teach: bool = False, command: Command | None = None,
    ) -> Outcome:
        """Speak the workout from step `index` on, as far as one response allows, and remember its timeline.

        With a live heart rate, a rest ends the response: the next request decides whether the heart has
        recovered (see `next`), since nothing reaches the skill while a response is being spoken.
        """
        heart_rate_live = command is not None and self._live(command, now_ms)
        offer_to = self._upload_offer(state, command)
        cost = self.measure(preamble)
        packed: list[tuple[Segment, list[Prompt], int]] = []  # each step's segment, prompts, praise count after
        praise = state.praise
        i = index
        while i < len(plan.steps):
            group, next_praise = self._step_prompts(plan, i, first=i == index, teach=teach, praise=praise)
            group_cost = self.measure(group)
            total = cost + group_cost + self.measure(self._tail(plan, i + 1, offer_to))
            if packed and (total.chars > self.budget.max_chars or total.seconds > self.budget.max_seconds):
                break
            packed.append((Segment(i, round(cost.seconds * 1000), round(group_cost.seconds * 1000)), group,
                           next_praise))
            cost = cost + group_cost
            praise = next_praise
            i += 1
            if heart_rate_live and plan.steps[i - 1].kind == REST and i < len(plan.steps):
                break
        heart_check = heart_rate_live and i < len(plan.steps) and i > 0 and plan.steps[i - 1].kind == REST
        if i < len(plan.steps) and not heart_check:
            # Out of room: end the response where a set or a rest ends, not between two arms or letters.
            ends = [n for n, (seg, _, _) in enumerate(packed, 1) if self._ends_set(plan, seg.step)]
            if ends:
                packed = packed[: ends[-1]]
                i = packed[-1][0].step + 1
                praise = packed[-1][2]
        segments = [seg for seg, _, _ in packed]
        speech = list(preamble) + [prompt for _, group, _ in packed for prompt in group]
        tail = [say("heart_check")] if heart_check else self._tail(plan, i, offer_to)
        finished = i >= len(plan.steps)
        offered = finished and bool(offer_to)
        new_state = replace(
            state.at(plan.steps[index].key, PLAYING),
            timeline=tuple(segments), response_at_ms=now_ms, updated_at_ms=now_ms, praise=praise,
            upload=OFFERED if offered else state.upload,
        )
        if offered:
            reprompt: tuple[Prompt, ...] = (say("upload_offer_reprompt", service=offer_to),)
        else:
            reprompt = () if finished else (say("continue_reprompt", at=self.where(plan, i)),)
        return Outcome(
            result=result,
            state=new_state,
            speech=tuple(speech + tail),
            reprompt=reprompt,
            end_session=finished and not offered,
        )

    @staticmethod
    def _upload_offer(state: WorkoutState, command: Command | None) -> str:
        """The service to offer the finished workout to: once per workout, and only to a linked account."""
        if command is None or not command.upload_service or not command.linked or state.upload:
            return ""
        return command.upload_service

    def _step_prompts(self, plan: Plan, i: int, first: bool, teach: bool, praise: int) -> tuple[list[Prompt], int]:
        step = plan.steps[i]
        if step.kind == REST:
            following = plan.steps[i + 1] if i + 1 < len(plan.steps) else None
            nxt = self.where(plan, i + 1) if following else None
            return [say("rest", seconds=step.rest_seconds, next=nxt)], praise
        out: list[Prompt] = []
        previous = plan.steps[i - 1] if i > 0 else None
        if plan.rounds > 1 and (first or previous is None or previous.round != step.round):
            out.append(say("round", round=step.round, rounds=plan.rounds))
        new_set = first or step.part == 0
        first_time = step.round == 1 and step.set == 1 and step.part == 0
        full_cues = first_time or (first and teach)
        if new_set:
            out.append(say("exercise", at=self.where(plan, i)))
            out.append(say("cue", exercise=step.exercise_id, full=full_cues))
        if step.part_kind == LETTER:
            out.append(say("letter", exercise=step.exercise_id, index=step.part, letter=step.part_label,
                           cue=not (new_set and full_cues and step.part == 0)))
        elif step.part_kind:
            out.append(say("part", kind=step.part_kind, label=step.part_label, switch=not new_set))
        out.append(say("count", reps_min=step.reps_min, reps_max=step.reps_max))
        if step.part == step.parts - 1:
            praise += 1
            out.append(say("praise", n=praise))
        return out, praise

    @staticmethod
    def _live(command: Command, now_ms: int) -> bool:
        return command.vitals is not None and command.vitals.fresh(now_ms)

    @staticmethod
    def _ends_set(plan: Plan, i: int) -> bool:
        """Whether a response may end after step `i`: after a rest, or after a set that no rest follows."""
        step = plan.steps[i]
        if step.kind == REST:
            return True
        following = plan.steps[i + 1] if i + 1 < len(plan.steps) else None
        return step.part == step.parts - 1 and (following is None or following.kind != REST)

    def _tail(self, plan: Plan, i: int, offer_to: str = "") -> list[Prompt]:
        if i >= len(plan.steps):
            w = plan.workout
            done = [say("finished", workout=w.name, rounds=w.rounds, days_per_week=w.days_per_week)]
            return done + ([say("upload_offer", service=offer_to)] if offer_to else [])
        return [say("continue", at=self.where(plan, i))]

    def where(self, plan: Plan, i: int) -> dict[str, Any]:
        """A plain description of step `i` for the speech layer."""
        step: Step = plan.steps[min(i, len(plan.steps) - 1)]
        return {
            "kind": step.kind,
            "exercise": step.exercise_id,
            "name": step.display_name,
            "part_kind": step.part_kind,
            "part_label": step.part_label,
            "parts": step.parts,
            "set": step.set,
            "sets": step.sets,
            "round": step.round,
            "rounds": plan.rounds,
            "reps_min": step.reps_min,
            "reps_max": step.reps_max,
            "rest_seconds": step.rest_seconds,
            "workout": plan.workout.name,
            "moves_left": sum(1 for s in plan.steps[i:] if s.kind == MOVE),
            "moves_left_in_round": sum(1 for s in plan.steps[i:] if s.kind == MOVE and s.round == step.round),
            "round_start": i == 0 or plan.steps[i - 1].round != step.round,
        }

    # -- the actions -----------------------------------------------------------------------------

    def _plan(self, state: WorkoutState) -> tuple[Plan, int]:
        plan = self.plan(state)
        assert plan is not None
        return plan, self.position(state)

    def _current_move(self, plan: Plan, state: WorkoutState, index: int) -> int:
        """The move the person is doing, or has just done when between moves or resting."""
        if plan.steps[index].kind == MOVE and state.phase in (DOING, PAUSED):
            return index
        for j in range(index - 1, -1, -1):
            if plan.steps[j].kind == MOVE:
                return j
        return next(j for j in range(index, len(plan.steps)) if plan.steps[j].kind == MOVE)

    def start(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        workout_id = command.workout
        if workout_id not in self.content.workouts:
            workout_id = self.content.default_workout.id
        equipment = command.equipment if self.content.workouts[workout_id].from_exercises else ()
        if (
            state is not None
            and state.workout == workout_id
            and state.equipment == equipment
            and state.phase != FINISHED
            and (self.position(state) > 0 or state.phase in (DOING, PAUSED))
        ):
            plan, index = self._plan(state)
            return self._keep(state, "offer_resume", [say("in_progress", at=self.where(plan, index))])
        plan = build_plan(self.content, workout_id, equipment)
        if not plan.steps:
            return self._keep(state, "no_exercises", [say("no_exercises", equipment=list(equipment))])
        fresh = WorkoutState(workout=workout_id, equipment=equipment, started_at_ms=now_ms)
        fresh = fresh.at(plan.steps[0].key, READY)
        w = plan.workout
        intro = say("intro", workout=w.name, moves=[name for _, name in self._move_names(plan)], rounds=w.rounds,
                    minutes=w.minutes, round_rest=w.rest_between_rounds_seconds,
                    set_rest=w.rest_between_sets_seconds)
        return self.play(plan, fresh, 0, now_ms, [intro], "started", command=command)

    def _move_names(self, plan: Plan) -> list[tuple[str, str]]:
        seen: dict[int, tuple[str, str]] = {}
        for s in plan.steps:
            if s.kind == MOVE and s.round == 1:
                seen.setdefault(s.exercise, (s.exercise_id, s.display_name))
        return list(seen.values())

    def start_over(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        if state is None:
            return self.start(None, Command(Cmd.START), now_ms)
        return self.start(None, Command(Cmd.START, workout=state.workout, equipment=state.equipment), now_ms)

    def next(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        target = index if state.phase == READY else index + 1
        if state.phase == DOING and state.step_started_ms:  # cut short, but done
            state = replace(state, done=(*state.done, (index, state.step_started_ms, now_ms - state.step_started_ms)))
        if target >= len(plan.steps):
            return self._finish(plan, state, now_ms, command=command)
        live = self._live(command, now_ms)
        previous = plan.steps[target - 1] if target > 0 else None
        if live and state.phase == READY and previous is not None and previous.kind == REST:
            decision = decide_rest(command.vitals, now_ms, previous.rest_seconds)
            if decision is not None and decision.extra_seconds:
                preamble = [say("heart_rate_high", bpm=decision.bpm, trend=decision.trend,
                                seconds=decision.extra_seconds),
                            say("rest", seconds=decision.extra_seconds, next=None, announce=False)]
                state = self._lengthen_rest(state, target - 1, decision.extra_seconds)
                return self.play(plan, state, target, now_ms, preamble, "rest_extended", command=command)
            if decision is not None:
                preamble = [say("heart_rate_recovered", bpm=decision.bpm)]
                return self.play(plan, state, target, now_ms, preamble, "recovered", command=command)
        return self.play(plan, state, target, now_ms, [], "next", command=command)

    @staticmethod
    def _lengthen_rest(state: WorkoutState, rest_step: int, seconds: int) -> WorkoutState:
        """The logged rest includes the extension the heart asked for."""
        done = list(state.done)
        for i in range(len(done) - 1, -1, -1):
            if done[i][0] == rest_step:
                step, start, duration = done[i]
                done[i] = (step, start, duration + seconds * 1000)
                break
        return replace(state, done=tuple(done))

    def resume(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        if command.new_session and self.is_stale(state, now_ms):
            return self.welcome_back(state, command, now_ms)
        plan, index = self._plan(state)
        teach = state.phase == PAUSED or command.new_session
        return self.play(plan, state, index, now_ms, [say("resuming")], "resumed", teach=teach, command=command)

    def repeat(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        target = self._current_move(plan, state, index)
        return self.play(plan, state, target, now_ms, [say("again")], "repeated", teach=True, command=command)

    def previous(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        current = self._current_move(plan, state, index)
        earlier = [j for j in range(current - 1, -1, -1) if plan.steps[j].kind == MOVE]
        if not earlier:
            return self.play(plan, state, current, now_ms, [say("at_start")], "at_start", teach=True, command=command)
        return self.play(plan, state, earlier[0], now_ms, [say("going_back")], "previous", teach=True, command=command)

    def skip(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        step = plan.steps[index]
        if step.kind == REST:
            return self.next(state, command, now_ms)
        same = (step.round, step.exercise)
        later = [
            j for j in range(index + 1, len(plan.steps))
            if plan.steps[j].kind == MOVE and (plan.steps[j].round, plan.steps[j].exercise) != same
        ]
        skipped = say("skipping", name=step.display_name)
        if not later:
            return self._finish(plan, state, now_ms, [skipped], command=command)
        return self.play(plan, state, later[0], now_ms, [skipped], "skipped", command=command)

    def _finish(
        self, plan: Plan, state: WorkoutState, now_ms: int, before: list[Prompt] | None = None,
        command: Command | None = None,
    ) -> Outcome:
        offer_to = self._upload_offer(state, command)
        done = replace(state.at(plan.steps[-1].key, FINISHED), updated_at_ms=now_ms,
                       upload=OFFERED if offer_to else state.upload)
        speech = tuple((before or []) + self._tail(plan, len(plan.steps), offer_to))
        if offer_to:
            return Outcome("finished", done, speech, reprompt=(say("upload_offer_reprompt", service=offer_to),))
        return Outcome("finished", done, speech, end_session=True)

    def pause(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        paused = replace(state.at(plan.steps[index].key, PAUSED), updated_at_ms=now_ms)
        return Outcome("paused", paused, (say("paused", at=self.where(plan, index)),), end_session=True)

    def already_paused(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        return Outcome("already_paused", state, (say("paused", at=self.where(plan, index)),), end_session=True)

    def status(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        plan, index = self._plan(state)
        at = self.where(plan, index)
        return self._keep(state, "status", [say("status", at=at, started=state.phase != READY)], back=True)

    def finished_status(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        assert state is not None
        w = self.content.workouts[state.workout]
        return self._keep(state, "workout_done", [say("workout_done", workout=w.name)])

    def explain(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        exercise = command.exercise
        if not exercise and not command.heard and state is not None and state.phase != FINISHED:
            plan, index = self._plan(state)  # "how do I do this one?": the move under way
            exercise = plan.steps[self._current_move(plan, state, index)].exercise_id
        if exercise in self.content.exercises:
            prompts = [say("explain", exercise=exercise)]
            result = "explained"
        elif command.heard:
            names = [ex.name for ex in closest_exercises(self.content, command.heard)]
            prompts = [say("unknown_exercise", heard=command.heard, suggestions=names)]
            result = "unknown_exercise"
        else:
            prompts = [say("which_exercise")]
            result = "which_exercise"
        return self._keep(state, result, prompts, back=True)

    def help(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return self._keep(state, "help", [say("help")], back=True)

    def fallback(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return self._keep(state, "fallback", [say("fallback")], back=True)

    def welcome(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return self._keep(state, "welcome", [say("welcome")])

    def welcome_back(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        """A workout under way: picked up at once if recent, offered as "resume or start over" if old."""
        assert state is not None
        plan, index = self._plan(state)
        if not self.is_stale(state, now_ms):
            welcome = say("welcome_back_resume", at=self.where(plan, index))
            return self.play(plan, state, index, now_ms, [welcome], "resumed", teach=True, command=command)
        return self._keep(state, "offer_resume", [say("welcome_back", at=self.where(plan, index))])

    def stop(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        if state is None or state.phase == FINISHED:
            return Outcome("stopped", state, (say("goodbye"),), end_session=True)
        plan, index = self._plan(state)
        return Outcome("stopped", state, (say("stopped", at=self.where(plan, index)),), end_session=True)

    def pair(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        if not command.code:
            return self._keep(state, "wearable_unavailable", [say("wearable_unavailable")], back=True)
        return Outcome("pairing_code", state, (say("pair_code", code=command.code, minutes=PAIRING_MINUTES),),
                       end_session=True)

    def unpair(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return self._keep(state, "unpaired", [say("unpaired")], back=True)

    def set_recovery(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        bpm = command.number
        if bpm is None or not RECOVERY_BPM_RANGE[0] <= bpm <= RECOVERY_BPM_RANGE[1]:
            low, high = RECOVERY_BPM_RANGE
            return self._keep(state, "out_of_range", [say("recovery_range", low=low, high=high)], back=True)
        return self._keep(state, "recovery_set", [say("recovery_set", bpm=bpm)], back=True)

    def set_age(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        age = command.number
        if age is None or not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
            return self._keep(state, "out_of_range", [say("age_range", low=AGE_RANGE[0], high=AGE_RANGE[1])],
                              back=True)
        speech = say("age_set", max=round(max_heart_rate(age)), bpm=recovery_threshold(age=age))
        return self._keep(state, "age_set", [speech], back=True)

    def history(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        """How many workouts this week (Monday to now, UTC) against the article's plan, and the last one."""
        week_start = week_start_ms(now_ms)
        this_week = [h for h in command.history if h.get("finished_at_ms", 0) >= week_start]
        plan_days = self.content.default_workout.days_per_week
        last = command.history[-1] if command.history else None
        if last is None:
            return self._keep(state, "history", [say("history_none", days=plan_days)], back=True)
        workout = self.content.workouts.get(last.get("workout", ""))
        speech = [say("history", count=len(this_week), days=plan_days, last_workout=workout.name if workout else "",
                      last_sets=last.get("sets", 0), last_days_ago=days_between(last["finished_at_ms"], now_ms))]
        return self._keep(state, "history", speech, back=True)

    def upload(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        """"Send my workout to Strava": the finished workout is queued once; the turn runner does the queueing."""
        service = command.upload_service
        if not service:
            return self._keep(state, "uploads_unavailable", [say("uploads_unavailable")], back=True)
        if state is None or state.phase != FINISHED:
            return self._keep(state, "upload_nothing", [say("upload_nothing", service=service)], back=True)
        if state.upload == QUEUED:
            return self._keep(state, "upload_already", [say("upload_already", service=service)])
        if not command.linked:
            return self._keep(state, "link_account", [say("link_account", service=service)])
        return Outcome("upload_queued", replace(state, upload=QUEUED), (say("upload_queued", service=service),),
                       end_session=True)

    def yes(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        """Yes to the upload offer; anywhere else a yes answers no question, so it gets the fallback."""
        if state is not None and state.upload == OFFERED:
            return self.upload(state, command, now_ms)
        return self.fallback(state, command, now_ms)

    def no(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        if state is not None and state.upload == OFFERED:
            return Outcome("upload_declined", replace(state, upload=DECLINED), (say("upload_declined"),),
                           end_session=True)
        return self.fallback(state, command, now_ms)

    def storage_unavailable(self) -> Outcome:
        """What to say when the person's saved workout cannot be read: nothing is changed or written."""
        return Outcome("storage_unavailable", None, (say("storage_down"),), reprompt=(say("reprompt", at=None),))

    def session_end(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return Outcome("session_ended", state, (), end_session=True)

    def no_workout(self, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
        return self._keep(state, "no_workout", [say("no_workout")])

    def _keep(self, state: WorkoutState | None, result: str, speech: list[Prompt], back: bool = False) -> Outcome:
        """An answer that leaves the workout where it is, with the session open.

        With `back`, the answer ends by telling the person how to get back to the workout in progress.
        """
        at = None
        if state is not None and state.phase != FINISHED:
            plan, index = self._plan(state)
            at = self.where(plan, index)
        if back and at is not None:
            speech = [*speech, say("back_to_workout", at=at)]
        return Outcome(result, state, tuple(speech), reprompt=(say("reprompt", at=at),))


ANY = "*"
TRANSITIONS: dict[Cmd, dict[str, Action]] = {
    Cmd.LAUNCH: {NONE: Coach.welcome, FINISHED: Coach.welcome, ANY: Coach.welcome_back},
    Cmd.START: {ANY: Coach.start},
    Cmd.START_OVER: {ANY: Coach.start_over},
    Cmd.NEXT: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.next},
    Cmd.RESUME: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.resume},
    Cmd.REPEAT: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.repeat},
    Cmd.PREVIOUS: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.previous},
    Cmd.SKIP: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.skip},
    Cmd.PAUSE: {
        NONE: Coach.no_workout, FINISHED: Coach.finished_status, PAUSED: Coach.already_paused, ANY: Coach.pause,
    },
    Cmd.STATUS: {NONE: Coach.no_workout, FINISHED: Coach.finished_status, ANY: Coach.status},
    Cmd.EXPLAIN: {ANY: Coach.explain},
    Cmd.HELP: {ANY: Coach.help},
    Cmd.FALLBACK: {ANY: Coach.fallback},
    Cmd.STOP: {ANY: Coach.stop},
    Cmd.SESSION_END: {ANY: Coach.session_end},
    Cmd.PAIR: {ANY: Coach.pair},
    Cmd.UNPAIR: {ANY: Coach.unpair},
    Cmd.SET_RECOVERY: {ANY: Coach.set_recovery},
    Cmd.SET_AGE: {ANY: Coach.set_age},
    Cmd.HISTORY: {ANY: Coach.history},
    Cmd.UPLOAD: {ANY: Coach.upload},
    Cmd.YES: {FINISHED: Coach.yes, ANY: Coach.fallback},
    Cmd.NO: {FINISHED: Coach.no, ANY: Coach.fallback},
}

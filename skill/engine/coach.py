"""The coach of one language: the content, the speech layer's measure and the response budget, and where a saved
workout state is in its plan. Every action of the engine takes one; the front door (skill.engine.decide) picks
the action.

Pure: it imports no Alexa, AWS or web framework code. The speech layer is injected as a `Measure`, so the
engine can pack as much of the workout into one response as the `Budget` allows.
"""

from __future__ import annotations

from skill.content.schema import Content
from skill.engine.plan import MOVE, Plan, build_plan
from skill.engine.script import Budget, Measure
from skill.engine.state import FINISHED, PLAYING, WorkoutState
from skill.engine.timeline import settle
from skill.engine.views import Where, where


class Coach:
    def __init__(self, content: Content, measure: Measure, budget: Budget) -> None:
        self.content = content
        self.measure = measure
        self.budget = budget

    def plan(self, state: WorkoutState) -> Plan | None:
        """The plan of the state's workout, or None when the state is not a valid place in it."""
        if state.workout not in self.content.workouts:
            return None
        plan = build_plan(self.content, state.workout, state.equipment)
        if plan.index(state.position) is None:
            return None
        if state.phase == PLAYING and (not state.timeline or any(plan.index(s.step) is None for s in state.timeline)):
            return None
        return plan

    def placed(self, state: WorkoutState) -> tuple[Plan, int]:
        """The plan of a state the engine has checked, and the index of its position in it."""
        plan = self.plan(state)
        assert plan is not None
        index = plan.index(state.position)
        assert index is not None
        return plan, index

    def position(self, state: WorkoutState) -> int:
        return self.placed(state)[1]

    def settle(self, state: WorkoutState, now_ms: int) -> WorkoutState:
        plan = self.plan(state)
        return settle(plan, state, now_ms) if plan is not None else state

    def where(self, plan: Plan, i: int) -> Where:
        return where(plan, i)

    def completed_moves(self, state: WorkoutState | None) -> int:
        """How many moves of the workout the person has finished (for the never-behind invariant)."""
        if state is None or self.plan(state) is None:
            return 0
        plan, index = self.placed(state)
        if state.phase == FINISHED:
            return plan.move_count()
        return sum(1 for s in plan.steps[:index] if s.kind == MOVE)

"""The article's content as validated data: exercises, workouts, progressions, muscles."""

from skill.content.loader import load_content
from skill.content.schema import Content, ContentError, Exercise, Workout

__all__ = ["Content", "ContentError", "Exercise", "Workout", "load_content"]

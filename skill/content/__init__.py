"""The coaching content as validated data: facts from the article, in the project's own words."""

from skill.content.loader import load_content
from skill.content.schema import Content, ContentError, Exercise, Workout

__all__ = ["Content", "ContentError", "Exercise", "Workout", "load_content"]

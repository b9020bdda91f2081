"""Every move maps to a FIT exercise category and name that Garmin's own SDK profile knows."""

from __future__ import annotations

from garmin_fit_sdk import Profile

from skill.activity.export import fit_mapping, fit_names
from skill.content.schema import Content


def test_every_exercise_has_a_fit_name_from_the_profile(content: Content) -> None:
    types = Profile["types"]
    categories = set(types["exercise_category"].values())
    assert set(fit_mapping()) == set(content.exercises)
    for exercise in content.exercises.values():
        parts = exercise.letters or ("",)
        for index in range(len(parts)):
            category, subtype = fit_names(exercise.id, index)
            assert category in categories, exercise.id
            assert subtype in types[f"{category}_exercise_name"].values(), (exercise.id, subtype)


def test_the_i_y_t_letters_each_have_their_own_name() -> None:
    assert [fit_names("i_y_t", i)[1] for i in range(3)] == ["floor_i_raise", "floor_y_raise", "floor_t_raise"]
    assert fit_names("band_pull_apart", 0) == ("banded_exercises", "pull_apart")

"""The content is the article's, carried over as data: every exercise, number and cue."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from skill.content import ContentError, load_content
from skill.content.lookup import closest_exercises, find_equipment, find_exercise, find_workout
from skill.content.schema import Content
from tests.conftest import ARTICLE


def _flat(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(text.casefold().split())


@pytest.fixture(scope="module")
def article(content: Content) -> str:
    text = _flat(ARTICLE.read_text(encoding="utf-8"))
    for wrong, right in content.guide.errata.items():
        assert _flat(wrong) in text, f"erratum {wrong!r} is not in the article"
        text = text.replace(_flat(wrong), _flat(right))
    return text


def _in_article(sentence: str, article: str) -> bool:
    return _flat(sentence).rstrip(".") in article


def test_all_fifteen_article_exercises_in_order(content: Content) -> None:
    listed = [ex for ex in content.exercises.values() if ex.in_article_list]
    assert [ex.number for ex in listed] == list(range(1, 16))
    headings = re.findall(r"^Exercise (\d+): (.+)$", ARTICLE.read_text(encoding="utf-8"), re.M)
    assert [(int(n), name.strip()) for n, name in headings] == [(ex.number, ex.name) for ex in listed]


def test_every_cue_is_the_articles_own_sentence(content: Content, article: str) -> None:
    for ex in content.exercises.values():
        for sentence in (*ex.cues, *ex.letter_cues):
            assert _in_article(sentence, article), f"{ex.id}: {sentence!r} is not in the article"


def test_prescriptions_are_verbatim_and_their_numbers_match(content: Content, article: str) -> None:
    for ex in content.exercises.values():
        if not ex.in_article_list:
            assert ex.prescription is None
            continue
        p = ex.prescription
        assert p is not None and _in_article(p.text, article), ex.id
        sets, low, high = re.search(r"(\d+) sets of (\d+)(?:-(\d+))? repetitions", p.text).groups()
        assert (p.sets, p.reps_min, p.reps_max) == (int(sets), int(low), int(high or low)), ex.id
        assert p.per_arm == ("(per arm)" in p.text), ex.id
        assert (p.modifier in p.text) if p.modifier else True


def test_the_article_special_cases(content: Content) -> None:
    iyt = content.exercises["i_y_t"]
    assert iyt.prescription.text.endswith("5 repetitions for each letter.") and iyt.letters == ("I", "Y", "T")
    inverted = content.exercises["inverted_row"]
    assert inverted.prescription.modifier == "bend the knees"
    assert {ex.id for ex in content.exercises.values() if ex.sides} == {
        "single_arm_kettlebell_row", "bow_and_arrow_row", "single_arm_mini_loop_pulldown",
    }


def test_six_minute_workout_matches_the_articles_table(content: Content) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    w = content.workouts["six_minute"]
    assert w.source in text and w.rounds == 2 and w.rest_between_rounds_seconds == 30 and w.days_per_week == 5
    assert "Rest | 30 seconds |" in text
    for move in w.move:
        assert move.table_row in text
        numbers = [int(n) for n in re.findall(r"\d+", move.table_row)]
        assert move.reps == numbers[0] and all(n == move.reps for n in numbers)
    pull_apart = w.move[0]
    assert pull_apart.parts == ("overhand grip", "underhand grip")


def test_full_session_follows_the_weekly_advice(content: Content) -> None:
    w = content.workouts["full_session"]
    assert w.source in ARTICLE.read_text(encoding="utf-8")
    assert w.max_exercises == 6  # the low end of "6-10 exercises each week"
    assert len(w.from_exercises) == 15


def test_progressions_and_muscles(content: Content, article: str) -> None:
    assert [p.id for p in content.guide.progression] == ["pause_reps", "eccentric_focus", "unilateral", "stance"]
    for item in (*[p.name for p in content.guide.progression], *content.guide.muscles):
        assert _in_article(item, article), item


def test_names_and_synonyms_find_their_exercise(content: Content) -> None:
    for said, expected in [
        ("bent over row", "bentover_dumbbell_row"), ("dumbbell row", "bentover_dumbbell_row"),
        ("pull aparts", "band_pull_apart"), ("IYT", "i_y_t"), ("I Y T raises", "i_y_t"),
        ("the I-Y-T", "i_y_t"), ("Bow & Arrow Row", "bow_and_arrow_row"), ("single arm pulldown",
         "single_arm_mini_loop_pulldown"),
    ]:
        assert find_exercise(content, said).id == expected, said
    assert find_exercise(content, "burpee") is None
    assert "band_pull_apart" in [e.id for e in closest_exercises(content, "band pull")]
    assert closest_exercises(content, "bentover rows")[0].id == "bentover_dumbbell_row"
    assert find_workout(content, "full back workout").id == "full_session"
    assert find_equipment(content, "resistance band") == "band"


def _copy_content(tmp_path: Path) -> Path:
    source = Path(load_content.__wrapped__.__code__.co_filename).parent  # the package's content directory
    for name in ("exercises.toml", "workouts.toml", "guide.toml"):
        shutil.copy(source / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('reps_max = 15', 'reps_max = "fifteen"'),
         "exercises.toml: exercise 'band_pull_apart': field 'prescription': field 'reps_max'"),
        (('key_cue = "Make sure not to row', 'key_cue = "Make sure to row'),
         "exercises.toml: exercise 'band_pull_apart': field 'key_cue'"),
        (('equipment = ["band"]\nsteps = [\n  "Stand tall', 'equipment = ["rope"]\nsteps = [\n  "Stand tall'),
         "exercises.toml: exercise 'band_pull_apart': field 'equipment'"),
        (('spoken_name = "band pull apart"\n', ''), "exercises.toml: exercise 'band_pull_apart': field 'spoken_name'"),
    ],
)
def test_a_broken_content_file_names_file_exercise_and_field(tmp_path: Path, edit: tuple[str, str], message: str):
    directory = _copy_content(tmp_path)
    path = directory / "exercises.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(directory)
    assert str(raised.value).startswith(message)


def test_a_workout_naming_an_unknown_exercise_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "workouts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('exercise = "i_y_t"', 'exercise = "i_y_z"'))
    with pytest.raises(ContentError, match=r"workouts\.toml: workout 'six_minute': field 'move': unknown exercise"):
        load_content(directory)

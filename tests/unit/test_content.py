"""The content: the article's facts and numbers, kept exactly, in the project's own words, written for the ear.

Nothing here reads the article. Its facts are the small tables below; its wording is present only as SHA-256
hashes of its normalised eight-word sequences and sentences (tests/data/article_hashes.json).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import statistics
from pathlib import Path

import pytest

from skill.content import ContentError, load_content, voice
from skill.content.lookup import closest_exercises, find_equipment, find_exercise, find_letter, find_workout
from skill.content.schema import Content
from skill.engine.script import say
from skill.speech import prompts
from skill.speech.readable import to_text
from skill.speech.ssml import Speech
from skill.speech.words import number_words
from tests.conftest import REPO

# -- the article's facts, as a table -------------------------------------------------------------------------

# number, name, equipment (any one), sets, reps_min, reps_max, per arm
EXERCISES = [
    (1, "Bentover Dumbbell Row", {"dumbbells"}, 3, 8, 12, False),
    (2, "Band Pull Apart", {"band"}, 3, 10, 15, False),
    (3, "TRX Low Row", {"trx"}, 3, 8, 12, False),
    (4, "Resistance Band High Row", {"band"}, 3, 8, 12, False),
    (5, "Rear Delt Fly", {"dumbbells"}, 3, 8, 12, False),
    (6, "Single Arm Kettlebell Row", {"kettlebell"}, 3, 8, 10, True),
    (7, "Resistance Band Face Pull", {"band"}, 3, 8, 12, False),
    (8, "Lat Pulldown", {"machine", "band"}, 3, 8, 12, False),
    (9, "Bow & Arrow Row", {"band"}, 3, 8, 12, True),
    (10, "Single Arm Mini Loop Pulldown", {"band"}, 3, 8, 12, True),
    (11, "Superman With Mini Loop Pull", {"band"}, 3, 8, 10, False),
    (12, "Scapular Push Ups", {"none"}, 3, 5, 8, False),
    (13, "TRX External Rotation", {"trx"}, 3, 6, 8, False),
    (14, "I-Y-T", {"none"}, 3, 5, 5, False),  # five for each letter
    (15, "Inverted Row", {"trx", "barbell"}, 3, 6, 8, False),  # beginners bend the knees
]
# The six minute circuit's table: exercise, reps, grips; then 30 s rest, two rounds, five days a week.
CIRCUIT = [
    ("band_pull_apart", 10, ("overhand grip", "underhand grip")),
    ("single_arm_mini_loop_pulldown", 10, ()),  # on each arm
    ("i_y_t", 5, ()),  # per letter
    ("resistance_band_row_with_pause", 8, ()),
]
CIRCUIT_REST_SECONDS, CIRCUIT_ROUNDS, DAYS_PER_WEEK, CIRCUIT_MINUTES = 30, 2, 5, 6
WEEKLY_EXERCISES = (6, 10)
PROGRESSIONS = ["pause_reps", "eccentric_focus", "unilateral", "stance"]
MUSCLES = {"rhomboids", "posterior deltoid", "trapezius", "infraspinatus", "teres major", "teres minor"}
MUSCLES_MINOR = {"latissimus dorsi"}


def test_the_fifteen_exercises_in_the_articles_order_with_its_numbers(content: Content) -> None:
    listed = [ex for ex in content.exercises.values() if ex.in_article_list]
    assert len(content.exercises) == 16  # the fifteen, and the circuit's band row with pause
    assert [(ex.number, ex.name) for ex in listed] == [(row[0], row[1]) for row in EXERCISES]
    for ex, (_, _, equipment, sets, low, high, per_arm) in zip(listed, EXERCISES, strict=True):
        rx = ex.prescription
        assert set(ex.equipment) == equipment, ex.id
        assert (rx.sets, rx.reps_min, rx.reps_max, rx.per_arm) == (sets, low, high, per_arm), ex.id
    assert content.exercises["resistance_band_row_with_pause"].prescription is None


def test_the_special_cases(content: Content) -> None:
    iyt = content.exercises["i_y_t"]
    assert iyt.letters == ("I", "Y", "T") and len(iyt.letter_cues) == 3
    assert "knees bent" in content.exercises["inverted_row"].prescription.modifier
    assert {ex.id for ex in content.exercises.values() if ex.sides} == {
        "single_arm_kettlebell_row", "bow_and_arrow_row", "single_arm_mini_loop_pulldown",
    }
    assert content.exercises["single_arm_kettlebell_row"].sides == ("right", "left")


def test_the_six_minute_circuit_matches_the_articles_table(content: Content) -> None:
    w = content.workouts["six_minute"]
    assert [(m.exercise, m.reps, m.parts) for m in w.move] == CIRCUIT
    assert (w.rest_between_rounds_seconds, w.rest_between_sets_seconds) == (CIRCUIT_REST_SECONDS, 0)
    assert (w.rounds, w.days_per_week, w.minutes) == (CIRCUIT_ROUNDS, DAYS_PER_WEEK, CIRCUIT_MINUTES)
    assert w.move[1].name == "Single Arm Pulldown" and content.exercises[w.move[1].exercise].prescription.per_arm


def test_the_full_session_follows_the_weekly_advice(content: Content) -> None:
    w = content.workouts["full_session"]
    assert w.max_exercises == WEEKLY_EXERCISES[0]
    assert list(w.from_exercises) == [ex.id for ex in content.exercises.values() if ex.in_article_list]
    assert "six to ten" in content.guide.weekly_exercises
    assert "five days a week" in content.guide.frequency


def test_progressions_and_muscles(content: Content) -> None:
    assert [p.id for p in content.guide.progression] == PROGRESSIONS
    assert all(p.name and p.description for p in content.guide.progression)
    assert set(content.guide.muscles) == MUSCLES and set(content.guide.muscles_minor) == MUSCLES_MINOR


def test_prescriptions_are_said_in_words(speech: Speech) -> None:
    said = {ex: to_text(speech.ssml([say("explain", exercise=ex)])) for ex in ("band_pull_apart", "i_y_t",
                                                                            "bow_and_arrow_row", "inverted_row")}
    assert "three sets of ten to fifteen reps." in said["band_pull_apart"]
    assert "three sets of five reps in each position." in said["i_y_t"]
    assert "three sets of eight to twelve reps each arm." in said["bow_and_arrow_row"]
    assert "Keep your knees bent to make it easier. Start with three sets of six to eight reps." in said["inverted_row"]
    assert not any(re.search(r"\d", text) for text in said.values())
    assert [number_words(n) for n in (0, 7, 15, 20, 30, 45, 100, 142)] == [
        "zero", "seven", "fifteen", "twenty", "thirty", "forty five", "one hundred", "one hundred forty two"]


# -- in our own words ----------------------------------------------------------------------------------------

HASHES = json.loads((REPO / "tests" / "data" / "article_hashes.json").read_text(encoding="utf-8"))
NGRAM = HASHES["ngram"]


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9']+", text)


def _hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def shared_with_article(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The runs of eight or more words that `text` shares with the article, and whole article sentences of
    three or more words other than `names` (the article's exercise names are facts the coach says)."""
    words = _words(text)
    ngrams = set(HASHES["ngram_hashes"])
    found = [" ".join(words[i:i + NGRAM]) for i in range(len(words) - NGRAM + 1)
             if _hash(words[i:i + NGRAM]) in ngrams]
    sentences = set(HASHES["sentence_hashes"])
    found += [s for s in re.split(r"(?<=[.!?])\s+", text)
              if len(_words(s)) >= 3 and _hash(_words(s)) in sentences and " ".join(_words(s)) not in names]
    return found


def _prompt_strings() -> list[str]:
    out: list[str] = []
    for name in dir(prompts):
        value = getattr(prompts, name)
        values = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        out += [v for v in values if isinstance(v, str) and name.isupper()]
    return out


def _content_strings(content: Content, speech: Speech) -> list[str]:
    out: list[str] = []
    for ex in content.exercises.values():
        out += ex.spoken_lines
        out.append(to_text(speech.ssml([say("explain", exercise=ex.id)])))
    out += content.guide.spoken_lines
    out += [p.name for p in content.guide.progression]
    out += [w.spoken_name for w in content.workouts.values()]
    return out


def test_the_hash_file_holds_only_hashes() -> None:
    assert len(HASHES["ngram_hashes"]) > 2000 and NGRAM == 8
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in HASHES["ngram_hashes"] + HASHES["sentence_hashes"])
    # the check works: the hashes are of eight-word runs, normalised the way _words does it
    assert shared_with_article("") == [] and shared_with_article("Stand tall, breathe out, row.") == []


def test_no_spoken_string_shares_eight_words_with_the_article(content: Content, speech: Speech) -> None:
    strings = _content_strings(content, speech) + _prompt_strings()
    assert len(strings) > 150
    names = frozenset(" ".join(_words(name)) for ex in content.exercises.values()
                      for name in (ex.name, ex.spoken_name, *ex.synonyms))
    copied = {s: shared_with_article(s, names) for s in strings}
    assert {s: found for s, found in copied.items() if found} == {}


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_the_docs_do_not_copy_the_article(doc: str) -> None:
    words = _words((REPO / doc).read_text(encoding="utf-8"))
    ngrams = set(HASHES["ngram_hashes"])
    assert [" ".join(words[i:i + NGRAM]) for i in range(len(words) - NGRAM + 1)
            if _hash(words[i:i + NGRAM]) in ngrams] == []


# -- written for the ear -------------------------------------------------------------------------------------


def _cue_sentences(content: Content) -> list[str]:
    lines = [line for ex in content.exercises.values() for line in (*ex.teaching, ex.key_cue, *ex.letter_cues)]
    return [s for line in lines for s in voice.sentences(line)]


def test_cue_sentences_are_short_and_plain(content: Content) -> None:
    sentences = _cue_sentences(content)
    lengths = [voice.word_count(s) for s in sentences]
    assert 8 <= statistics.mean(lengths) <= 12, statistics.mean(lengths)
    assert max(lengths) <= voice.MAX_SENTENCE_WORDS
    for s in sentences:
        assert voice.problems(s) == [], s
        assert not re.search(r"\b(red|green|photo|picture|pictured|shown)\b", s, re.I), s


def test_every_exercise_has_a_setup_cues_cautions_and_a_key_cue(content: Content) -> None:
    for ex in content.exercises.values():
        assert 1 <= len(voice.sentences(ex.setup)) <= 2, ex.id
        assert 2 <= len(ex.cues) <= 4 and 1 <= len(ex.cautions) <= 2, ex.id
        assert len(voice.sentences(ex.key_cue)) == 1 and voice.word_count(ex.key_cue) <= 12, ex.id
        assert all(len(voice.sentences(c)) == 1 for c in (*ex.cues, *ex.cautions, *ex.letter_cues)), ex.id


def test_the_i_y_t_has_one_short_line_per_letter(content: Content) -> None:
    iyt = content.exercises["i_y_t"]
    assert [len(voice.sentences(c)) for c in iyt.letter_cues] == [1, 1, 1]
    assert all(voice.word_count(c) <= 10 for c in iyt.letter_cues)
    assert " Y" in iyt.letter_cues[1]


# -- finding things by name ----------------------------------------------------------------------------------


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
    # A letter of the I-Y-T heard as a word: "how do I do the why?"
    said = ("why", "Tea", "eye", "Y position", "t", "why position", "tee position", "wye", "position")
    assert [find_letter(content, s) for s in said] == ["Y", "T", "I", "Y", "T", "Y", "T", "", ""]


# -- a broken file is refused, naming file, item and field ---------------------------------------------------


def _copy_content(tmp_path: Path) -> Path:
    source = Path(load_content.__wrapped__.__code__.co_filename).parent  # the package's content directory
    for name in ("exercises.toml", "workouts.toml", "guide.toml"):
        shutil.copy(source / name, tmp_path / name)
    return tmp_path


BAND = "exercises.toml: exercise 'band_pull_apart': field "


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("reps_max = 15", 'reps_max = "fifteen"'), BAND + "'prescription': field 'reps_max'"),
        (('key_cue = "Sweep your arms wide with soft elbows."', 'key_cue = "Sweep wide. Then squeeze."'),
         BAND + "'key_cue': needs 1 to 1 sentence"),
        (('equipment = ["band"]\nsetup = "Stand tall and hold', 'equipment = ["rope"]\nsetup = "Stand tall and hold'),
         BAND + "'equipment'"),
        (('spoken_name = "band pull apart"\n', ""), BAND + "'spoken_name'"),
        (("Keep a little bend in your elbows.", "Keep a little bend (not much) in your elbows."),
         BAND + "'cues[0]': no parentheses in speech"),
        (("Keep a little bend in your elbows.", "Keep a little bend in your elbows " + "and then " * 8 + "go."),
         BAND + "'cues[0]': 24 words in one sentence (at most 20)"),
        (("Keep a little bend in your elbows.", "Keep a little bend in your elbows. Breathe."),
         BAND + "'cues[0]': one sentence per cue"),
        (("hold the band out in front of you", "hold a red band out in front of you"),
         BAND + "'setup': 'red' describes a picture"),
        (("reps_max = 15", "reps_max = 15\nmodifier = \"Do 10 to 15.\""),
         BAND + "'prescription.modifier': numbers are spoken as words"),
        (('  "Never let your elbows lock straight.",\n', ""), None),  # one caution is enough
        (('cautions = [\n  "Open your arms out to the sides instead of pulling your elbows back.",\n'
          '  "Never let your elbows lock straight.",\n]', "cautions = []"), BAND + "'cautions': needs 1 to 2"),
    ],
)
def test_a_broken_content_file_names_file_exercise_and_field(
    tmp_path: Path, edit: tuple[str, str], message: str | None,
) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "exercises.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    if message is None:
        load_content(directory)
        return
    with pytest.raises(ContentError) as raised:
        load_content(directory)
    assert str(raised.value).startswith(message)


def test_a_guide_line_that_breaks_the_voice_rules_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "guide.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("five days a week", "5 days a week"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"guide\.toml: guide: field 'frequency': numbers are spoken as words"):
        load_content(directory)


def test_a_workout_naming_an_unknown_exercise_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "workouts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('exercise = "i_y_t"', 'exercise = "i_y_z"'))
    with pytest.raises(ContentError, match=r"workouts\.toml: workout 'six_minute': field 'move': unknown exercise"):
        load_content(directory)

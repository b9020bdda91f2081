"""The audio mode's plan and decisions, pure: every step has its clips, a rest follows the heart within the same
bounds as the speech mode, and a stop lands exactly where AudioPlayer says."""

from __future__ import annotations

from skill.alexa.player import MAX_TOKEN, Token, parse_token
from skill.engine import stream
from skill.engine.audio_plan import COUNT_IN, INTRO, MAIN, MORE, after, all_tracks, find, first_track, step_tracks
from skill.engine.commands import Cmd, Played
from skill.engine.plan import MOVE, REST, build_plan
from skill.engine.rest import MAX_REST_SECONDS, Vitals
from skill.speech.ssml import check
from tests.engine import Ask, handle

NOW = 1_795_000_000_000


def test_every_step_has_its_clips_and_what_they_say_is_the_speech_layers(content, speech) -> None:
    for workout in content.workouts:
        plan = build_plan(content, workout)
        for i, step in enumerate(plan.steps):
            parts = [t.part for t in step_tracks(plan, i)]
            assert MAIN in parts and (COUNT_IN in parts) == (step.kind == REST)
        for track in all_tracks(plan):
            ssml = speech.ssml(track.prompts)
            assert check(ssml) == [], (track.step, track.part)
            assert find(plan, track.step, track.part) is not None


def test_a_token_names_the_workout_the_step_and_the_clip_within_alexas_limit(content) -> None:
    plan = build_plan(content, "full_session", ("band",))
    longest = max((t.step for t in all_tracks(plan)), key=len)
    token = Token("full_session", NOW, longest, f"{MORE}9", "f" * 40)
    assert len(str(token)) <= MAX_TOKEN and parse_token(str(token)) == token
    assert parse_token("someone-else's-token") is None and parse_token(None) is None


def test_the_plan_plays_through_in_order(content) -> None:
    plan = build_plan(content, "six_minute")
    track, seen = first_track(plan, 0, intro=True), []
    while track is not None:
        seen.append((track.step, track.part))
        track = after(plan, track)
    assert seen == [(t.step, t.part) for i in range(len(plan.steps)) for t in step_tracks(plan, i)]
    assert seen[0][1] == INTRO and seen[-1][1] == "end"


def fresh(bpm: int, threshold: int = 100) -> Vitals:
    return Vitals(tuple((NOW - 1000 * k, bpm) for k in range(10, 0, -1)), threshold)


def event(coach, state, name: Cmd, track, now_ms: int, offset_ms: int = 0, vitals: Vitals | None = None):
    """A player event about `track` of the workout under way, through the engine's front door."""
    played = Played(state.workout, state.started_at_ms, track.step, track.part, offset_ms)
    return handle(coach, state, Ask(name, played=played, player=True, vitals=vitals), now_ms)


def begin(coach):
    return handle(coach, None, Ask(Cmd.START, player=True), NOW)


def test_a_rest_lengthens_while_the_heart_is_up_and_never_past_the_cap(coach, content) -> None:
    state = begin(coach).state
    plan = build_plan(content, "six_minute")
    rest = next(i for i, s in enumerate(plan.steps) if s.kind == REST)
    track = find(plan, plan.steps[rest].id, MAIN)
    extras = 0
    near = Cmd.PLAYBACK_NEARLY_FINISHED
    while True:
        decided = event(coach, state, near, track, NOW, vitals=fresh(150))
        if decided.cue.track.part == COUNT_IN:
            break
        extras += 1
        track = decided.cue.track
        assert decided.cue.kind == stream.ENQUEUE and decided.cue.previous is not None
    assert 30 + 15 * extras <= MAX_REST_SECONDS + 15 and extras >= 5
    hold = find(plan, plan.steps[rest].id, MAIN)
    assert event(coach, state, near, hold, NOW, vitals=fresh(90)).cue.track.part == COUNT_IN  # recovered
    assert event(coach, state, near, hold, NOW).cue.track.part == COUNT_IN  # no watch: as written
    stale = Vitals(((NOW - 60_000, 170),), 100)
    assert event(coach, state, near, hold, NOW, vitals=stale).cue.track.part == COUNT_IN


def test_a_stop_saves_the_exact_place_and_resume_goes_a_little_back(coach, content) -> None:
    state = begin(coach).state
    plan = build_plan(content, "six_minute")
    move = next(i for i, s in enumerate(plan.steps) if s.kind == MOVE and i > 2)
    track = find(plan, plan.steps[move].id, MAIN)
    playing = event(coach, state, Cmd.PLAYBACK_STARTED, track, NOW + 1000).state
    paused = event(coach, playing, Cmd.PLAYBACK_STOPPED, track, NOW + 2000, offset_ms=12_345).state
    assert (paused.phase, paused.position, paused.track, paused.offset_ms) == ("paused", track.step, MAIN, 12_345)
    resumed = handle(coach, paused, Ask(Cmd.RESUME, player=True), NOW + 3000)
    assert resumed.cue.kind == stream.PLAY and resumed.cue.track.step == track.step
    assert resumed.cue.offset_ms == 12_345 - stream.RESUME_BACK_MS and resumed.speech == ()
    later = handle(coach, paused, Ask(Cmd.RESUME, player=True), NOW + 10 * 60_000)
    assert [p.key for p in later.speech] == ["audio_resume"]  # after a long pause, where first

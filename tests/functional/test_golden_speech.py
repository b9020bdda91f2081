"""What the coach says and sends is unchanged by refactoring: four scripted conversations (tests/golden), in
speech mode (on a screen) and in the audio mode, against the transcripts captured before the one-turn work of
issue 26. A difference is allowed only where it is named in INTENDED, with its reason."""

from __future__ import annotations

import difflib

import pytest

from skill.cli.nlu import Nlu
from skill.content import Content
from tests.golden import GOLDEN, SCENARIOS

# scenario -> {transcript line as captured: (the line it is now, why)}. Empty: no intended difference yet.
INTENDED: dict[str, dict[str, tuple[str, str]]] = {}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_transcript_is_as_captured_but_for_the_named_differences(content: Content, nlu: Nlu, name: str) -> None:
    captured = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    expected = [INTENDED.get(name, {}).get(line, (line, ""))[0] for line in captured]
    now = SCENARIOS[name](content, nlu).splitlines()
    if now != expected:
        diff = "\n".join(difflib.unified_diff(expected, now, "captured (with intended changes)", "now", lineterm="",
                                              n=1))
        pytest.fail(f"{name} differs from its golden transcript:\n{diff[:6000]}", pytrace=False)
    unused = set(INTENDED.get(name, {})) - set(captured)
    assert not unused, f"INTENDED names lines that are not in the captured {name} transcript"

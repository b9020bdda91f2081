"""Writes the golden transcripts (tests/golden/*.txt) from today's code: `python -m tests.golden.capture`."""

from __future__ import annotations

from skill.alexa.interaction_model import load_model
from skill.cli.nlu import Nlu
from skill.content import load_content
from tests.golden import GOLDEN, SCENARIOS


def main() -> None:
    content, nlu = load_content(), Nlu(load_model())
    for name, scenario in SCENARIOS.items():
        (GOLDEN / f"{name}.txt").write_text(scenario(content, nlu), encoding="utf-8")
        print(GOLDEN / f"{name}.txt")


if __name__ == "__main__":
    main()

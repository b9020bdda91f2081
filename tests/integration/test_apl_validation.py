"""Every APL document and data source the skill sends, validated by Amazon's own validator (npm apl-suggester,
installed by `make test` into tests/apl and run here through node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.storage.stores import Stores
from tests.screens import TOUR, renders, run, show_chat

pytestmark = pytest.mark.integration

APL = Path(__file__).resolve().parents[1] / "apl"


def validate(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The validator's findings for each {name, document, datasources}; fails (never skips) without it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the APL documents cannot be validated (apt-get install nodejs npm)")
    if not (APL / "node_modules" / "apl-suggester").is_dir():
        pytest.fail("apl-suggester is not installed: run `make test` (npm ci --prefix tests/apl)")
    done = subprocess.run([node, str(APL / "validate.js")], input=json.dumps(items), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_validator_finds_a_broken_document() -> None:
    """The harness is live: a document with a misspelt property and an unknown version does not pass."""
    broken = {"type": "APL", "version": "9.9", "mainTemplate": {"item": {"type": "Text", "txet": "hi"}}}
    [result] = validate([{"name": "broken", "document": broken, "datasources": {"coach": "not an object"}}])
    messages = " ".join(e["errorMessage"] for e in result["errors"])
    assert "txet" in messages and "2024.2" in messages and "coach in DataSources" in messages


def test_every_document_and_data_source_the_skill_sends_passes(content: Content, nlu: Nlu, store: Stores) -> None:
    items = []
    for exchange in run(show_chat(store, content, nlu), TOUR):
        for n, render in enumerate(renders(exchange)):
            items.append({"name": f"{exchange.said} #{n} {render['token']}", "document": render["document"],
                          "datasources": render["datasources"]})
    assert {item["name"].rsplit(" ", 1)[-1] for item in items} == {
        "backcoach.workout", "backcoach.card", "backcoach.summary"}
    problems = [(r["name"], e) for r in validate(items) for e in r["errors"]]
    assert problems == [], json.dumps(problems[:10], indent=1)

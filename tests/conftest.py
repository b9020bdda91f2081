"""Shared fixtures: the content, the engine with its speech layer, and the skill on an in-memory store."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from skill.alexa.interaction_model import load_model
from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content import Content, load_content
from skill.engine.coach import Coach
from skill.speech.ssml import BUDGET, Speech
from skill.storage.stores import Stores, sqlite_stores
from tests import events, network_guard
from tests.loopback import alexa_api_stand_in

# `make test` runs the short profile, the same examples every run (CI stays reproducible); `make fuzz` runs the
# long one (HYPOTHESIS_PROFILE=long), exploring new examples each time.
settings.register_profile("short", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make fuzz` (the long profile) runs for as long as its examples take: no per-test timeout there. Everywhere
    else pyproject's default (pytest-timeout) stops a test stuck on a hung server."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "long":
        for item in items:
            item.add_marker(pytest.mark.timeout(0), append=False)


REPO = Path(__file__).resolve().parents[1]

# No test reaches past loopback: this process and every Python subprocess a test starts are guarded.
network_guard.install()
_GUARD_LOG = Path(tempfile.mkdtemp(prefix="backcoach-guard-")) / "refused.log"
os.environ[network_guard.GUARD_LOG] = str(_GUARD_LOG)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO / "tests" / "guard_site"),
                                                         os.environ.get("PYTHONPATH"))))


@pytest.fixture(autouse=True)
def _nothing_past_loopback() -> Iterator[None]:
    """Fails a test that tried to reach past loopback, here or in a subprocess, even if the code swallowed the
    refusal (a settings API call answered by a fallback, say)."""
    network_guard.take()
    before = _GUARD_LOG.stat().st_size if _GUARD_LOG.exists() else 0
    yield
    refused = network_guard.take()
    if _GUARD_LOG.exists() and _GUARD_LOG.stat().st_size > before:
        with _GUARD_LOG.open(encoding="utf-8") as log:
            log.seek(before)
            refused += [line.split(" ", 1)[1].strip() for line in log if " " in line]
    if refused:
        pytest.fail(f"the test reached past loopback: {', '.join(dict.fromkeys(refused))}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _alexa_api() -> Iterator[str]:
    """Alexa's APIs (settings, reminders) as a loopback stand-in for every captured event: it answers as Alexa
    does a token it does not accept. Tests of those APIs point their envelopes at stand-ins of their own."""
    with alexa_api_stand_in() as url:
        events.API_ENDPOINT = url
        yield url


START = 1_795_000_000.0  # a fixed epoch second, so simulated time is the same on every run


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def speech(content: Content) -> Speech:
    return Speech(content)


@pytest.fixture(scope="session")
def coach(content: Content, speech: Speech) -> Coach:
    return Coach(content, speech.measure, BUDGET)


@pytest.fixture(scope="session")
def nlu() -> Nlu:
    return Nlu(load_model())


@pytest.fixture
def store() -> Stores:
    """Every store of a person's data (record, logs, uploads, pairing, heart rate), in memory."""
    stores = sqlite_stores()
    yield stores
    stores.close()


@pytest.fixture
def chat(content: Content, nlu: Nlu, store: Stores) -> Chat:
    return Chat(build_app(store, content), nlu, content, start_at=START)

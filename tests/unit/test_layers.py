"""The architecture as a test: which package may import which, and no cycles between packages."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SKILL = Path(__file__).resolve().parents[2] / "skill"
FEATURES = {"alexa", "heartrate", "companion", "activity", "web", "cli", "engine", "speech"}


def imports() -> dict[str, set[str]]:
    """For each package of skill/ (its first folder, or the module for top-level files), the skill packages its
    modules import, at any depth (lazy imports inside functions count too)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in SKILL.rglob("*.py"):
        package = path.relative_to(SKILL).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                parts = name.split(".")
                if parts[0] == "skill" and len(parts) > 1 and parts[1] != package:
                    found[package].add(parts[1])
    return found


def test_the_engine_imports_only_the_content() -> None:
    assert imports()["engine"] <= {"content"}


def test_storage_and_settings_import_no_feature() -> None:
    graph = imports()
    assert graph["storage"] == set()
    assert graph["settings"] == set()
    assert graph["content"] == set()


def test_the_companion_imports_no_server_code() -> None:
    assert imports()["companion"] == set()


def test_speech_knows_only_content_and_the_engines_types() -> None:
    assert imports()["speech"] <= {"content", "engine"}


def test_there_are_no_cycles_between_packages() -> None:
    graph = imports()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(p for p in graph if reaches(p, p, {p}))
    assert cycles == []


def test_shipped_code_imports_no_test_helpers() -> None:
    for root in (SKILL, SKILL.parent / "lambda", SKILL.parent / "benchmarks"):
        for path in root.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "from tests" not in text and "import tests" not in text, path


def test_speech_to_audio_is_infrastructure() -> None:
    """skill.audio (text to speech, clip stores) knows nothing of the skill; the skill hands it SSML."""
    assert imports()["audio"] == set()

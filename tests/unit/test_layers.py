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


def module_imports(package: str) -> dict[str, set[str]]:
    """For each module of skill/<package>, the modules of the same package it imports at any depth."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in (SKILL / package).rglob("*.py"):
        module = ".".join(path.relative_to(SKILL.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"skill.{package}"):
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                is_module = (SKILL.parent / (name.replace(".", "/") + ".py")).exists()
                if name.startswith(f"skill.{package}.") and is_module and name != module:
                    found[module].add(name)
    return found


def test_no_module_cycles_inside_the_engine_the_speech_layer_or_the_turn() -> None:
    """A cycle between modules (prompt tables importing the renderer back, say) is a seam held by accident."""
    for package in ("engine", "speech", "turn"):
        graph = module_imports(package)

        def reaches(start: str, goal: str, seen: frozenset[str], graph=graph) -> bool:
            return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

        assert sorted(m for m in graph if reaches(m, m, frozenset({m}))) == [], package


def test_the_turn_knows_no_platform() -> None:
    """The one turn serves Alexa and any other speaker: no Alexa, web or CLI code, no ask_sdk, Flask or boto3."""
    assert imports()["turn"] <= {"engine", "content", "storage", "speech", "languages", "heartrate", "settings"}
    for path in (SKILL / "turn").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not any(f"import {lib}" in text or f"from {lib}" in text for lib in ("ask_sdk", "flask", "boto3")), path

"""The development environment's lock (requirements/dev.lock, `make lock`): it agrees with pyproject.toml, holds
the AWS SDK at Lambda's runtime versions, pins every package with hashes, and is what this venv has installed."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements" / "dev.lock"
EXTRA_INPUTS = REPO / "requirements" / "dev.in"
RUNTIME = REPO / "lambda" / "runtime.txt"
ENTRY = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")
FROM_PROJECT = "back-coach (pyproject.toml)"


def declared(pyproject: str) -> dict[str, str]:
    """Every requirement of the project and of all its extras (what `make` installs), name -> exact version."""
    project = tomllib.loads(pyproject)["project"]
    found: dict[str, str] = {}
    for text in [*project.get("dependencies", []), *(r for extra in project.get("optional-dependencies", {}).values()
                                                     for r in extra)]:
        requirement = Requirement(text)
        pins = [s.version for s in requirement.specifier if s.operator == "=="]
        found[canonicalize_name(requirement.name)] = pins[0] if pins else str(requirement.specifier)
    return found


def locked(lock: str) -> dict[str, tuple[str, str, list[str], bool]]:
    """name -> (version, marker, what it is there for, hashed) for every entry of a uv-compiled lock."""
    entries: dict[str, tuple[str, str, list[str], bool]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2]):
        match = ENTRY.match(block.splitlines()[0])
        assert match, f"not a pinned requirement: {block.splitlines()[0]}"
        via = [line.strip(" #").removeprefix("via ").strip() for line in block.splitlines()[1:]
               if line.strip().startswith("#")]
        entries[canonicalize_name(match.group(1))] = (match.group(2), (match.group(3) or "").strip(),
                                                      [v for v in via if v and v != "via"], "--hash=sha256:" in block)
    return entries


def pins(text: str) -> dict[str, str]:
    return {canonicalize_name(m.group(1)): m.group(2) for line in text.splitlines() if (m := ENTRY.match(line))}


def lock_problems(pyproject: str, lock: str, runtime: str, extra_inputs: str) -> list[str]:
    """Why the lock does not match its inputs (empty when it does)."""
    problems = []
    want, have = declared(pyproject), locked(lock)
    for name, version in want.items():
        if name not in have:
            problems.append(f"{name} is in pyproject.toml but not in the lock")
        elif have[name][0] != version:
            problems.append(f"pyproject.toml pins {name} {version}, the lock {have[name][0]}")
    for name, (_, _, via, _) in have.items():
        if FROM_PROJECT in via and name not in want:
            problems.append(f"the lock holds {name} for pyproject.toml, which no longer asks for it")
    for name, version in {**pins(runtime), **pins(extra_inputs)}.items():
        if name in have and have[name][0] != version:
            problems.append(f"the lock has {name} {have[name][0]}, its inputs say {version}")
    problems += [f"{name} is pinned without hashes" for name, entry in have.items() if not entry[3]]
    return problems


def test_the_lock_matches_pyproject_and_the_lambda_runtime() -> None:
    problems = lock_problems((REPO / "pyproject.toml").read_text(), LOCK.read_text(), RUNTIME.read_text(),
                             EXTRA_INPUTS.read_text())
    assert not problems, "run make lock: " + "; ".join(problems)


def test_the_aws_sdk_in_the_lock_is_lambdas() -> None:
    have = locked(LOCK.read_text())
    for name in ("boto3", "botocore", "s3transfer", "jmespath"):
        assert have[name][0] == pins(RUNTIME.read_text())[name], name


@pytest.mark.parametrize("change", [
    ("boto3==1.44.8", "boto3==1.44.9"),  # a version bumped
    ('"waitress==3.0.2",', '"waitress==3.0.2",\n  "rich==14.0.0",'),  # a dependency added
    ('  "mutagen==1.48.1",\n', ""),  # a dependency dropped
])
def test_a_dependency_changed_without_relocking_is_caught(change: tuple[str, str]) -> None:
    pyproject = (REPO / "pyproject.toml").read_text()
    assert change[0] in pyproject
    edited = pyproject.replace(change[0], change[1], 1)
    assert lock_problems(edited, LOCK.read_text(), RUNTIME.read_text(), EXTRA_INPUTS.read_text())


def test_a_runtime_pin_the_lock_does_not_follow_is_caught() -> None:
    runtime = RUNTIME.read_text().replace("botocore==1.44.8", "botocore==1.44.18")
    problems = lock_problems((REPO / "pyproject.toml").read_text(), LOCK.read_text(), runtime,
                             EXTRA_INPUTS.read_text())
    assert any("botocore" in p for p in problems)


def test_this_environment_holds_exactly_what_the_lock_says() -> None:
    """`make` installs from the lock: every locked package for this platform, at its version."""
    wrong = []
    for name, (version, marker, _, _) in locked(LOCK.read_text()).items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} missing")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} (the lock: {version})")
    assert not wrong, "rebuild the venv (rm -rf .venv; make test): " + ", ".join(wrong)

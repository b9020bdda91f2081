"""Generated mistakes on the command line: --db files of every content (random bytes, a SQLite header over
garbage, text, empty), output names of every extension, function ARNs of every shape. The command answers with
an exit status and its words, never an exception (which a person would see as a traceback)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.cli.build import FUNCTION_ARN
from skill.cli.main import main
from tests.robustness.conftest import TRIED

SQLITE_HEADER = b"SQLite format 3\x00"

contents = st.one_of(
    st.binary(max_size=3000),
    st.binary(min_size=0, max_size=3000).map(lambda b: SQLITE_HEADER + b),
    st.text(max_size=200).map(str.encode),
    st.just(b""),
)


@pytest.fixture
def quiet_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name in ("BACKCOACH_TABLE", "BACKCOACH_DB", "BACKCOACH_STRAVA_TOKEN", "BACKCOACH_FITBIT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home


def run(argv: list[str], stdin: str = "") -> int:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(argv)
    finally:
        sys.stdin = old


@given(main_db=contents, wearable_db=st.none() | contents,
       command=st.sampled_from([["chat", "--no-timeline"], ["export", "--out", "x.fit"], ["upload"]]))
def test_a_db_of_any_content_is_an_exit_status_not_an_exception(quiet_home: Path, capsys, main_db: bytes,
                                                                 wearable_db: bytes | None, command: list[str]) -> None:
    folder = quiet_home / f"case{TRIED['--db contents']}"
    folder.mkdir()
    db = folder / "coach.sqlite3"
    db.write_bytes(main_db)
    if wearable_db is not None:
        (folder / "coach-wearable.sqlite3").write_bytes(wearable_db)
    code = run([*command, "--db", str(db)], stdin="help\n")
    TRIED["--db contents"] += 1
    said = capsys.readouterr()
    assert code in (0, 1, 2), said
    assert "Traceback" not in said.out + said.err


names = st.text(st.characters(min_codepoint=33, max_codepoint=0x2FF, exclude_characters="/\\"), min_size=1,
                max_size=20)
extensions = st.sampled_from(["", ".fit", ".tcx", ".FIT", ".Tcx", ".gpx", ".", ".tcx.fit"])


@given(name=names, extension=extensions,
       fmt=st.sampled_from([[], ["--format", "fit"], ["--format", "tcx"]]))
def test_export_names_and_formats_of_every_kind(quiet_home: Path, capsys, name: str, extension: str,
                                                fmt: list[str]) -> None:
    out = quiet_home / "out" / f"{name}{extension}"
    out.parent.mkdir(exist_ok=True)
    code = run(["export", "--db", str(quiet_home / "empty.sqlite3"), "--out", str(out), *fmt])
    TRIED["export names"] += 1
    assert code in (1, 2) and not out.exists()  # nothing is logged in this store, and nothing is written
    capsys.readouterr()


class Built(Exception):
    """Raised by the stand-in for the build: the ARN got past the check."""


@given(arn=st.one_of(st.text(max_size=120), st.from_regex(FUNCTION_ARN, fullmatch=True),
                     st.from_regex(FUNCTION_ARN, fullmatch=True).map(lambda a: a.replace("lambda", "lamda"))))
def test_function_arns_of_every_shape_are_checked_before_building(capsys, monkeypatch: pytest.MonkeyPatch,
                                                                  arn: str) -> None:
    def build(out: Path, checked: str, **links: str) -> Any:
        raise Built(checked)

    monkeypatch.setattr("skill.cli.build.build", build)
    monkeypatch.delenv("BACKCOACH_FUNCTION_ARN", raising=False)
    monkeypatch.setenv("BACKCOACH_PRIVACY_URL", "https://coach.example.com/privacy")
    monkeypatch.setenv("BACKCOACH_TERMS_URL", "https://coach.example.com/terms")
    built = False
    try:
        code = run(["build", f"--function-arn={arn}", "--out", "/nonexistent"])
    except Built:
        built, code = True, 0
    TRIED["function ARNs"] += 1
    capsys.readouterr()
    if not arn:
        assert built  # no ARN yet: a package without an endpoint, as a first deploy builds
    else:
        assert built == (FUNCTION_ARN.fullmatch(arn) is not None) and code in (0, 2)

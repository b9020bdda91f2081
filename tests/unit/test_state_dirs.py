"""Local paths: the platform's state folder (platformdirs) for the store and the companion's token, XDG_STATE_HOME
honoured on Linux, and nothing of it on Lambda."""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from skill.cli.companion import token_path
from skill.settings import default_db_path, load_settings, state_dir


def test_xdg_state_home_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv("BACKCOACH_DB", raising=False)
    if sys.platform.startswith("linux"):
        assert state_dir() == tmp_path / "backcoach"
        assert load_settings().db_path == tmp_path / "backcoach" / "backcoach.sqlite3"
    assert token_path(Namespace(token_file=None), load_settings()) == state_dir() / "companion-token"


def test_a_store_and_token_kept_where_earlier_versions_put_them_are_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import skill.settings as settings

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(settings, "state_dir", lambda: tmp_path / "platform")  # as on macOS or Windows
    earlier = tmp_path / "xdg" / "backcoach" / "backcoach.sqlite3"
    assert default_db_path() == tmp_path / "platform" / "backcoach.sqlite3"
    earlier.parent.mkdir(parents=True)
    earlier.touch()
    assert default_db_path() == earlier
    monkeypatch.setenv("BACKCOACH_DB", str(tmp_path / "mine.sqlite3"))
    (tmp_path / "companion-token").write_text("tok")  # beside a store chosen with BACKCOACH_DB
    assert token_path(Namespace(token_file=None), load_settings()) == tmp_path / "companion-token"


def test_lambda_never_imports_platformdirs() -> None:
    code = ("import sys, skill.bootstrap; from skill.settings import load_settings; load_settings(); "
            "print('platformdirs' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                         env={"AWS_LAMBDA_FUNCTION_NAME": "backcoach", "PATH": "/usr/bin:/bin",
                              "BACKCOACH_TABLE": "t", "AWS_DEFAULT_REGION": "us-east-1"})
    assert out.stdout.strip() == "False"

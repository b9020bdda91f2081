"""The `backcoach` command answers a person's mistakes with a sentence and an exit status, never a traceback:
stores that are not databases or cannot be opened, wrong pairing codes, unreachable servers, export options,
malformed ARNs, unfilled account-linking files, and a DynamoDB table without AWS credentials."""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.main import main
from skill.content.schema import Content
from skill.storage.stores import activity_db_path, sqlite_stores
from tests.conftest import START
from tests.integration.conftest import free_port

ARN = "arn:aws:lambda:us-east-1:123456789012:function:backcoach-SkillFunction-abc"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing of the person running the tests is read or written: state, config and AWS settings are fresh."""
    for name in ("BACKCOACH_TABLE", "BACKCOACH_SAMPLES_TABLE", "BACKCOACH_DB", "BACKCOACH_STRAVA_TOKEN",
                 "BACKCOACH_FITBIT_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "BACKCOACH_LINK_CLIENT_ID", "BACKCOACH_LINK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup from a test
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str]:
    """`backcoach argv…` in this process; an exception escaping it fails the test (it would be a traceback)."""
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(argv)
    finally:
        sys.stdin = old
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def not_a_database(tmp_path: Path, kind: str) -> Path:
    if kind == "text":
        (tmp_path / "notes.sqlite3").write_text("shopping list: bands, dumbbells\n")
        return tmp_path / "notes.sqlite3"
    if kind == "random":
        (tmp_path / "noise.sqlite3").write_bytes(os.urandom(4096))
        return tmp_path / "noise.sqlite3"
    if kind == "directory":
        (tmp_path / "adir").mkdir()
        return tmp_path / "adir"
    (tmp_path / "file").write_text("x")
    return tmp_path / "file" / "under-a-file.sqlite3"  # its folder is a file: it cannot be created


@pytest.mark.parametrize("kind", ["text", "random", "directory", "unopenable"])
@pytest.mark.parametrize("command", [["chat"], ["export", "--out", "w.fit"], ["upload"]])
def test_a_db_that_is_not_a_database_or_cannot_be_opened_is_a_sentence(tmp_path: Path, capsys, kind: str,
                                                                        command: list[str]) -> None:
    db = not_a_database(tmp_path, kind)
    code, said = run([*command, "--db", str(db)], capsys, stdin="help\n")
    assert code == 1 and str(db) in said and "Traceback" not in said
    if kind == "unopenable" and command[0] != "chat":
        assert "No workout logged yet" in said  # export and upload create nothing, so they open nothing
    elif kind == "directory":
        assert "is a folder, not a database file" in said
    else:
        assert "not a Back Coach database" in said or "cannot be opened" in said


@pytest.fixture
def logged(tmp_path: Path, content: Content, nlu: Any) -> Path:
    """A local store holding one finished workout of the default user."""
    db = tmp_path / "coach.sqlite3"
    stores = sqlite_stores(db)
    chat = Chat(build_app(stores, content), nlu, content, start_at=START)
    answer = chat.say("start my back workout")
    while not answer.ends_session:
        answer = chat.say("next")
    stores.close()
    return db


@pytest.mark.parametrize(("out", "kind"), [("w.tcx", "tcx"), ("w.TCX", "tcx"), ("w.fit", "fit"), ("w", "fit")])
def test_export_takes_the_format_from_the_extension(logged: Path, capsys, out: str, kind: str) -> None:
    code, said = run(["export", "--db", str(logged), "--out", out], capsys)
    assert code == 0, said
    data = Path(out).read_bytes()
    assert data.startswith(b"<?xml") if kind == "tcx" else data[8:12] == b".FIT"


def test_an_explicit_format_that_contradicts_the_extension_is_refused(logged: Path, capsys) -> None:
    code, said = run(["export", "--db", str(logged), "--out", "w.tcx", "--format", "fit"], capsys)
    assert code == 2 and "w.tcx" in said and not Path("w.tcx").exists()


def test_export_of_a_workout_that_does_not_exist_lists_those_that_do(logged: Path, capsys) -> None:
    code, said = run(["export", "--db", str(logged), "--out", "w.fit", "--workout", "123"], capsys)
    stores = sqlite_stores(logged)
    [entry] = stores.logs.logs(__import__("skill.cli.activity", fromlist=["person"]).person("local-user"))
    stores.close()
    assert code == 1 and "123" in said and str(entry["started_at_ms"]) in said and "No workout logged yet" not in said
    assert not Path("w.fit").exists()


@pytest.mark.parametrize("command", [["export", "--out", "w.fit"], ["upload"]])
def test_export_or_upload_on_an_empty_store_leaves_no_file_behind(tmp_path: Path, capsys, command) -> None:
    before = sorted(p.name for p in tmp_path.rglob("*"))
    db = tmp_path / "never-used.sqlite3"
    code, said = run([*command, "--db", str(db)], capsys)
    assert code == 1 and "No workout logged yet" in said
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not db.exists() and not activity_db_path(db).exists()


@pytest.mark.parametrize("arn", ["foo", "arn:aws:lambda:us-east-1:123:function:x", ARN.replace("lambda", "s3"),
                                 "arn:aws:lambda:REGION:ACCOUNT:function:placeholder", ARN + " ", ARN + "\n"])
def test_build_refuses_a_malformed_function_arn(capsys, arn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(*args: Any) -> Any:
        raise AssertionError("built with a malformed ARN")

    monkeypatch.setattr("skill.cli.build.build", no_build)
    code, said = run(["build", "--function-arn", arn], capsys)
    assert code == 2 and "arn:aws:lambda:" in said


@pytest.mark.parametrize("arn", [ARN, ARN + ":live", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
                                 "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:$LATEST"])
def test_build_accepts_well_formed_function_arns(capsys, arn: str) -> None:
    from skill.cli.build import arn_problem

    assert arn_problem(arn) == ""


def test_build_warns_about_account_linking_placeholders_left(tmp_path: Path, capsys,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.cli import build as build_module

    def quick_build(out: Path, arn: str, **links: str) -> Any:
        linking = build_module.build_account_linking(out / "account-linking")
        return build_module.BuildResult(out, out / "lambda.zip", 1, 1, 1, out / "uploads.zip", 1, linking)

    monkeypatch.setattr(build_module, "build", quick_build)
    monkeypatch.setenv("BACKCOACH_PRIVACY_URL", "https://coach.example.com/privacy")
    monkeypatch.setenv("BACKCOACH_TERMS_URL", "https://coach.example.com/terms")
    code, said = run(["build", "--function-arn", ARN, "--out", str(tmp_path / "b")], capsys)
    assert code == 0 and said.count("${CLIENT_ID}") >= 2 and "BACKCOACH_LINK_CLIENT_ID" in said
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_ID", "1")
    monkeypatch.setenv("BACKCOACH_LINK_CLIENT_SECRET", "2")
    code, said = run(["build", "--function-arn", ARN, "--out", str(tmp_path / "c")], capsys)
    assert code == 0 and "${" not in said


def never_serve(*args: Any) -> None:
    raise AssertionError("the server started without what it needs")


def test_serve_with_a_table_and_no_aws_credentials_says_what_is_missing(capsys,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_TABLE", "backcoach-state")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr("skill.web.server.serve", never_serve)
    code, said = run(["serve", "--insecure-skip-verification", "--port", str(free_port())], capsys)
    assert code == 2 and "BACKCOACH_TABLE" in said and "credentials" in said and "Traceback" not in said


def test_serve_with_a_table_and_no_region_says_so(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_TABLE", "backcoach-state")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setattr("skill.web.server.serve", never_serve)
    code, said = run(["serve", "--insecure-skip-verification", "--port", str(free_port())], capsys)
    assert code == 2 and "region" in said.lower()


def test_chat_says_it_ignores_the_table(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_TABLE", "backcoach-state")
    code, said = run(["chat", "--db", str(tmp_path / "c.sqlite3"), "--no-timeline"], capsys, stdin="help\n")
    assert code == 0 and "BACKCOACH_TABLE" in said and "ignore" in said


@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The sync API on 127.0.0.1 (werkzeug's server in a thread), started and stopped here."""
    from flask import Flask
    from werkzeug.serving import make_server

    from skill.bootstrap import build_sync_service
    from skill.web.sync import sync_blueprint

    stores = sqlite_stores(tmp_path / "server.sqlite3")
    app = Flask("sync")
    app.register_blueprint(sync_blueprint(build_sync_service(stores)))
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", stores
    server.shutdown()
    thread.join(5)
    stores.close()


def test_a_wrong_pairing_code_is_a_sentence(sync_server: tuple[str, Any], tmp_path: Path, capsys) -> None:
    url, _ = sync_server
    code, said = run(["wearable", "stream", "--source", "simulated", "--url", url, "--code", "000000",
                      "--token-file", str(tmp_path / "token"), "--duration", "1"], capsys)
    assert code == 1 and "wrong, expired or already used" in said and "Alexa" in said
    assert not (tmp_path / "token").exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}", "http://127.0.0.1:{port}/v1", "notaurl",
                                 "ftp://127.0.0.1:{port}"])
def test_an_unreachable_server_is_a_sentence(tmp_path: Path, capsys, url: str) -> None:
    target = url.format(port=free_port())
    code, said = run(["wearable", "stream", "--source", "simulated", "--url", target, "--code", "123456",
                      "--token-file", str(tmp_path / "token"), "--duration", "1"], capsys)
    assert code in (1, 2) and target in said and "Traceback" not in said


def test_a_revoked_token_while_streaming_is_a_sentence(sync_server: tuple[str, Any], tmp_path: Path,
                                                      capsys) -> None:
    url, _ = sync_server
    (tmp_path / "token").write_text("revoked-or-never-issued")
    code, said = run(["wearable", "stream", "--source", "simulated", "--url", url,
                      "--token-file", str(tmp_path / "token"), "--duration", "0.5"], capsys)
    assert code == 1 and "pair again" in said


def test_the_stream_still_works(sync_server: tuple[str, Any], tmp_path: Path, capsys) -> None:
    from skill.heartrate.pairing import issue_pairing

    url, stores = sync_server
    pairing_code = issue_pairing(stores.pairing, "p" * 64, int(__import__("time").time()))
    code, said = run(["wearable", "stream", "--source", "simulated", "--url", url, "--code", pairing_code,
                      "--token-file", str(tmp_path / "token"), "--duration", "0.5"], capsys)
    assert code == 0 and "Paired" in said and json.dumps(said)


@pytest.mark.parametrize("url", [
    "http://coach.example.org",  # an Echo refuses http:// audio without a word
    "coach.example.org",
    "https://",
    "https://coach.example.org/audio",  # a path: the clips are served at /clips/
    "https://coach.example.org?x=1",
    "https://coach.example.org/#top",
    "https://user:secret@coach.example.org",
    "https://coach.example.org:port",
])
def test_serve_refuses_an_audio_address_alexa_cannot_play(tmp_path: Path, capsys, url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_AUDIO_BASE_URL", url)
    monkeypatch.setattr("skill.web.server.serve", never_serve)
    code, said = run(["serve", "--insecure-skip-verification", "--db", str(tmp_path / "s.sqlite3"),
                      "--port", str(free_port())], capsys)
    assert code == 2 and "BACKCOACH_AUDIO_BASE_URL" in said and "Traceback" not in said
    assert len([line for line in said.splitlines() if line.strip()]) == 1, said


@pytest.mark.parametrize("url", ["https://coach.example.org", "https://coach.example.org/",
                                 "https://coach.example.org:8443"])
def test_serve_takes_an_https_server_address(tmp_path: Path, capsys, url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setenv("BACKCOACH_AUDIO_BASE_URL", url)
    monkeypatch.setattr("skill.web.server.serve", lambda *args: started.append(args))
    code, said = run(["serve", "--insecure-skip-verification", "--db", str(tmp_path / "s.sqlite3"),
                      "--port", str(free_port())], capsys)
    assert code == 0 and started and f"at {url.rstrip('/')}/clips/" in said


def test_the_serve_command_exits_at_start_on_an_http_audio_address(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "BACKCOACH_AUDIO_BASE_URL": "http://coach.example.org"}
    env.pop("BACKCOACH_TABLE", None)
    done = subprocess.run([sys.executable, "-m", "skill.cli.main", "serve", "--insecure-skip-verification", "--db",
                           str(tmp_path / "s.sqlite3"), "--port", str(free_port())],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and not done.stdout
    assert done.stderr.strip().startswith("backcoach serve: BACKCOACH_AUDIO_BASE_URL must start with https://")

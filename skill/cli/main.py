"""The `backcoach` command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from skill.settings import (
    ENV_FUNCTION_ARN,
    ENV_HOST,
    ENV_PORT,
    ENV_PRIVACY_URL,
    ENV_SKILL_ID,
    ENV_STACK_NAME,
    ENV_TABLE,
    ENV_TERMS_URL,
    ENV_UPLOAD_SERVICE,
    Settings,
    audio_problem,
    load_settings,
    upload_service_problem,
)
from skill.storage import StorageError

DEMO_SCRIPT = Path(__file__).with_name("demo.txt")
# `chat --audio --demo`: one utterance, a pause in the first move, a resume; the stream does the rest.
DEMO_SCRIPT_AUDIO = ["ask back coach to start my back workout", "@25 alexa pause", "alexa resume"]


def main(argv: list[str] | None = None) -> int:
    try:
        settings = load_settings()
    except ValueError as e:  # a setting that is not a number
        print(f"backcoach: {e}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="backcoach", description="Back Coach: a hands-free upper-back coach.")
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the skill as you would to an Echo")
    chat.add_argument("--db", type=Path, help="SQLite file for your saved workout (default: your state directory)")
    chat.add_argument("--user", default="local-user", help="who is speaking (each user has their own workout)")
    chat.add_argument("--person", default="", help="a voice Alexa recognises (personalisation on): that person's "
                      "own plan and history; without it, the account's shared profile")
    chat.add_argument("--device", default="local-echo", help="which Echo is speaking")
    chat.add_argument("--zone", type=_zone_argument, help="the Echo's time zone, an IANA name such as "
                      "America/Los_Angeles (default: this machine's)")
    chat.add_argument("--realtime", action="store_true", help="use the wall clock instead of simulated time")
    chat.add_argument("--speak", action="store_true", help="speak the responses through espeak-ng")
    chat.add_argument("--demo", action="store_true", help="play the scripted demonstration of a whole circuit")
    chat.add_argument("--no-timeline", action="store_true", help="do not print each response's timeline")
    chat.add_argument("--transcript", type=Path, help="also write every request and response as JSON lines")
    chat.add_argument("--wearable", choices=["simulated"], help="pair a simulated watch: heart-rate-guided rests")
    chat.add_argument("--device-kind", choices=["speaker", "show"], default="speaker",
                      help="show: an Echo Show (a screen, APL); prints what the screen shows and accepts `tap next`")
    chat.add_argument("--audio", action="store_true", help="an Echo with an AudioPlayer: the audio mode's stream "
                      "(with --speak the clips play, or are saved to --clips-out without a sound device)")
    chat.add_argument("--clips-out", type=Path, default=Path("played-clips"), help="--audio --speak: where clips go "
                      "when there is no sound device")

    wearable = commands.add_parser("wearable", help="the wearable companion")
    wearable_commands = wearable.add_subparsers(dest="wearable_command", required=True)
    stream = wearable_commands.add_parser("stream", help="pair with a code, then stream heart rate to Back Coach")
    stream.add_argument("--source", choices=["ble", "simulated"], required=True,
                        help="ble: a watch or strap broadcasting the Bluetooth Heart Rate Profile")
    stream.add_argument("--url", default="http://127.0.0.1:8080", help="where `backcoach serve` (or the API) is")
    stream.add_argument("--code", help="the pairing code Alexa said (\"Alexa, ask back coach to pair my watch\")")
    stream.add_argument("--device-name", default="Back Coach companion")
    stream.add_argument("--token-file", type=Path, help="where the device token is kept after pairing")
    stream.add_argument("--address", help="ble: the sensor's address (default: the first one found)")
    stream.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
    stream.add_argument("--work", type=int, default=40, help="simulated: seconds of work in each cycle")
    stream.add_argument("--rest", type=int, default=30, help="simulated: seconds of rest in each cycle")
    stream.add_argument("--quiet", action="store_true", help="say nothing while streaming (errors only)")

    serve = commands.add_parser("serve", help="run the skill as a web service (Alexa's HTTPS endpoint option)")
    serve.add_argument("--host", help=f"address to listen on (default {settings.host}, or ${ENV_HOST})")
    serve.add_argument("--port", type=int, help=f"port to listen on (default {settings.port}, or ${ENV_PORT})")
    serve.add_argument("--db", type=Path, help="SQLite file when no DynamoDB table is configured")
    serve.add_argument("--skill-id", help=f"the skill id requests must carry (default ${ENV_SKILL_ID})")
    serve.add_argument("--threads", type=int, default=8, help="worker threads")
    serve.add_argument(
        "--insecure-skip-verification", action="store_true",
        help="accept unsigned requests (for local simulators only; logs a warning on every request)",
    )

    build = commands.add_parser("build", help="write the skill package, Lambda zips and account-linking requests")
    build.add_argument("--function-arn", help=f"the skill function's ARN (default ${ENV_FUNCTION_ARN}); without "
                       "one the manifest has no endpoint, as for creating the skill before the stack")
    build.add_argument("--out", type=Path, default=Path("build"), help="output directory (default build/)")
    build.add_argument("--audio", action="store_true", help="only pre-render every clip of the audio mode (S3 when "
                       "BACKCOACH_AUDIO_BUCKET is set, else the local clip directory) and report them")
    _link_options(build)

    deploy = commands.add_parser("deploy", help="build, then deploy the SAM stack and the skill package (make deploy)")
    deploy.add_argument("--stack-name", help=f"the CloudFormation stack (default ${ENV_STACK_NAME} or backcoach)")
    deploy.add_argument("--upload-service", choices=["off", "strava", "fitbit"],
                        help=f"the template's UploadService (default ${ENV_UPLOAD_SERVICE} or off)")
    deploy.add_argument("--skill-id", help="deploy to this existing skill (default: the one in "
                        "build/.ask/ask-states.json, or a new skill)")
    deploy.add_argument("--region", default="", help="AWS region of the stack (default: your AWS CLI's)")
    deploy.add_argument("--profile", default="default", help="ASK CLI profile (default: default)")
    deploy.add_argument("--dry-run", action="store_true",
                        help="print the commands in order and write the skill package, without running anything")
    _link_options(deploy)

    export = commands.add_parser("export", help="write a logged workout as a FIT or TCX file")
    export.add_argument("--format", choices=["fit", "tcx"],
                        help="default: from the extension of --out (.tcx or .fit), FIT for any other")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--workout", type=int, help="the workout's start (epoch ms); default: the latest")
    export.add_argument("--user", default="local-user")
    export.add_argument("--db", type=Path, help="the local store (default: your state directory)")

    upload = commands.add_parser("upload", help="upload a logged workout to Strava or Fitbit (retries what failed)")
    upload.add_argument("--service", choices=["strava", "fitbit"], help="queue the workout for this service")
    upload.add_argument("--workout", type=int, help="the workout's start (epoch ms); default: the latest")
    upload.add_argument("--user", default="local-user")
    upload.add_argument("--db", type=Path, help="the local store (default: your state directory)")

    model = commands.add_parser("model", help="regenerate the interaction models' slot types from the content")
    model.add_argument("--check", action="store_true", help="only report models that are out of date")

    args = parser.parse_args(argv)
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s %(message)s")
    try:
        return _run(args, settings)
    except StorageError as e:  # a --db that is not a Back Coach store, or cannot be opened: the message says which
        print(f"backcoach {args.command}: {e}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "chat":
        if settings.table:
            print(f"backcoach chat keeps your workout in a local SQLite file; it ignores ${ENV_TABLE} "
                  f"({settings.table}), which only `backcoach serve` and the Lambda functions use.", file=sys.stderr)
        return _chat(args, settings.db_path)
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "build":
        return _build_audio(settings) if args.audio else _build(args)
    if args.command == "deploy":
        from skill.cli.deploy_command import deploy_command

        return deploy_command(args, settings)
    if args.command in ("export", "upload"):
        from skill.cli import activity

        return (activity.export_command if args.command == "export" else activity.upload_command)(args, settings)
    if args.command == "wearable":
        from skill.cli.companion import stream_command

        return stream_command(args, settings)
    return _model(args.check)


def _chat(args: argparse.Namespace, default_db: Path) -> int:
    from skill.alexa.interaction_model import load_model
    from skill.bootstrap import build_skill, build_sync_service, build_upload_worker
    from skill.cli import activity
    from skill.cli.chat import Chat, run_lines
    from skill.cli.local_zone import chat_zones, machine_zone
    from skill.cli.nlu import Nlu
    from skill.content import load_content
    from skill.settings import SERVICES
    from skill.storage.stores import sqlite_stores

    content = load_content()
    clips = None
    if args.audio:
        from skill.bootstrap import clips_from_settings

        clips = clips_from_settings(load_settings(), local=True)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or (Path(scratch) / "demo.sqlite3" if args.demo else default_db)
        stores = sqlite_stores(db)
        clock = db.with_name(db.name + ".clock")  # the simulated time a previous chat on this store reached
        start_at = None if args.realtime else max(time.time(), _saved_clock(clock))
        link = None
        if args.wearable:
            from skill.cli.chat import WearableLink
            from skill.companion.simulated import SimulatedWearable
            from skill.companion.stream import Companion

            link = WearableLink(Companion(lambda *a: transport(*a)), SimulatedWearable())
            transport = _in_process_sync_api(build_sync_service(stores, clock=lambda: link.now_s))
        # Uploads go to the first service you have a token for (the demo never uploads).
        tokens = {} if args.demo else activity.credentials()
        service = next((s for s in SERVICES if s in tokens), "")
        zones = chat_zones(args.zone or machine_zone())
        chat = Chat(
            build_skill(stores, content, upload_service=service, zones=zones), Nlu(load_model()), content,
            user=args.user, device=args.device, realtime=args.realtime, show=print, speak=args.speak,
            show_timeline=not args.no_timeline, wearable=link, access_token=tokens.get(service, ""),
            uploads=(lambda: activity.run_uploads(build_upload_worker(stores))) if service else None,
            person=args.person,
            device_kind=args.device_kind,
            start_at=start_at,
        )
        device = None
        if args.audio:
            from skill.cli.audio_device import AudioDevice

            chat.skill = build_skill(stores, content, upload_service=service, clips=clips, zones=zones)
            chat.speak = False
            device = AudioDevice(chat, clips.duration_ms, show=print, clip_bytes=clips.store.get,
                                 speak_to=args.clips_out if args.speak else None)
        if link is not None:
            link.pair(chat)
        if device is not None:
            from skill.cli.audio_cli import run_audio_lines

            lines = (DEMO_SCRIPT_AUDIO if args.demo else None) or (_typed() if sys.stdin.isatty() else sys.stdin)
            run_audio_lines(chat, device, lines)
            stores.close()
            return 0
        if args.speak and not chat.speak:
            print("espeak-ng is not installed; showing text only (apt-get install espeak-ng to hear it).")
        if args.demo:
            run_lines(chat, DEMO_SCRIPT.read_text(encoding="utf-8").splitlines())
        elif sys.stdin.isatty():
            print(f"Back Coach (saved in {db}). Say 'start my back workout'; Ctrl-D to leave.")
            run_lines(chat, _typed(), quiet_end=True)
        else:
            run_lines(chat, sys.stdin)
        if not args.realtime:
            clock.write_text(f"{chat.now():.3f}\n", encoding="utf-8")
        stores.close()
    if args.transcript:
        with args.transcript.open("w", encoding="utf-8") as out:
            for exchange in chat.history:
                out.write(json.dumps({"said": exchange.said, "request": exchange.request,
                                      "response": exchange.response}) + "\n")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from skill.bootstrap import build_upload_worker, stores_from_settings
    from skill.web.app import create_app
    from skill.web.server import serve

    if args.db:
        settings = replace(settings, db_path=args.db)
    skill_id = args.skill_id if args.skill_id is not None else settings.skill_id
    verify = not args.insecure_skip_verification
    if verify and not skill_id:
        print(f"backcoach serve: set --skill-id or ${ENV_SKILL_ID}: requests are checked against it", file=sys.stderr)
        return 2
    if upload_service_problem(settings):
        print(f"backcoach serve: {upload_service_problem(settings)}", file=sys.stderr)
        return 2
    if audio_problem(settings):
        print(f"backcoach serve: {audio_problem(settings)}", file=sys.stderr)
    if settings.table and _aws_problem():
        print(f"backcoach serve: ${ENV_TABLE} is set ({settings.table}), so storage is DynamoDB, but "
              f"{_aws_problem()}. Unset ${ENV_TABLE} to use the local SQLite file instead.", file=sys.stderr)
        return 2
    stores = stores_from_settings(settings)
    from skill.bootstrap import clips_from_settings

    clips = clips_from_settings(settings)
    app = create_app(stores, skill_id, verify_signature=verify, verify_timestamp=verify,
                     upload_service=settings.upload_service, clips=clips,
                     trusted_proxies=settings.trusted_proxies)
    if settings.upload_service:
        import threading

        build_upload_worker(stores).loop(threading.Event())  # the upload worker, in this process
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Back Coach listening on http://{host}:{port}/ (health: /healthz)", flush=True)
    if clips is not None and settings.audio_base_url:
        print(f"audio mode: clips from {settings.clip_dir()} at {settings.audio_base_url}/clips/", flush=True)
    serve(app, host, port, args.threads)
    return 0


def _build_audio(settings: Settings) -> int:
    from skill.cli.audio_cli import build_audio_command

    return build_audio_command(settings)


def _link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--privacy-url", help=f"the privacy policy the manifest links to (default ${ENV_PRIVACY_URL})")
    parser.add_argument("--terms-url", help=f"the terms of use the manifest links to (default ${ENV_TERMS_URL})")


def _links(args: argparse.Namespace, command: str) -> tuple[str, str] | None:
    """The privacy and terms URLs: the skill stores heart rate and links accounts, so certification needs both."""
    import os

    privacy = args.privacy_url or os.environ.get(ENV_PRIVACY_URL, "")
    terms = args.terms_url or os.environ.get(ENV_TERMS_URL, "")
    for name, url, option, variable in (("privacy policy", privacy, "--privacy-url", ENV_PRIVACY_URL),
                                        ("terms of use", terms, "--terms-url", ENV_TERMS_URL)):
        if not url.startswith("https://"):
            problem = "is not an https:// URL" if url else "is missing"
            print(f"backcoach {command}: the {name} URL {problem}: pass {option} or set ${variable} (the skill "
                  "stores heart rate and links accounts, so its manifest must link to both)", file=sys.stderr)
            return None
    return privacy, terms


def _build(args: argparse.Namespace) -> int:
    import os

    from skill.cli.build import arn_problem, build, placeholders_left

    arn = args.function_arn or os.environ.get(ENV_FUNCTION_ARN, "")
    if arn and arn_problem(arn):
        print(f"backcoach build: {arn_problem(arn)}", file=sys.stderr)
        return 2
    links = _links(args, "build")
    if links is None:
        return 2
    result = build(args.out, arn, privacy_url=links[0], terms_url=links[1])
    endpoint = "" if arn else f" (no endpoint: pass --function-arn or set ${ENV_FUNCTION_ARN} once the stack exists)"
    print(f"skill package: {result.skill_package}{endpoint}")
    print(f"lambda zip:    {result.lambda_zip} ({result.zip_bytes / 1e6:.1f} MB, {result.files} files, "
          f"{result.unzipped_bytes / 1e6:.1f} MB unzipped)")
    print(f"uploads zip:   {result.uploads_zip} ({result.uploads_zip_bytes / 1e6:.1f} MB, the upload worker)")
    for path in result.account_linking:
        print(f"account linking request: {path}")
        left = placeholders_left(path)
        if left:
            print(f"warning: {path} still has {', '.join(left)}: fill it before applying it", file=sys.stderr)
    return 0


def _aws_problem() -> str:
    """What DynamoDB storage lacks on this machine ("" when nothing): botocore's own lookup of a region and of
    credentials (environment, shared files, SSO, container or instance role), without calling AWS."""
    import botocore.session

    session = botocore.session.get_session()
    if not session.get_config_variable("region"):
        return "no AWS region is configured (set AWS_REGION or AWS_DEFAULT_REGION, or a region in ~/.aws/config)"
    try:
        credentials = session.get_credentials()
    except Exception as e:  # noqa: BLE001 - a broken profile or SSO cache is as good as none, said in its words
        return f"the AWS credentials cannot be loaded ({e})"
    if credentials is None:
        return ("no AWS credentials were found (environment variables, ~/.aws/credentials, an SSO login, or a "
                "container or instance role)")
    return ""


def _in_process_sync_api(service):
    """The sync API's real HTTP handling, called in process (Flask's test client) for the local chat, on the
    chat's simulated clock."""
    from flask import Flask

    from skill.web.sync import sync_blueprint

    app = Flask("backcoach-sync")
    app.register_blueprint(sync_blueprint(service))
    client = app.test_client()

    def post(path, body, headers):
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.get_json() or {}

    return post


def _typed():
    """What the person types, until Ctrl-D or Ctrl-C: the chat then ends quietly, its place saved."""
    while True:
        try:
            yield input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return


def _saved_clock(path: Path) -> float:
    """The simulated time a previous chat on the same store reached (0 when none, or unreadable)."""
    try:
        return float(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return 0.0


def _model(check: bool) -> int:
    from skill.alexa.interaction_model import stale_models, write_models
    from skill.content import load_content

    content = load_content()
    if check:
        stale = stale_models(content)
        for locale in stale:
            print(f"interaction_models/{locale}.json is out of date: run `backcoach model`")
        return 1 if stale else 0
    for path in write_models(content):
        print(f"wrote {path}")
    return 0


def _zone_argument(text: str) -> str:
    from skill.cli.local_zone import zone_argument

    return zone_argument(text)


if __name__ == "__main__":
    raise SystemExit(main())

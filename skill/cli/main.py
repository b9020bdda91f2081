"""The `backcoach` command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from skill.cli.arguments import build_parser
from skill.settings import (
    ENV_FUNCTION_ARN,
    ENV_PRIVACY_URL,
    ENV_SKILL_ID,
    ENV_TABLE,
    ENV_TERMS_URL,
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
    parser = build_parser(settings)
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
    from skill.bootstrap import build_app, build_upload_worker
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

            link = WearableLink.in_process(stores)
        # Uploads go to the first service you have a token for (the demo never uploads).
        tokens = {} if args.demo else activity.credentials()
        service = next((s for s in SERVICES if s in tokens), "")
        zones = chat_zones(args.zone or machine_zone())
        chat = Chat(
            build_app(stores, content, upload_service=service, zones=zones), Nlu(load_model()), content,
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

            chat.app = build_app(stores, content, upload_service=service, clips=clips, zones=zones)
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
                                      "response": exchange.response, "record": exchange.record}) + "\n")
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
        print(f"backcoach serve: {audio_problem(settings)}.", file=sys.stderr)
        return 2
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
        base = settings.audio_base_url.rstrip("/")
        print(f"audio mode: clips from {settings.clip_dir()} at {base}/clips/", flush=True)
    serve(app, host, port, args.threads)
    return 0


def _build_audio(settings: Settings) -> int:
    from skill.cli.audio_cli import build_audio_command

    return build_audio_command(settings)


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


if __name__ == "__main__":
    raise SystemExit(main())

"""The `backcoach` command line: one parser, one function per command's options."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from skill.settings import (
    ENV_FUNCTION_ARN,
    ENV_HOST,
    ENV_PORT,
    ENV_PRIVACY_URL,
    ENV_SKILL_ID,
    ENV_STACK_NAME,
    ENV_TERMS_URL,
    ENV_UPLOAD_SERVICE,
    Settings,
)


def build_parser(settings: Settings) -> argparse.ArgumentParser:
    """Every command and its options; `settings` supply the defaults the help names."""
    parser = argparse.ArgumentParser(prog="backcoach", description="Back Coach: a hands-free upper-back coach.")
    commands = parser.add_subparsers(dest="command", required=True)
    _chat(commands)
    _wearable(commands)
    _serve(commands, settings)
    _build(commands)
    _deploy(commands)
    _export(commands)
    _upload(commands)
    _model(commands)
    return parser


def _chat(commands: Any) -> None:
    """`backcoach chat`: a local Echo in the terminal."""
    chat = commands.add_parser("chat", help="talk to the skill as you would to an Echo")
    chat.add_argument("--db", type=Path, help="SQLite file for your saved workout (default: your state directory)")
    chat.add_argument("--user", default="local-user", type=_id_name,
                      help="who is speaking (each user has their own workout)")
    chat.add_argument("--person", default="", type=_id_name, help="a voice Alexa recognises (personalisation "
                      "on): that person's "
                      "own plan and history; without it, the account's shared profile")
    chat.add_argument("--device", default="local-echo", type=_id_name, help="which Echo is speaking")
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


def _wearable(commands: Any) -> None:
    """`backcoach wearable stream`: the companion that pairs a watch and streams its heart rate."""
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


def _serve(commands: Any, settings: Settings) -> None:
    """`backcoach serve`: the skill as a web service."""
    serve = commands.add_parser("serve", help="run the skill as a web service (Alexa's HTTPS endpoint option)")
    serve.add_argument("--host", help=f"address to listen on (default {settings.host}, or ${ENV_HOST})")
    serve.add_argument("--port", type=int, help=f"port to listen on (default {settings.port}, or ${ENV_PORT})")
    serve.add_argument("--db", type=Path, help="SQLite file when no DynamoDB table is configured")
    serve.add_argument("--skill-id", help=f"the skill id requests must carry (default ${ENV_SKILL_ID})")
    serve.add_argument("--threads", type=int, default=8, help="worker threads")
    serve.add_argument(
        "--insecure-skip-verification", action="store_true",
        help="accept unsigned requests (for local simulators only; warns at start, then at most once a minute)",
    )


def _build(commands: Any) -> None:
    """`backcoach build`: the skill package, the Lambda zips, or the audio mode's clips."""
    build = commands.add_parser("build", help="write the skill package, Lambda zips and account-linking requests")
    build.add_argument("--function-arn", help=f"the skill function's ARN (default ${ENV_FUNCTION_ARN}); without "
                       "one the manifest has no endpoint, as for creating the skill before the stack")
    build.add_argument("--out", type=Path, default=Path("build"), help="output directory (default build/)")
    build.add_argument("--audio", action="store_true", help="only pre-render every clip of the audio mode (S3 when "
                       "BACKCOACH_AUDIO_BUCKET is set, else the local clip directory) and report them")
    _link_options(build)


def _deploy(commands: Any) -> None:
    """`backcoach deploy`: build, then the SAM stack and the skill package."""
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


def _export(commands: Any) -> None:
    """`backcoach export`: a logged workout as a FIT or TCX file."""
    export = commands.add_parser("export", help="write a logged workout as a FIT or TCX file")
    export.add_argument("--format", choices=["fit", "tcx"],
                        help="default: from the extension of --out (.tcx or .fit), FIT for any other")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--workout", type=int, help="the workout's start (epoch ms); default: the latest")
    export.add_argument("--user", default="local-user", type=_id_name)
    export.add_argument("--db", type=Path, help="the local store (default: your state directory)")


def _upload(commands: Any) -> None:
    """`backcoach upload`: a logged workout to Strava or Fitbit."""
    upload = commands.add_parser("upload", help="upload a logged workout to Strava or Fitbit (retries what failed)")
    upload.add_argument("--service", choices=["strava", "fitbit"], help="queue the workout for this service")
    upload.add_argument("--workout", type=int, help="the workout's start (epoch ms); default: the latest")
    upload.add_argument("--user", default="local-user", type=_id_name)
    upload.add_argument("--db", type=Path, help="the local store (default: your state directory)")


def _model(commands: Any) -> None:
    """`backcoach model`: the interaction models' slot types from the content."""
    model = commands.add_parser("model", help="regenerate the interaction models' slot types from the content")
    model.add_argument("--check", action="store_true", help="only report models that are out of date")


def _link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--privacy-url", help=f"the privacy policy the manifest links to (default ${ENV_PRIVACY_URL})")
    parser.add_argument("--terms-url", help=f"the terms of use the manifest links to (default ${ENV_TERMS_URL})")


def _id_name(text: str) -> str:
    """A local name for a user, voice or device: it becomes the tail of an Alexa id, so Alexa's characters only."""
    if text and not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", text):
        raise argparse.ArgumentTypeError(f"{text!r}: use letters, digits, '-', '_' and '.' only")
    return text


def _zone_argument(text: str) -> str:
    from skill.cli.local_zone import zone_argument

    return zone_argument(text)

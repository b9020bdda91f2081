"""`backcoach wearable stream`: pair, then push heart rate from a sensor or a simulated heart.

One asyncio loop reads the source and sends in the background (each request in a worker thread); it says what it
is doing unless --quiet. It imports no server code, so it runs on its own on the person's laptop."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.error import URLError

from skill.companion.simulated import SimulatedHeart
from skill.companion.stream import Companion, Status, ble_heart_rate, http_transport, stream
from skill.settings import Settings, state_dir

FLUSH_SECONDS = 5.0
TOKEN_FILE = "companion-token"


def token_path(args: argparse.Namespace, settings: Settings) -> Path:
    """--token-file, else the platform's state folder; a token kept beside a store chosen with BACKCOACH_DB (where
    earlier versions kept it) is still found there."""
    if args.token_file:
        return args.token_file
    beside_store = settings.db_path.with_name(TOKEN_FILE)
    default = state_dir() / TOKEN_FILE
    return beside_store if beside_store.exists() and not default.exists() else default


def stream_command(args: argparse.Namespace, settings: Settings) -> int:
    """Pairs (with --code) and streams; every way this fails is a sentence and an exit status."""
    try:
        return _stream(args, settings)
    except PermissionError as e:  # before OSError: it is one. A wrong code, or a token revoked while streaming
        print(f"backcoach wearable stream: {e}. Say \"Alexa, ask back coach to pair my watch\" and pass the new "
              "code with --code.", file=sys.stderr)
        return 1
    except (URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        print(f"backcoach wearable stream: cannot reach {args.url} ({reason}): is `backcoach serve` running there, "
              "or is it the stack's SyncApiUrl?", file=sys.stderr)
        return 1
    except ValueError as e:  # urllib: "unknown url type"
        print(f"backcoach wearable stream: {args.url} is not an http(s) URL ({e})", file=sys.stderr)
        return 2
    except RuntimeError as e:  # no heart-rate sensor found
        print(f"backcoach wearable stream: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


def _stream(args: argparse.Namespace, settings: Settings) -> int:
    token_file = token_path(args, settings)
    status = Status(quiet=getattr(args, "quiet", False))
    companion = Companion(http_transport(args.url))
    if args.code:
        companion.pair(args.code, args.device_name)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(companion.token, encoding="utf-8")
        os.chmod(token_file, 0o600)
        status.say(f"Paired. Token kept in {token_file}.")
    elif token_file.exists():
        companion.token = token_file.read_text(encoding="utf-8").strip()
    else:
        print("Say \"Alexa, ask back coach to pair my watch\" and pass the code with --code.")
        return 2
    deadline = time.monotonic() + args.duration if args.duration else float("inf")
    if args.source == "simulated":
        readings = simulated_readings(args.work, args.rest)
    else:
        readings = ble_heart_rate(args.address, status=status)
    try:
        asyncio.run(stream(companion, readings, status, deadline=deadline, flush_every_s=FLUSH_SECONDS))
    except KeyboardInterrupt:
        status.say(f"Stopped. Sent {companion.sent} samples.")
    except PermissionError as error:  # the token was revoked ("unpair my watch"): only pairing again helps
        print(f"{error}. Say \"Alexa, ask back coach to pair my watch\" and pass the code with --code.")
        return 1
    return 0


async def simulated_readings(work: int, rest: int, interval_s: float = 1.0) -> AsyncIterator[tuple[int, int]]:
    """A simulated heart, one reading a second: `work` seconds of effort, then `rest` seconds of recovery."""
    heart, started = SimulatedHeart(), time.monotonic()
    while True:
        into_cycle = int(time.monotonic() - started) % (work + rest)
        yield int(time.time() * 1000), heart.step(interval_s, 0.7 if into_cycle < work else 0.0)
        await asyncio.sleep(interval_s)

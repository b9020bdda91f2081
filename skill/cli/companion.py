"""`backcoach wearable stream`: pair, then push heart rate from a sensor or a simulated heart."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from urllib.error import URLError

from skill.companion.simulated import SimulatedHeart
from skill.companion.stream import Companion, ble_heart_rate, http_transport
from skill.settings import Settings

FLUSH_SECONDS = 5.0


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
    token_file = args.token_file or settings.db_path.with_name("companion-token")
    companion = Companion(http_transport(args.url))
    if args.code:
        companion.pair(args.code, args.device_name)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(companion.token, encoding="utf-8")
        os.chmod(token_file, 0o600)
        print(f"Paired. Token kept in {token_file}.", flush=True)
    elif token_file.exists():
        companion.token = token_file.read_text(encoding="utf-8").strip()
    else:
        print("Say \"Alexa, ask back coach to pair my watch\" and pass the code with --code.")
        return 2
    deadline = time.monotonic() + args.duration if args.duration else float("inf")
    if args.source == "simulated":
        return _simulated(companion, deadline, args.work, args.rest)
    return asyncio.run(_ble(companion, deadline, args.address))


def _simulated(companion: Companion, deadline: float, work: int, rest: int) -> int:
    heart, started, last_flush = SimulatedHeart(), time.monotonic(), time.monotonic()
    while time.monotonic() < deadline:
        into_cycle = int(time.monotonic() - started) % (work + rest)
        companion.add([(int(time.time() * 1000), heart.step(1.0, 0.7 if into_cycle < work else 0.0))])
        if time.monotonic() - last_flush >= FLUSH_SECONDS:
            companion.flush()
            last_flush = time.monotonic()
        time.sleep(1.0)
    companion.flush()
    print(f"Sent {companion.sent} samples.")
    return 0


async def _ble(companion: Companion, deadline: float, address: str | None) -> int:
    last_flush = time.monotonic()
    async for sample in ble_heart_rate(address):
        companion.add([sample])
        if time.monotonic() - last_flush >= FLUSH_SECONDS:
            companion.flush()
            last_flush = time.monotonic()
        if time.monotonic() >= deadline:
            break
    companion.flush()
    print(f"Sent {companion.sent} samples.")
    return 0


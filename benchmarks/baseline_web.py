"""A bare flask-ask-sdk skill served by waitress, the same way `backcoach serve` is (verification off)."""

from __future__ import annotations

import argparse

import waitress
from flask import Flask

from benchmarks.baseline_skill import MemoryAdapter, builder
from skill.web.oscrypto_fix import load_oscrypto


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    load_oscrypto()
    from flask_ask_sdk.skill_adapter import SkillAdapter

    app = Flask("baseline")
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = False
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = False
    adapter = SkillAdapter(skill=builder(MemoryAdapter()).create(), skill_id="", app=app)
    app.add_url_rule("/", "alexa", adapter.dispatch_request, methods=["POST"])
    app.add_url_rule("/healthz", "health", lambda: {"status": "ok"})
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=8)


if __name__ == "__main__":
    main()

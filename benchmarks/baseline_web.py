"""Two flask-ask-sdk hello skills served by waitress, the same way `backcoach serve` is (verification off, eight
threads): `--bare`, a handler that says hello and nothing else (no persistence adapter, no attributes);
otherwise the same skill reading and writing its attributes in memory on every request."""

from __future__ import annotations

import argparse
from typing import Any

import waitress
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from flask import Flask

from benchmarks.baseline_skill import MemoryAdapter, builder
from skill.web.oscrypto_fix import load_oscrypto


class HelloHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: Any) -> bool:
        return True

    def handle(self, handler_input: Any) -> Any:
        return handler_input.response_builder.speak("Hello.").ask("Hello?").response


def bare_skill() -> Any:
    skill = SkillBuilder()
    skill.add_request_handler(HelloHandler())
    return skill.create()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bare", action="store_true", help="no persistence at all")
    args = parser.parse_args()
    load_oscrypto()
    from flask_ask_sdk.skill_adapter import SkillAdapter

    app = Flask("baseline")
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = False
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = False
    skill = bare_skill() if args.bare else builder(MemoryAdapter()).create()
    adapter = SkillAdapter(skill=skill, skill_id="", app=app)
    app.add_url_rule("/", "alexa", adapter.dispatch_request, methods=["POST"])
    app.add_url_rule("/healthz", "health", lambda: {"status": "ok"})
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=8)


if __name__ == "__main__":
    main()

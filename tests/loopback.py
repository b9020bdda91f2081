"""A stand-in HTTP service on 127.0.0.1 for one test: started in a thread, stopped and closed after it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a free loopback port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _RefusingAlexaApi(BaseHTTPRequestHandler):
    """Alexa's APIs answering a token they do not accept: 401 with Alexa's error body."""

    def _refuse(self) -> None:
        body = b'{"code":"ACCESS_DENIED","message":"Invalid access token"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


def alexa_api_stand_in() -> contextlib.AbstractContextManager[str]:
    return serving(_RefusingAlexaApi)

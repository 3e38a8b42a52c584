"""A real HTTP server on loopback that records the webhook calls it gets (for zone tests).

Loopback is not a public address, so a test that delivers to this receiver
allows it the way a team allows its own internal receiver: with
``EVENTWIRE_WEBHOOK_ALLOW`` (see :func:`allow_loopback`).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from eventwire.serving.webhook_guard import ALLOW_VARIABLE

LOOPBACK = "127.0.0.1/32"


def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let webhooks reach this machine's loopback receiver, in this process and its children."""
    monkeypatch.setenv(ALLOW_VARIABLE, LOOPBACK)


class Receiver:
    """A real HTTP server on loopback that records webhook calls, failing the first ``fail``.

    ``delay`` seconds pass before each answer: a slow receiver.
    """

    def __init__(self, fail: int = 0, delay: float = 0.0) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.fail = fail
        self.delay = delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                time.sleep(receiver.delay)
                status = 500 if len(receiver.calls) <= receiver.fail else 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

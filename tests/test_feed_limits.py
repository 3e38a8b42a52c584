"""Feeds are fetched over http(s) only, within size, redirect and time limits (a real server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_readers_feeds import RSS

from eventwire.readers.feeds import FeedFetcher
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits


class Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        if self.path == "/feed":
            self._send(RSS)
        elif self.path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif self.path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/feed")
        elif self.path.startswith("/loop"):
            number = int(self.path.removeprefix("/loop") or 0)
            self._redirect(f"/loop{number + 1}")
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            block = b"<item>" + b"x" * 65_530
            for _ in range(200):
                self.wfile.write(block)
        elif self.path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _one_error(fetcher: FeedFetcher, url: str) -> InputError:
    results = list(fetcher.fetch(url))
    assert len(results) == 1 and isinstance(results[0], InputError), results
    return results[0]


def test_only_http_and_https(base: str) -> None:
    fetcher = FeedFetcher(delay=0)
    assert fetcher.fetch_bytes(f"{base}/feed")
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/feed"):
        assert _one_error(fetcher, url).code == ErrorCode.E012_FETCH_FAILED
    for path in ("/to-file", "/to-ftp"):
        error = _one_error(fetcher, base + path)
        assert error.code == ErrorCode.E012_FETCH_FAILED and "redirect" in error.detail


def test_redirects_size_and_time_are_limited(base: str) -> None:
    fetcher = FeedFetcher(delay=0, limits=Limits(feed_redirects=3, feed_bytes=1_000_000,
                                                 feed_seconds=1.5))
    assert _one_error(fetcher, f"{base}/loop").code == ErrorCode.E012_FETCH_FAILED
    huge = _one_error(fetcher, f"{base}/huge")
    assert huge.code == ErrorCode.E005_TOO_LARGE
    started = time.monotonic()
    drip = _one_error(fetcher, f"{base}/drip")
    assert drip.code == ErrorCode.E012_FETCH_FAILED and "time" in drip.detail
    assert time.monotonic() - started < 5, "a slow drip is cut at the time limit"

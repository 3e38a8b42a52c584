"""An article URL is read as one article; --follow reads a feed item's own page."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventwire.readers import read_inputs
from eventwire.readers.feeds import looks_like_feed
from eventwire.records.model import Article

STORY = """<!doctype html><html><head><title>Army retakes Kidal</title>
<meta property="article:published_time" content="2020-01-08"></head><body>
<nav>Home | World | Sport</nav><article><h1>Army retakes Kidal</h1>
<p>Malian soldiers retook the northern town of Kidal from rebels on Tuesday after two days
of fighting, the army said in a statement.</p>
<p>The rebels had seized the town on Monday. Residents said the fighting killed at least
twelve people and forced hundreds to flee towards the Algerian border.</p>
<p>The government said it would send more troops to the region this week.</p></article>
<footer>Copyright</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        host = f"http://{self.headers['Host']}"
        if self.path == "/story.html":
            body, kind = STORY.encode(), "text/html; charset=utf-8"
        elif self.path == "/feed.rss":
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>'
                    f"<item><title>Army retakes Kidal</title><link>{host}/story.html</link>"
                    "<pubDate>Wed, 08 Jan 2020 09:00:00 GMT</pubDate>"
                    "<description>Soldiers retook Kidal.</description></item>"
                    "</channel></rss>").encode()
            kind = "application/rss+xml"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_or_page() -> None:
    assert looks_like_feed(b'<?xml version="1.0"?><rss version="2.0"><channel>')
    assert looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not looks_like_feed(STORY.encode())


def test_an_article_url_is_one_article(server: str) -> None:
    results = list(read_inputs([f"{server}/story.html"]))
    assert len(results) == 1 and isinstance(results[0], Article)
    assert "Malian soldiers retook" in results[0].body
    assert results[0].url == f"{server}/story.html"


def test_follow_reads_the_linked_page(server: str) -> None:
    summary, = read_inputs([f"{server}/feed.rss"], check_language=False)
    followed, = read_inputs([f"{server}/feed.rss"], follow=True)
    assert isinstance(summary, Article) and isinstance(followed, Article)
    assert summary.body == "Soldiers retook Kidal."
    assert "forced hundreds to flee" in followed.body
    assert followed.doc_id == summary.doc_id and followed.published == "2020-01-08"


def test_code_url_on_the_command_line(server: str) -> None:
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "code", f"{server}/story.html",
                           "--no-model"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(e["plover"] == "ASSAULT" or e["cameo"].startswith("19") for e in events), events

"""RSS/Atom feeds: entries become articles; fetching is conditional, polite and bounded in time."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.readers import read_inputs
from eventwire.readers.feeds import USER_AGENT, FeedFetcher, html_to_text, read_feed_bytes
from eventwire.readers.html import url_id
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Sahel Wire</title><link>https://wire.example.org/</link>
<item><title>Rebels seize desert town</title>
<link>https://wire.example.org/2020/rebels-seize-town</link>
<pubDate>Mon, 06 Jan 2020 09:30:00 GMT</pubDate><author>desk@wire.example.org (Jane Roe)</author>
<description>&lt;p&gt;Rebels seized the town of &lt;b&gt;Kidal&lt;/b&gt; on Monday, officials
said.&lt;/p&gt;&lt;p&gt;The army vowed to retake it.&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;
</description></item>
<item><title>Empty item</title><link>https://wire.example.org/2020/empty</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Nile Desk</title>
<entry><title>Talks resume in Khartoum</title><id>tag:nile.example,2020:42</id>
<updated>2020-02-03T08:00:00Z</updated>
<content type="html">&lt;p&gt;Delegations resumed talks in Khartoum on Monday.&lt;/p&gt;</content>
<summary>Talks resume.</summary></entry></feed>"""


def test_rss_entries_become_articles(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_bytes(RSS)
    (tmp_path / "nile.atom").write_bytes(ATOM)
    (tmp_path / "notafeed.xml").write_bytes(b"<config><a>1</a></config>")
    results = list(read_inputs([str(tmp_path / "wire.rss"), str(tmp_path / "nile.atom"),
                                str(tmp_path / "notafeed.xml")]))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, InputError)]
    rebels, talks = articles
    assert rebels.doc_id == url_id("https://wire.example.org/2020/rebels-seize-town")
    assert rebels.url == "https://wire.example.org/2020/rebels-seize-town"
    assert rebels.title == "Rebels seize desert town"
    assert rebels.published == "2020-01-06"
    assert rebels.source == "Sahel Wire"
    assert "Jane Roe" in (rebels.byline or "")
    assert rebels.body == ("Rebels seized the town of Kidal on Monday, officials said.\n\n"
                           "The army vowed to retake it.")
    assert talks.body == "Delegations resumed talks in Khartoum on Monday."
    assert talks.doc_id == url_id("tag:nile.example,2020:42") and talks.published == "2020-02-03"
    assert [(e.code, e.doc_id) for e in errors] == [
        (ErrorCode.E011_NO_MAIN_TEXT, f"{tmp_path / 'wire.rss'}#2"),  # the file and entry
        (ErrorCode.E009_MALFORMED, str(tmp_path / "notafeed.xml")),
    ]
    assert url_id("https://wire.example.org/2020/empty") in errors[0].detail


def test_html_to_text() -> None:
    assert html_to_text("<p>One &amp; two</p><style>p{}</style><p>three<br>four</p>") == (
        "One & two\n\nthree\n\nfour")
    assert html_to_text("plain   text") == "plain text"
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


class FeedHandler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []
    times: ClassVar[list[float]] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        FeedHandler.seen.append({k: v for k, v in self.headers.items()} | {"path": self.path})
        FeedHandler.times.append(time.monotonic())
        if self.path == "/slow.rss":
            time.sleep(6)
        if self.path == "/missing.rss":
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Mon, 06 Jan 2020 10:00:00 GMT")
        self.send_header("Content-Length", str(len(RSS)))
        self.end_headers()
        try:
            self.wfile.write(RSS)
        except OSError:
            pass  # the client gave up waiting

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    FeedHandler.seen.clear()
    FeedHandler.times.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_conditional_polite_fetching(server: str, tmp_path: Path) -> None:
    state = tmp_path / "feeds.json"
    fetcher = FeedFetcher(state_path=state, timeout=5, delay=0.4)
    url = server + "/wire.rss"
    first = list(fetcher.fetch(url))
    assert [type(r) for r in first] == [Article, InputError]
    assert json.loads(state.read_text())[url] == {
        "etag": '"v1"', "modified": "Mon, 06 Jan 2020 10:00:00 GMT"}
    assert list(fetcher.fetch(url)) == [], "unchanged feed: a 304 and no articles"
    assert FeedHandler.seen[0]["User-Agent"] == USER_AGENT
    assert "If-None-Match" not in FeedHandler.seen[0]
    assert FeedHandler.seen[1]["If-None-Match"] == '"v1"'
    assert FeedHandler.seen[1]["If-Modified-Since"] == "Mon, 06 Jan 2020 10:00:00 GMT"
    assert FeedHandler.times[1] - FeedHandler.times[0] >= 0.35, "pause between same-host requests"
    # a new fetcher with the same state file stays conditional
    again = FeedFetcher(state_path=state, timeout=5, delay=0)
    assert list(again.fetch(url)) == []
    assert FeedHandler.seen[2]["If-None-Match"] == '"v1"'


def test_timeouts_and_http_errors_are_one_error_each(server: str) -> None:
    fetcher = FeedFetcher(timeout=0.3, delay=0)
    slow = server + "/slow.rss"
    started = time.monotonic()
    results = list(fetcher.fetch(slow))
    assert time.monotonic() - started < 5, "the 0.3 s timeout was not applied"
    assert len(results) == 1 and isinstance(results[0], InputError)
    assert results[0].doc_id == slow and results[0].code == ErrorCode.E012_FETCH_FAILED
    assert "timed out" in results[0].detail
    missing = list(fetcher.fetch(server + "/missing.rss"))
    assert [(e.code, e.detail) for e in missing if isinstance(e, InputError)] == [
        (ErrorCode.E012_FETCH_FAILED, "HTTP 404")]
    refused = list(FeedFetcher(timeout=1, delay=0).fetch("http://127.0.0.1:9/feed.rss"))
    assert [e.code for e in refused if isinstance(e, InputError)] == [ErrorCode.E012_FETCH_FAILED]


def test_read_inputs_takes_feed_urls(server: str, tmp_path: Path) -> None:
    fetcher = FeedFetcher(state_path=tmp_path / "state.json", delay=0)
    results = list(read_inputs([server + "/wire.rss"], fetcher=fetcher))
    assert [r.doc_id for r in results if isinstance(r, Article)] == [
        url_id("https://wire.example.org/2020/rebels-seize-town")]
    assert (tmp_path / "state.json").exists()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_no_bytes_crash_the_feed_reader(data: bytes) -> None:
    for result in read_feed_bytes(data, origin="fuzz"):
        assert isinstance(result, Article | InputError)


PIECES = st.sampled_from(["<rss version='2.0'>", "<channel>", "<item>", "</item>", "<title>",
                          "</title>", "<description>", "</description>", "<link>", "</link>",
                          "<pubDate>", "</pubDate>", "&lt;p&gt;", "<![CDATA[<p>x", "]]>",
                          "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=50))
def test_no_feed_soup_crashes_the_feed_reader(parts: list[str]) -> None:
    data = "".join(parts).encode("utf-8", "surrogatepass")
    for result in read_feed_bytes(data, origin="fuzz"):
        assert isinstance(result, Article | InputError)

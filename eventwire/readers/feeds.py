"""RSS and Atom feeds: each entry an Article, from a local file or fetched politely.

Feeds are polled again and again, so fetching is a good citizen: a timeout, a
User-Agent that says who is asking, conditional requests (ETag and
Last-Modified, remembered in a small JSON state file the caller chooses) so
an unchanged feed costs a 304 and nothing else, and a pause between requests
to the same host. Entry bodies are HTML fragments; their markup is stripped
here rather than by a page extractor, which would throw short snippets away.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

from eventwire import __version__ as _version
from eventwire.readers.html import read_html_bytes, url_id
from eventwire.readers.structure import structure_plain_text
from eventwire.readers.text import check_text, content_id
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

MAX_FEED_BYTES = Limits().feed_bytes
ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = f"eventwire/{_version} (news event coder; polite feed reader)"
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article tr table pre hr "
    "figure figcaption header footer dd dt".split()
)
SKIP_TAGS = frozenset(("script", "style", "noscript", "iframe", "svg"))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Paragraphs of an HTML fragment as plain text, one blank line between blocks."""
    if "<" not in fragment and "&" not in fragment:
        text = fragment
    else:
        collector = _TextCollector()
        try:
            collector.feed(fragment)
            collector.close()
        except (AssertionError, ValueError):  # html.parser gives up on some broken markup
            pass
        text = "".join(collector.parts)
    blocks = (" ".join(block.split()) for block in text.split("\n\n"))
    return "\n\n".join(block for block in blocks if block)


def _struct_to_iso(value: Any) -> str | None:
    try:
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    except (AttributeError, TypeError, ValueError):
        return None


def _text_of(entry: Any, key: str) -> str | None:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def entry_to_article(entry: Any, feed_title: str | None, where: str) -> Article | InputError:
    """One feed entry to an Article: the longest of its content and summary, as text."""
    candidates: list[str] = []
    for content in entry.get("content") or []:
        if isinstance(content, dict) and isinstance(content.get("value"), str):
            candidates.append(content["value"])
    summary = _text_of(entry, "summary")
    if summary:
        candidates.append(summary)
    texts = [html_to_text(c) for c in candidates]
    text = max(texts, key=len, default="")
    link = _text_of(entry, "link")
    guid = _text_of(entry, "id")
    doc_id = url_id(link) if link else url_id(guid) if guid else content_id(text or where)
    # an entry that is not coded is reported as the feed and its entry number, which a
    # reader can find; a hash of nothing would point nowhere
    if not text:
        detail = "entry has no content or summary" + (f"; id {doc_id}" if link or guid else "")
        return InputError(where, ErrorCode.E011_NO_MAIN_TEXT, detail)
    problem = check_text(text, where)
    if problem:
        return problem
    title = _text_of(entry, "title")
    published = _struct_to_iso(entry.get("published_parsed")) or _struct_to_iso(
        entry.get("updated_parsed")
    )
    article = structure_plain_text(
        text, doc_id=doc_id, title=html_to_text(title) if title else None, published=published
    )
    article.url = link
    article.source = feed_title
    article.byline = _text_of(entry, "author") or article.byline
    return article


def read_feed_bytes(data: bytes, origin: str, limits: Limits | None = None
                    ) -> Iterator[Article | InputError]:
    """Articles from every entry of an RSS/Atom document; one error if it is not a feed."""
    limits = limits or current_limits()
    if not data.strip():
        yield InputError(origin, ErrorCode.E002_EMPTY)
        return
    if len(data) > limits.feed_bytes:
        yield InputError(origin, ErrorCode.E005_TOO_LARGE,
                         f"{len(data)} bytes, limit {limits.feed_bytes}")
        return
    try:
        # bytes, never str: feedparser takes a str for a URL or a file name
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - the parser's failure is the input's fault
        yield InputError(origin, ErrorCode.E009_MALFORMED, f"feed not parsed: {type(exc).__name__}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") or not parsed.get("version"):
            yield InputError(origin, ErrorCode.E009_MALFORMED, "not an RSS or Atom feed")
        return
    feed_title = _text_of(parsed.get("feed") or {}, "title")
    for number, entry in enumerate(entries, start=1):
        try:
            result = entry_to_article(entry, feed_title, f"{origin}#{number}")
        except Exception as exc:  # noqa: BLE001 - one odd entry must not stop the feed
            yield InputError(f"{origin}#{number}", ErrorCode.E009_MALFORMED, type(exc).__name__)
            continue
        if isinstance(result, Article):
            result.origin = f"{origin}#{number}"
        yield result


def read_feed_file(path: Path, origin: str | None = None, limits: Limits | None = None
                   ) -> Iterator[Article | InputError]:
    limits = limits or current_limits()
    with path.open("rb") as handle:
        data = handle.read(limits.feed_bytes + 1)
    yield from read_feed_bytes(data, origin=origin or str(path), limits=limits)


class FetchRefused(Exception):
    """A fetch that breaks a limit: scheme, redirects, size or time."""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``limit`` redirects, and only to http(s): never file:, ftp: or data:."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ALLOWED_SCHEMES:
            raise FetchRefused(f"redirect to a {urlsplit(newurl).scheme or 'relative'}: URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _redirects(limit: int) -> _LimitedRedirects:
    handler = type("Redirects", (_LimitedRedirects,),
                   {"max_redirections": limit, "max_repeats": min(4, limit)})
    made: _LimitedRedirects = handler()
    return made


def _opener(redirects: int) -> urllib.request.OpenerDirector:
    """http(s) and redirects only: no file, ftp or data handlers to reach by a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor(), _redirects(redirects)):
        opener.add_handler(handler)
    return opener


def _read_within(response: Any, limit: int, deadline: float) -> bytes:
    """The body, refused past ``limit`` bytes or past the deadline (a slow drip included)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchRefused("took longer than the time limit")
        chunk = response.read1(1 << 16) if hasattr(response, "read1") else response.read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchRefused(f"over {limit} bytes")
        chunks.append(chunk)


class FeedFetcher:
    """Fetches feed URLs with timeouts, conditional requests and a per-host pause.

    ``state_path`` is a JSON file mapping each feed URL to its last ETag and
    Last-Modified; it is read once and rewritten after every successful fetch.
    """

    def __init__(
        self,
        state_path: Path | None = None,
        timeout: float | None = None,
        delay: float = 2.0,
        user_agent: str = USER_AGENT,
        limits: Limits | None = None,
    ) -> None:
        self.limits = limits or current_limits()
        self.state_path = state_path
        self.timeout = timeout if timeout is not None else self.limits.feed_seconds
        self.opener = _opener(self.limits.feed_redirects)
        self.delay = delay
        self.user_agent = user_agent
        self.last_request: dict[str, float] = {}
        self.state: dict[str, dict[str, str]] = self._load_state()

    def _load_state(self) -> dict[str, dict[str, str]]:
        if self.state_path is None or not self.state_path.exists():
            return {}
        try:
            loaded = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged state file only costs one unconditional fetch
        if not isinstance(loaded, dict):
            return {}
        return {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, dict)}

    def _save_state(self) -> None:
        if self.state_path is None:
            return
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_text(json.dumps(self.state, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def _wait_for_host(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self.last_request[host] = time.monotonic()

    def fetch_bytes(self, url: str) -> bytes | None | InputError:
        """The feed's bytes; None when the server says it has not changed (304)."""
        headers = {"User-Agent": self.user_agent, "Accept": "application/rss+xml, "
                   "application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"}
        known = self.state.get(url, {})
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("modified"):
            headers["If-Modified-Since"] = known["modified"]
        if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
            return InputError(url, ErrorCode.E012_FETCH_FAILED, "only http and https feeds")
        self._wait_for_host(urlsplit(url).netloc.lower())
        request = urllib.request.Request(url, headers=headers)
        deadline = time.monotonic() + self.timeout
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                data = _read_within(response, self.limits.feed_bytes, deadline)
                etag = response.headers.get("ETag")
                modified = response.headers.get("Last-Modified")
        except FetchRefused as exc:
            code = ErrorCode.E005_TOO_LARGE if "bytes" in str(exc) else ErrorCode.E012_FETCH_FAILED
            return InputError(url, code, str(exc))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return None
            refused = "; redirect refused (too many, or not to http/https)"
            detail = f"HTTP {exc.code}" + (refused if 300 <= exc.code < 400 else "")
            return InputError(url, ErrorCode.E012_FETCH_FAILED, detail)
        except TimeoutError:
            return InputError(url, ErrorCode.E012_FETCH_FAILED, f"timed out after {self.timeout}s")
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                detail = f"timed out after {self.timeout}s"
            else:
                detail = str(exc.reason)[:200]
            return InputError(url, ErrorCode.E012_FETCH_FAILED, detail)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            detail = f"{type(exc).__name__}: {exc}"[:200]
            return InputError(url, ErrorCode.E012_FETCH_FAILED, detail)
        entry = {k: v for k, v in (("etag", etag), ("modified", modified)) if v}
        if entry:
            self.state[url] = entry
        else:
            self.state.pop(url, None)
        self._save_state()
        return data

    def fetch(self, url: str, follow: bool = False) -> Iterator[Article | InputError]:
        """The articles at ``url``: a feed's items, or the one article of a page; nothing
        when it is unchanged since last time. With ``follow``, each feed item is replaced by
        the page its link names (an item carries a summary, the page the whole story)."""
        result = self.fetch_bytes(url)
        if result is None:
            return
        if isinstance(result, InputError):
            yield result
            return
        if not looks_like_feed(result):
            yield read_html_bytes(result, url=url, where=url, limits=self.limits)
            return
        for item in read_feed_bytes(result, origin=url, limits=self.limits):
            yield self._followed(item) if follow and isinstance(item, Article) else item

    def _followed(self, item: Article) -> Article | InputError:
        """The page an item links to, dated by the item when the page gives no date."""
        if not item.url:
            return item
        page = self.fetch_bytes(item.url)
        if page is None:  # unchanged since it was last read: the item is already known
            return item
        if isinstance(page, InputError):
            return page
        article = read_html_bytes(page, doc_id=item.doc_id, url=item.url, where=item.url,
                                  fallback_date=item.published, limits=self.limits)
        if isinstance(article, Article):
            article.source = article.source or item.source
        return article


def looks_like_feed(data: bytes) -> bool:
    """Whether fetched bytes are an RSS, Atom or RDF document rather than a web page."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<!doctype html") or b"<html" in head[:512]:
        return False
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


__all__ = [
    "USER_AGENT", "FeedFetcher", "entry_to_article", "html_to_text", "looks_like_feed",
    "read_feed_bytes", "read_feed_file",
]

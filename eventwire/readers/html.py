"""HTML pages: the article's main text and metadata, without the page furniture.

A news page is mostly navigation, teasers, comments and footers; only the main
text is the article. trafilatura finds it, together with title, date, author
and site name. The text then goes through the same plain-text structuring as
any other input, so every reader yields the same Article shape.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from trafilatura import bare_extraction

from eventwire.readers.structure import structure_plain_text
from eventwire.readers.text import check_text, clean_surrogates, content_id
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

MAX_HTML_BYTES = Limits().html_bytes
"""Default largest page; markup is several times its text, a dump is still not an article."""
MIN_WORDS = 8
"""Fewer words of main text and the page is navigation or an error page, not an article."""
CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)

# trafilatura logs every page it finds empty; the InputError already says so.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def url_id(url: str) -> str:
    """A stable id for a page with a known address: the same URL is the same article."""
    return "url-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:16]


def _field(doc: Any, name: str) -> str | None:
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _looks_binary(data: bytes) -> bool:
    """Same test as for plain text, done with bytes.translate: pages are many and long."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > max(4, len(sample) // 50)


def _extract(data: bytes | str, url: str | None, fast: bool) -> Any:
    # precision: a news page's main text is one block; the recall passes that hunt for
    # more text on short pages mostly bring back teasers and link lists, at twice the cost
    return bare_extraction(
        data,
        url=url,
        with_metadata=True,
        fast=fast,
        favor_precision=fast,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )


def read_html_bytes(
    data: bytes | str,
    doc_id: str | None = None,
    url: str | None = None,
    fallback_date: str | None = None,
    fast: bool = True,
    fallback_id: str | None = None,
    where: str | None = None,
    limits: Limits | None = None,
) -> Article | InputError:
    """One page to one Article, or the reason it is not one.

    ``doc_id`` wins when given; else the id comes from the URL (given, or the
    page's canonical one), else ``fallback_id`` (a file's name), else from a hash
    of the extracted text. ``fast``
    skips trafilatura's slower fallback extractors, which news pages rarely need.
    ``where`` names the page in errors (a path the user gave), else the id does.
    """
    limits = limits or current_limits()
    where = where or doc_id or (url_id(url) if url else fallback_id or "html")
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if not raw.strip():
        return InputError(where, ErrorCode.E002_EMPTY)
    if len(raw) > limits.html_bytes:
        return InputError(where, ErrorCode.E005_TOO_LARGE,
                          f"{len(raw)} bytes, limit {limits.html_bytes}")
    if _looks_binary(raw):
        return InputError(where, ErrorCode.E003_BINARY)
    try:
        doc = _extract(data, url, fast)
    except RecursionError:
        return InputError(where, ErrorCode.E015_TOO_DEEP, "markup nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - a parser failure is the page's fault, not ours
        return InputError(where, ErrorCode.E009_MALFORMED, f"HTML not parsed: {type(exc).__name__}")
    if doc is None:
        return InputError(where, ErrorCode.E011_NO_MAIN_TEXT)
    text = _field(doc, "text")
    if text is None:
        return InputError(where, ErrorCode.E011_NO_MAIN_TEXT)
    if len(text.split()) < MIN_WORDS:
        return InputError(where, ErrorCode.E011_NO_MAIN_TEXT, f"{len(text.split())} words")
    page_url = url or _field(doc, "url")
    article_id = doc_id or (url_id(page_url) if page_url else fallback_id or content_id(text))
    text, _ = clean_surrogates(text)
    problem = check_text(text, where, limits)
    if problem:
        return problem
    article = structure_plain_text(
        text,
        doc_id=article_id,
        title=_field(doc, "title"),
        published=_field(doc, "date") or fallback_date,
        limits=limits,
    )
    article.origin = where
    article.url = page_url
    article.source = _field(doc, "sitename") or _field(doc, "hostname")
    article.byline = _field(doc, "author") or article.byline
    return article

"""Readers: turn inputs (files, folders, feed URLs, standard input) into articles or errors.

Every reader yields :class:`~eventwire.model.Article` or
:class:`~eventwire.errors.InputError`; one bad input never stops the batch.
Readers are registered by file suffix so a new format is one module and one
line here. Articles judged not to be in English are reported, not yielded:
the coder is English-only and would miscode them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from eventwire.errors import ErrorCode, InputError
from eventwire.language import guess_language
from eventwire.model import Article
from eventwire.readers.feeds import FeedFetcher, read_feed_file
from eventwire.readers.html import MAX_HTML_BYTES, read_html_bytes
from eventwire.readers.jsonl import read_jsonl_lines
from eventwire.readers.text import MAX_BYTES, content_id, decode_bytes, read_text_bytes
from eventwire.readers.warc import read_warc_file

ReadResult = Article | InputError
Reader = Callable[[Path], Iterator[ReadResult]]


def _read_text_file(path: Path) -> Iterator[ReadResult]:
    yield read_text_bytes(path.read_bytes(), doc_id=path.stem)


def _read_jsonl_file(path: Path) -> Iterator[ReadResult]:
    with path.open("rb") as handle:
        yield from read_jsonl_lines(handle, origin=path.name)


def _read_html_file(path: Path) -> Iterator[ReadResult]:
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        yield InputError(str(path), ErrorCode.E005_TOO_LARGE, f"{size} bytes")
        return
    data = path.read_bytes()
    yield read_html_bytes(data, fallback_id=path.stem)


READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".jsonl": _read_jsonl_file,
    ".ndjson": _read_jsonl_file,
    ".html": _read_html_file,
    ".htm": _read_html_file,
    ".warc": read_warc_file,
    ".warc.gz": read_warc_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".xml": read_feed_file,
}


def reader_for(path: Path) -> Reader | None:
    """The reader for the longest registered suffix of the file name (``.warc.gz`` first)."""
    name = path.name.lower()
    matches = [suffix for suffix in READERS if name.endswith(suffix)]
    return READERS[max(matches, key=len)] if matches else None


def _suffix(path: Path) -> str:
    return "".join(path.suffixes[-2:]) if path.name.lower().endswith(".gz") else path.suffix


def _read_stdin() -> Iterator[ReadResult]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    if head == b"{":
        yield from read_jsonl_lines(iter(data.splitlines(keepends=True)), origin="stdin")
    else:
        yield read_text_bytes(data, doc_id="stdin")


def _read_path(path: Path) -> Iterator[ReadResult]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if reader_for(child) is not None:
                yield from _read_path(child)
        return
    if not path.exists():
        yield InputError(str(path), ErrorCode.E001_MISSING)
        return
    reader = reader_for(path)
    if reader is None:
        detail = f"suffix {_suffix(path) or '(none)'}"
        yield InputError(str(path), ErrorCode.E008_UNSUPPORTED, detail)
        return
    try:
        yield from reader(path)
    except OSError as exc:
        yield InputError(str(path), ErrorCode.E001_MISSING, str(exc))


def is_url(item: str) -> bool:
    return item.lower().startswith(("http://", "https://"))


def english_only(results: Iterable[ReadResult]) -> Iterator[ReadResult]:
    """Pass English (or too short to judge) articles; report the rest with their language."""
    for result in results:
        if isinstance(result, Article):
            language = guess_language(result.body or result.text)
            if language not in (None, "en"):
                yield InputError(result.doc_id, ErrorCode.E010_NOT_ENGLISH, language)
                continue
            result.language = language or "en"  # too short to judge counts as English
        yield result


def _read_items(inputs: Iterable[str], fetcher: FeedFetcher | None,
                feed_state: Path | None) -> Iterator[ReadResult]:
    for item in inputs:
        if item == "-":
            yield from _read_stdin()
        elif is_url(item):
            if fetcher is None:
                fetcher = FeedFetcher(state_path=feed_state)
            yield from fetcher.fetch(item)
        else:
            yield from _read_path(Path(item))


def read_inputs(
    inputs: Iterable[str],
    *,
    feed_state: Path | None = None,
    fetcher: FeedFetcher | None = None,
    check_language: bool = True,
) -> Iterator[ReadResult]:
    """Articles and errors from paths, folders, feed URLs and ``-`` (standard input), in order.

    http(s) inputs are RSS/Atom feed URLs, fetched by ``fetcher`` (one is made,
    keeping ETag/Last-Modified in ``feed_state``, when none is given).
    """
    results = _read_items(inputs, fetcher, feed_state)
    yield from english_only(results) if check_language else results


__all__ = [
    "MAX_BYTES", "READERS", "FeedFetcher", "ReadResult", "content_id", "decode_bytes",
    "english_only", "read_inputs", "reader_for",
]

"""WARC archives (CC-NEWS and the like): one Article per HTML response record.

Archives run to gigabytes, so records are streamed one at a time and each
body is read and dropped before the next. Only HTTP responses carrying HTML
are articles; requests, metadata, robots.txt, images and feeds are skipped
silently. A truncated or corrupt archive keeps what came before the damage
and reports it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from eventwire.readers.compressed import DecompressedTooLarge, open_maybe_gzip
from eventwire.readers.html import read_html_bytes, url_id
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

HTML_TYPES = ("text/html", "application/xhtml+xml")


def http_date_to_iso(value: str | None) -> str | None:
    """``Tue, 02 Jun 2017 10:00:00 GMT`` or ``2017-06-02T10:00:00Z`` to ``2017-06-02``."""
    if not value:
        return None
    value = value.strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        return value[:10]
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _is_html(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


class HeadersTooLarge(Exception):
    """More bytes between two records than any record header needs."""


class _CountingReader:
    """Counts the plain bytes warcio reads, and bounds what it reads between two records.

    warcio reads a header line whole, however long: a "header" of a gigabyte of
    zeros would be held in memory. Bytes read since the last record was
    finished (:meth:`mark`) are headers and read-ahead only, so past
    ``window`` bytes the archive is refused.
    """

    def __init__(self, stream: Any, window: int) -> None:
        self.stream = stream
        self.window = window
        self.offset = 0
        self.marked = 0
        self.in_headers = True
        self.tail = b""

    def tell(self) -> int:
        return self.offset

    def content(self) -> None:
        """A record's headers are parsed: its content may be as long as it says."""
        self.in_headers = False

    def mark(self) -> None:
        """A record is finished: what follows is the next one's headers."""
        self.marked = self.offset
        self.in_headers = True

    def read(self, size: int = -1) -> bytes:
        if self.in_headers and self.offset - self.marked > self.window:
            raise HeadersTooLarge(f"over {self.window} bytes without a complete record header")
        data: bytes = self.stream.read(size)
        if data:
            self.tail = (self.tail + data)[-2:]
        self.offset += len(data)
        return data


def _complete(record: Any) -> bool:
    """Drain the record; a record cut short leaves part of its Content-Length unread."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return isinstance(raw, LimitReader) and raw.limit == 0


def _html_body(record: Any, limit: int) -> bytes | None:
    """The decoded body of a successful HTML response; None for every other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    if not _is_html(http.get_header("Content-Type")):
        return None
    status = http.get_statuscode()
    if status and not status.startswith("2"):
        return None
    body: bytes = record.content_stream().read(limit + 1)
    return body


def read_warc_stream(
    stream: IO[bytes], origin: str, fast: bool = True, limits: Limits | None = None,
) -> Iterator[Article | InputError]:
    """Articles from each HTML response in ``stream`` (plain or gzipped WARC).

    Gzip is decompressed here within ``decompressed_bytes``; errors name
    ``origin:N``, the Nth record.
    """
    limits = limits or current_limits()
    count = 0
    plain, gunzip = open_maybe_gzip(stream, limits.decompressed_bytes)
    reader = _CountingReader(plain, limits.header_bytes)
    try:
        archive = ArchiveIterator(reader)
        for record in archive:
            count += 1
            reader.content()
            if record.format != "warc":
                # warcio also reads ARC, and takes almost any text line for an ARC header
                code = ErrorCode.E009_MALFORMED if count == 1 else ErrorCode.E013_TRUNCATED
                yield InputError(origin, code, f"record {count} is not a WARC record")
                return
            if not record.rec_type:
                yield InputError(origin, ErrorCode.E013_TRUNCATED, f"record {count} has no type")
                return
            body = _html_body(record, limits.html_bytes)
            if not _complete(record):
                yield InputError(origin, ErrorCode.E013_TRUNCATED, f"record {count} cut short")
                return
            reader.mark()
            if body is None:
                continue
            http = record.http_headers
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{origin}:{count}"
            doc_id = url_id(uri) if uri else where
            if len(body) > limits.html_bytes:
                yield InputError(where, ErrorCode.E005_TOO_LARGE,
                                 f"over {limits.html_bytes} bytes; {uri}")
                continue
            fallback = http_date_to_iso(http.get_header("Date")) or http_date_to_iso(
                record.rec_headers.get_header("WARC-Date")
            )
            result = read_html_bytes(
                body, doc_id=doc_id, url=uri or None, fallback_date=fallback, fast=fast,
                where=where, limits=limits,
            )
            if isinstance(result, Article):
                result.origin = where
            yield result
    except DecompressedTooLarge as exc:
        yield InputError(origin, ErrorCode.E018_DECOMPRESSED_TOO_LARGE,
                         f"after record {count}: {exc}")
        return
    except HeadersTooLarge as exc:
        yield InputError(origin, ErrorCode.E009_MALFORMED, f"after record {count}: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds on damage
        detail = f"after record {count}: {type(exc).__name__}: {str(exc)[:120]}"
        code = ErrorCode.E013_TRUNCATED if count else ErrorCode.E009_MALFORMED
        yield InputError(origin, code, detail if count else f"not a WARC archive: {detail}")
        return
    if reader.offset == 0:
        yield InputError(origin, ErrorCode.E002_EMPTY)
    elif archive.offset < reader.offset:
        detail = f"{reader.offset - archive.offset} bytes after record {count} not read"
        yield InputError(origin, ErrorCode.E013_TRUNCATED, detail)
    elif gunzip is not None and gunzip.truncated:
        yield InputError(origin, ErrorCode.E013_TRUNCATED, f"gzip member {count} cut short")
    elif not reader.tail.endswith(b"\n"):
        # every WARC record ends with a blank line; a cut inside a header block hides otherwise
        detail = f"archive ends inside record {count}"
        yield InputError(origin, ErrorCode.E013_TRUNCATED, detail)


def read_warc_file(
    path: Path, fast: bool = True, origin: str | None = None, limits: Limits | None = None,
) -> Iterator[Article | InputError]:
    with path.open("rb") as handle:
        yield from read_warc_stream(handle, origin=origin or str(path), fast=fast, limits=limits)

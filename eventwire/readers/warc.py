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

from eventwire.errors import ErrorCode, InputError
from eventwire.model import Article
from eventwire.readers.html import MAX_HTML_BYTES, read_html_bytes, url_id

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


class _CountingReader:
    """Counts bytes read, so an archive cut inside a record header is noticed at the end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.offset = 0
        self.head = b""
        self.tail = b""

    def tell(self) -> int:
        return self.offset

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if data:
            if len(self.head) < 2:
                self.head = (self.head + data)[:2]
            self.tail = (self.tail + data)[-2:]
        self.offset += len(data)
        return data

    @property
    def gzipped(self) -> bool:
        return self.head == b"\x1f\x8b"


class _LastMemberCheck:
    """Notes whether the last gzip member ended properly when warcio closes it.

    A gzipped archive cut inside a member's trailer still decompresses every
    record in full; only the decompressor knows its stream did not end.
    """

    def __init__(self, archive: Any) -> None:
        self.complete = True
        reader = archive.reader
        original = getattr(reader, "close_decompressor", None)
        if original is None:
            return

        def close_decompressor() -> None:
            decompressor = reader.decompressor
            if decompressor is not None and not getattr(decompressor, "eof", True):
                self.complete = False
            original()

        reader.close_decompressor = close_decompressor


def _complete(record: Any) -> bool:
    """Drain the record; a record cut short leaves part of its Content-Length unread."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return isinstance(raw, LimitReader) and raw.limit == 0


def _html_body(record: Any) -> bytes | None:
    """The decoded body of a successful HTML response; None for every other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    if not _is_html(http.get_header("Content-Type")):
        return None
    status = http.get_statuscode()
    if status and not status.startswith("2"):
        return None
    body: bytes = record.content_stream().read(MAX_HTML_BYTES + 1)
    return body


def read_warc_stream(
    stream: IO[bytes], origin: str, fast: bool = True
) -> Iterator[Article | InputError]:
    """Articles from each HTML response in ``stream`` (plain or gzipped WARC)."""
    count = 0
    reader = _CountingReader(stream)
    archive = ArchiveIterator(reader)
    last_member = _LastMemberCheck(archive)
    try:
        for record in archive:
            count += 1
            if record.format != "warc":
                # warcio also reads ARC, and takes almost any text line for an ARC header
                code = ErrorCode.E009_MALFORMED if count == 1 else ErrorCode.E013_TRUNCATED
                yield InputError(origin, code, f"record {count} is not a WARC record")
                return
            if not record.rec_type:
                yield InputError(origin, ErrorCode.E013_TRUNCATED, f"record {count} has no type")
                return
            body = _html_body(record)
            if not _complete(record):
                yield InputError(origin, ErrorCode.E013_TRUNCATED, f"record {count} cut short")
                return
            if body is None:
                continue
            http = record.http_headers
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            doc_id = url_id(uri) if uri else f"{origin}:{count}"
            if len(body) > MAX_HTML_BYTES:
                yield InputError(doc_id, ErrorCode.E005_TOO_LARGE, f"over {MAX_HTML_BYTES} bytes")
                continue
            fallback = http_date_to_iso(http.get_header("Date")) or http_date_to_iso(
                record.rec_headers.get_header("WARC-Date")
            )
            yield read_html_bytes(
                body, doc_id=doc_id, url=uri or None, fallback_date=fallback, fast=fast
            )
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
    elif not last_member.complete:
        yield InputError(origin, ErrorCode.E013_TRUNCATED, f"gzip member {count} cut short")
    elif not reader.gzipped and not reader.tail.endswith(b"\n"):
        # every WARC record ends with a blank line; a cut inside a header block hides otherwise
        detail = f"archive ends inside record {count}"
        yield InputError(origin, ErrorCode.E013_TRUNCATED, detail)


def read_warc_file(path: Path, fast: bool = True) -> Iterator[Article | InputError]:
    with path.open("rb") as handle:
        yield from read_warc_stream(handle, origin=str(path), fast=fast)

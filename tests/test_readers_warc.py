"""WARC archives: HTML responses become articles, everything else is skipped, damage is reported."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.readers import read_inputs
from eventwire.readers.html import url_id
from eventwire.readers.warc import http_date_to_iso, read_warc_stream
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

STORY = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
         "<p>{lead} Officials said the fighting began before dawn and lasted for hours.</p>"
         "<p>Residents said they heard heavy gunfire near the market and the main road.</p>"
         "</article></body></html>")
STORIES = [
    ("https://news.example.com/a/1", "Rebels seize town", "Rebels seized the town of Kidal."),
    ("https://news.example.com/a/2", "Troops retake airport", "Troops retook the airport."),
    ("https://wire.example.org/b/3", "Talks open in Algiers", "Talks opened in Algiers."),
]


def _http(status: str, content_type: str, date: str | None = None) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)]
    if date:
        headers.append(("Date", date))
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def make_warc(gz: bool, stories: list[tuple[str, str, str]] = STORIES) -> bytes:
    """A small CC-NEWS-like archive: warcinfo, requests, responses of several kinds, metadata."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for uri, title, lead in stories:
        writer.write_record(writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
        page = STORY.format(title=title, lead=lead).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(page),
            http_headers=_http("200 OK", "text/html; charset=UTF-8",
                               "Tue, 02 Jun 2017 10:00:00 GMT")))
        writer.write_record(writer.create_warc_record(
            uri, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
            warc_content_type="application/warc-fields"))
    writer.write_record(writer.create_warc_record(
        "https://news.example.com/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n"),
        http_headers=_http("200 OK", "image/png")))
    writer.write_record(writer.create_warc_record(
        "https://news.example.com/gone", "response",
        payload=io.BytesIO(STORY.format(title="Gone", lead="Not found.").encode()),
        http_headers=_http("404 Not Found", "text/html")))
    return buffer.getvalue()


def test_only_html_responses_become_articles(tmp_path: Path) -> None:
    for name, gz in (("cc.warc", False), ("cc.warc.gz", True)):
        path = tmp_path / name
        path.write_bytes(make_warc(gz))
        results = list(read_inputs([str(path)]))
        assert all(isinstance(r, Article) for r in results), results
        articles = [r for r in results if isinstance(r, Article)]
        assert [a.url for a in articles] == [uri for uri, _, _ in STORIES]
        assert [a.doc_id for a in articles] == [url_id(uri) for uri, _, _ in STORIES]
        assert [a.title for a in articles] == [title for _, title, _ in STORIES]
        assert all(a.published == "2017-06-02" for a in articles), "HTTP Date as fallback"
        assert "Kidal" in articles[0].body and "Rebels seize town" not in articles[0].body


def test_warc_files_are_found_in_folders(tmp_path: Path) -> None:
    (tmp_path / "one.warc.gz").write_bytes(make_warc(True, STORIES[:1]))
    (tmp_path / "two.WARC").write_bytes(make_warc(False, STORIES[1:]))
    (tmp_path / "other.gz").write_bytes(b"not read")
    results = list(read_inputs([str(tmp_path)]))
    assert sorted(r.doc_id for r in results) == sorted(url_id(uri) for uri, _, _ in STORIES)


def _record_starts(data: bytes) -> list[int]:
    archive = ArchiveIterator(io.BytesIO(data))
    starts = []
    for _record in archive:
        starts.append(archive.get_record_offset())
    return starts + [len(data)]


def test_truncated_archive_keeps_complete_records_and_reports_once() -> None:
    for gz in (False, True):
        data = make_warc(gz)
        whole = [r.doc_id for r in read_warc_stream(io.BytesIO(data), "cc")]
        # a cut at a record boundary (give or take the blank lines) leaves a valid archive
        boundaries = {start - gap for start in _record_starts(data) for gap in range(5)}
        for cut in range(len(data) // 10, len(data) - 1, max(1, len(data) // 97)):
            results = list(read_warc_stream(io.BytesIO(data[:cut]), "cc"))
            errors = [r for r in results if isinstance(r, InputError)]
            articles = [r.doc_id for r in results if isinstance(r, Article)]
            assert articles == whole[:len(articles)], "records before the damage are kept"
            assert len(errors) <= 1 and (not errors or results[-1] is errors[0])
            if cut not in boundaries:
                assert errors and errors[0].code == ErrorCode.E013_TRUNCATED, (gz, cut)
                assert errors[0].doc_id == "cc"


def test_not_a_warc_and_empty() -> None:
    garbage = list(read_warc_stream(io.BytesIO(b"hello, this is not an archive\n" * 5), "g"))
    assert [e.code for e in garbage if isinstance(e, InputError)] == [ErrorCode.E009_MALFORMED]
    empty = list(read_warc_stream(io.BytesIO(b""), "e"))
    assert [e.code for e in empty if isinstance(e, InputError)] == [ErrorCode.E002_EMPTY]


class _OneWayStream(io.RawIOBase):
    """A pipe-like stream: no seek, no tell, small reads, as from a download or stdin."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.data.read(min(len(buffer), 100))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def test_reads_from_a_stream_without_seeking() -> None:
    results = list(read_warc_stream(_OneWayStream(make_warc(True)), "pipe"))  # type: ignore[arg-type]
    assert [r.doc_id for r in results] == [url_id(uri) for uri, _, _ in STORIES]


def test_http_dates() -> None:
    assert http_date_to_iso("Tue, 02 Jun 2017 10:00:00 GMT") == "2017-06-02"
    assert http_date_to_iso("2017-06-02T10:00:00Z") == "2017-06-02"
    assert http_date_to_iso("yesterday") is None
    assert http_date_to_iso(None) is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_no_bytes_crash_the_warc_reader(data: bytes) -> None:
    for result in read_warc_stream(io.BytesIO(data), "fuzz"):
        assert isinstance(result, Article | InputError)


VALID = make_warc(True) + make_warc(False)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(VALID)), st.binary(min_size=1, max_size=50))
def test_no_damage_crashes_the_warc_reader(at: int, junk: bytes) -> None:
    damaged = VALID[:at] + junk + VALID[at + len(junk):]
    results = list(read_warc_stream(io.BytesIO(damaged), "fuzz"))
    assert all(isinstance(r, Article | InputError) for r in results)

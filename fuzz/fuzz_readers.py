"""Fuzz every reader: the first byte picks text, JSONL, HTML, feed, WARC or standard input.

    python fuzz/fuzz_readers.py -max_total_time=600 fuzz/corpus/readers
"""

from __future__ import annotations

import io
import sys

import atheris
from common import check_results  # noqa: E402  (sets sys.path)

with atheris.instrument_imports(include=["eventwire"]):
    from eventwire.readers import _read_stdin, unique_ids
    from eventwire.readers.feeds import read_feed_bytes
    from eventwire.readers.html import read_html_bytes
    from eventwire.readers.jsonl import read_jsonl_stream
    from eventwire.readers.text import text_results
    from eventwire.readers.warc import read_warc_stream
    from eventwire.records.limits import Limits

LIMITS = Limits(article_chars=20_000, record_bytes=20_000, json_depth=16, html_bytes=50_000,
                feed_bytes=50_000, decompressed_bytes=200_000, header_bytes=100_000)


def read(data: bytes) -> list[object]:
    if not data:
        return []
    kind, body = data[0] % 6, data[1:]
    if kind == 0:
        return list(text_results(body, "fuzz", "fuzz.txt", LIMITS))
    if kind == 1:
        return list(unique_ids(read_jsonl_stream(io.BytesIO(body), "fuzz.jsonl", LIMITS)))
    if kind == 2:
        return [read_html_bytes(body, fallback_id="fuzz", where="fuzz.html", limits=LIMITS)]
    if kind == 3:
        return list(read_feed_bytes(body, "fuzz.rss", LIMITS))
    if kind == 4:
        return list(read_warc_stream(io.BytesIO(body), "fuzz.warc", limits=LIMITS))
    return list(_read_stdin(LIMITS, io.BytesIO(body)))


def test_one_input(data: bytes) -> None:
    check_results(read(data))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

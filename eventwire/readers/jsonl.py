"""JSONL records: ``{"id", "text", "title"?, "date"?, "url"?, "source"?}`` one per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from eventwire.errors import ErrorCode, InputError
from eventwire.model import Article
from eventwire.readers.text import MAX_BYTES, check_text, content_id, decode_bytes
from eventwire.structure import structure_plain_text


def record_to_article(record: object, fallback_id: str) -> Article | InputError:
    if not isinstance(record, dict):
        return InputError(fallback_id, ErrorCode.E009_MALFORMED, "not a JSON object")
    raw_id = record.get("id")
    text = record.get("text")
    doc_id = str(raw_id) if raw_id not in (None, "") else None
    if not isinstance(text, str):
        return InputError(doc_id or fallback_id, ErrorCode.E007_NO_TEXT)
    doc_id = doc_id or content_id(text)
    problem = check_text(text, doc_id)
    if problem:
        return problem
    title = record.get("title")
    date = record.get("date")
    article = structure_plain_text(
        text,
        doc_id=doc_id,
        title=title if isinstance(title, str) else None,
        published=date if isinstance(date, str) else None,
    )
    url, source = record.get("url"), record.get("source")
    article.url = url if isinstance(url, str) else None
    article.source = source if isinstance(source, str) else None
    return article


def read_jsonl_lines(lines: Iterable[bytes], origin: str) -> Iterator[Article | InputError]:
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        if len(raw) > MAX_BYTES * 2:
            yield InputError(where, ErrorCode.E005_TOO_LARGE, f"{len(raw)} bytes")
            continue
        line = decode_bytes(raw)
        if line is None:
            yield InputError(where, ErrorCode.E004_ENCODING)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, ErrorCode.E006_BAD_JSON, exc.msg)
            continue
        yield record_to_article(record, where)

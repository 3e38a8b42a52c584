"""JSONL records: ``{"id", "text", "title"?, "date"?, "url"?, "source"?}`` one per line.

Lines are read with a bound (``record_bytes``): a line over it is skipped in
pieces, never held whole. Before ``json.loads`` sees a line its nesting depth
is counted (deep nesting makes the decoder recurse until Python gives up), and
numbers too long to convert, lone surrogates and odd ids are caught here, so
the error names the file and the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

from eventwire.readers.structure import structure_plain_text
from eventwire.readers.text import MAX_BYTES, check_text, clean_surrogates, content_id, decode_text
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

__all__ = ["MAX_BYTES", "bounded_lines", "json_depth", "read_jsonl_lines", "record_to_article"]

JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
BRACKETS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "[]{}"))
READ_BLOCK = 1 << 20


def json_depth(line: str, stop_above: int) -> int:
    """How deeply arrays and objects nest in ``line`` (strings ignored); stops once past the limit.

    Linear: strings go by one regular expression, the rest by one translate.
    """
    if line.count("[") + line.count("{") <= stop_above:
        return 0
    skeleton = JSON_STRING.sub("", line)
    skeleton = "".join(c for c in skeleton.translate(BRACKETS) if c in "[]{}")
    depth = deepest = 0
    for char in skeleton:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    return deepest
        else:
            depth -= 1
    return deepest


def bounded_lines(handle: IO[bytes], limit: int) -> Iterator[tuple[bytes, int]]:
    """Each line of a stream and its full length; a line over ``limit`` comes back empty.

    The long line is read past in blocks, so memory stays within ``limit``.
    """
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        length = len(line)
        while True:
            rest = handle.readline(READ_BLOCK)
            length += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield b"", length


def _text_field(record: dict[str, object], key: str) -> tuple[str | None, int]:
    value = record.get(key)
    if not isinstance(value, str):
        return None, 0
    return clean_surrogates(value)


def _record_id(raw_id: object, limits: Limits) -> tuple[str | None, str | None]:
    """The record's id as text, or why it cannot be one."""
    if raw_id is None or raw_id == "":
        return None, None
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return None, f"id is a {type(raw_id).__name__}, not a string or number"
    text = raw_id if isinstance(raw_id, str) else str(raw_id)
    if len(text) > limits.id_chars:
        return None, f"id of {len(text)} characters, limit {limits.id_chars}"
    text, _ = clean_surrogates(text)
    if not text.strip() or any(ord(c) < 32 for c in text):
        return None, "id is blank or has control characters"
    return text, None


def record_to_article(
    record: object, fallback_id: str, limits: Limits | None = None
) -> list[Article | InputError]:
    """The record's article (after any warning about it), or the reason it is not one.

    ``fallback_id`` is where the record was found (``path:line``); errors name it.
    """
    limits = limits or current_limits()
    where = fallback_id
    if not isinstance(record, dict):
        return [InputError(where, ErrorCode.E009_MALFORMED, "not a JSON object")]
    doc_id, id_problem = _record_id(record.get("id"), limits)
    if id_problem:
        return [InputError(where, ErrorCode.E009_MALFORMED, id_problem)]
    text, replaced = _text_field(record, "text")
    if text is None:
        detail = f"id {doc_id}" if doc_id else ""
        return [InputError(where, ErrorCode.E007_NO_TEXT, detail)]
    problem = check_text(text, where, limits)
    if problem:
        return [problem]
    doc_id = doc_id or content_id(text)
    title, title_replaced = _text_field(record, "title")
    date = record.get("date")
    article = structure_plain_text(
        text,
        doc_id=doc_id,
        title=title,
        published=date if isinstance(date, str) and len(date) < 64 else None,
        limits=limits,
    )
    article.url = _text_field(record, "url")[0]
    article.source = _text_field(record, "source")[0]
    article.origin = where
    out: list[Article | InputError] = []
    if replaced or title_replaced:
        out.append(InputError(where, ErrorCode.E019_BYTES_REPLACED,
                              f"{replaced + title_replaced} lone surrogates; id {doc_id}"))
    out.append(article)
    return out


def parse_line(raw: bytes, where: str, limits: Limits) -> list[Article | InputError]:
    """One JSONL line to its article or errors; nothing it holds can raise out of here."""
    line, replaced = decode_text(raw)
    if line is None:
        return [InputError(where, ErrorCode.E004_ENCODING)]
    depth = json_depth(line, limits.json_depth)
    if depth > limits.json_depth:
        return [InputError(where, ErrorCode.E015_TOO_DEEP,
                           f"deeper than {limits.json_depth} levels")]
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return [InputError(where, ErrorCode.E006_BAD_JSON, exc.msg)]
    except RecursionError:
        return [InputError(where, ErrorCode.E015_TOO_DEEP, "recursion while parsing")]
    except ValueError as exc:  # e.g. a number of more digits than int() converts
        return [InputError(where, ErrorCode.E006_BAD_JSON, str(exc)[:120])]
    try:
        results = record_to_article(record, where, limits)
    except RecursionError:
        return [InputError(where, ErrorCode.E015_TOO_DEEP, "recursion while reading")]
    if replaced:
        results.insert(0, InputError(where, ErrorCode.E019_BYTES_REPLACED, f"{replaced} bytes"))
    return results


def read_jsonl_lines(
    lines: Iterable[bytes], origin: str, limits: Limits | None = None,
    lengths: Iterable[int] | None = None,
) -> Iterator[Article | InputError]:
    """Articles and errors from JSONL lines; errors name ``origin:line``."""
    limits = limits or current_limits()
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if len(raw) > limits.record_bytes:
            yield InputError(where, ErrorCode.E005_TOO_LARGE,
                             f"{len(raw)} bytes, limit {limits.record_bytes}")
            continue
        if not raw.strip():
            continue
        yield from parse_line(raw, where, limits)


def read_jsonl_stream(
    handle: IO[bytes], origin: str, limits: Limits | None = None, first: bytes | None = None,
) -> Iterator[Article | InputError]:
    """Articles and errors from a JSONL stream, one bounded line at a time.

    ``first`` is a line already read from the stream (standard input sniffed).
    """
    limits = limits or current_limits()
    number = 0
    lines = bounded_lines(handle, limits.record_bytes)
    if first is not None:
        lines = _prepend((first, len(first)), lines)
    for raw, length in lines:
        number += 1
        where = f"{origin}:{number}"
        if length > limits.record_bytes or (not raw and length):
            yield InputError(where, ErrorCode.E005_TOO_LARGE,
                             f"{length} bytes, limit {limits.record_bytes}")
            continue
        if not raw.strip():
            continue
        yield from parse_line(raw, where, limits)


def _prepend(item: tuple[bytes, int], rest: Iterator[tuple[bytes, int]]
             ) -> Iterator[tuple[bytes, int]]:
    yield item
    yield from rest

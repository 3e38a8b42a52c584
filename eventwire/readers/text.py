"""Plain text: one article per file, checked before anything parses it."""

from __future__ import annotations

import hashlib
import re
from typing import IO

from eventwire.readers.structure import structure_plain_text
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

MAX_BYTES = Limits().article_chars
"""Default longest article (characters); see :class:`eventwire.records.limits.Limits`."""


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def content_id(text: str) -> str:
    """A stable id for input that has none: a hash of its content."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_bounded(handle: IO[bytes], limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of a stream, and whether there was more (never more in memory)."""
    data = handle.read(limit + 1)
    return data[:limit], len(data) > limit


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(4, len(sample) // 50)


def decode_text(data: bytes) -> tuple[str | None, int]:
    """The text and how many bad bytes were replaced; ``(None, 0)`` when it cannot be decoded.

    UTF-8 (with or without BOM) first, then UTF-16 with a BOM. Bytes that are
    not UTF-8 are cp1252 when nothing in the file is UTF-8 beyond ASCII (an
    old Windows file); when the file does have valid UTF-8 sequences, it is
    UTF-8 with a few damaged bytes, which are replaced (cp1252 would garble
    every accented letter and curly quote in it).
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), 0
        except UnicodeDecodeError:
            return None, 0
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8-sig", "replace")
    bad = replaced.count(REPLACEMENT) - data.count("\ufffd".encode())
    multibyte = sum(1 for char in replaced if ord(char) > 0x7F and char != REPLACEMENT)
    if multibyte > 0 and bad <= multibyte:
        return replaced, max(bad, 1)
    try:
        return data.decode("cp1252"), 0
    except UnicodeDecodeError:
        return None, 0


def decode_bytes(data: bytes) -> str | None:
    """:func:`decode_text` without the count of replaced bytes."""
    return decode_text(data)[0]


def clean_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates (``"\\ud800"`` in JSON) replaced: no encoder accepts them."""
    if not SURROGATE.search(text):
        return text, 0
    return SURROGATE.subn(REPLACEMENT, text)


def check_text(text: str, doc_id: str, limits: Limits | None = None) -> InputError | None:
    limit = (limits or current_limits()).article_chars
    if not text.strip():
        return InputError(doc_id, ErrorCode.E002_EMPTY)
    if len(text) > limit:
        return InputError(doc_id, ErrorCode.E005_TOO_LARGE,
                          f"{len(text)} characters, limit {limit}")
    return None


def read_text_bytes(data: bytes, doc_id: str) -> Article | InputError:
    """The article in ``data``, or why it is not one (warnings left out)."""
    return text_results(data, doc_id)[-1]


def text_results(
    data: bytes, doc_id: str, where: str | None = None, limits: Limits | None = None,
    more: bool = False,
) -> list[Article | InputError]:
    """The article in ``data`` (a warning first when bytes were replaced), or its error.

    ``where`` names the input in errors (the path the user gave); ``more``
    says the reader stopped at its byte limit with more to come.
    """
    limits = limits or current_limits()
    where = where or doc_id
    if more:
        detail = f"over {len(data)} bytes, limit {limits.article_chars} characters"
        return [InputError(where, ErrorCode.E005_TOO_LARGE, detail)]
    if not data.strip():
        return [InputError(where, ErrorCode.E002_EMPTY)]
    if not data.startswith(UTF16_BOMS) and looks_binary(data):  # UTF-16 text has NUL bytes
        return [InputError(where, ErrorCode.E003_BINARY)]
    text, replaced = decode_text(data)
    if text is None:
        return [InputError(where, ErrorCode.E004_ENCODING)]
    problem = check_text(text, where, limits)
    if problem:
        return [problem]
    article = structure_plain_text(text, doc_id=doc_id, limits=limits)
    article.origin = where
    if replaced:
        warning = InputError(where, ErrorCode.E019_BYTES_REPLACED, f"{replaced} bytes")
        return [warning, article]
    return [article]

"""Plain text: one article per file, checked before anything parses it."""

from __future__ import annotations

import hashlib

from eventwire.errors import ErrorCode, InputError
from eventwire.model import Article
from eventwire.structure import structure_plain_text

MAX_BYTES = 2_000_000
"""Longest article accepted; news articles are far shorter, a dump is not an article."""


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def content_id(text: str) -> str:
    """A stable id for input that has none: a hash of its content."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(4, len(sample) // 50)


def decode_bytes(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else cp1252 when it decodes cleanly."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text


def check_text(text: str, doc_id: str) -> InputError | None:
    if not text.strip():
        return InputError(doc_id, ErrorCode.E002_EMPTY)
    if len(text) > MAX_BYTES:
        return InputError(doc_id, ErrorCode.E005_TOO_LARGE, f"{len(text)} characters")
    return None


def read_text_bytes(data: bytes, doc_id: str) -> Article | InputError:
    if not data.strip():
        return InputError(doc_id, ErrorCode.E002_EMPTY)
    if len(data) > MAX_BYTES:
        return InputError(doc_id, ErrorCode.E005_TOO_LARGE, f"{len(data)} bytes")
    if not data.startswith(UTF16_BOMS) and looks_binary(data):  # UTF-16 text has NUL bytes
        return InputError(doc_id, ErrorCode.E003_BINARY)
    text = decode_bytes(data)
    if text is None:
        return InputError(doc_id, ErrorCode.E004_ENCODING)
    problem = check_text(text, doc_id)
    if problem:
        return problem
    return structure_plain_text(text, doc_id=doc_id)

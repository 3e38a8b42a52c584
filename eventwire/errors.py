"""Stable error codes, so a user can grep logs and a test can assert the reason.

A code never changes meaning once released; new reasons get new numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    E001_MISSING = "E001"
    E002_EMPTY = "E002"
    E003_BINARY = "E003"
    E004_ENCODING = "E004"
    E005_TOO_LARGE = "E005"
    E006_BAD_JSON = "E006"
    E007_NO_TEXT = "E007"
    E008_UNSUPPORTED = "E008"
    E009_MALFORMED = "E009"
    E010_NOT_ENGLISH = "E010"
    E011_NO_MAIN_TEXT = "E011"
    E012_FETCH_FAILED = "E012"
    E013_TRUNCATED = "E013"
    E020_NO_MODEL = "E020"
    E021_NO_ARTEFACT = "E021"
    E030_DB_LOCKED = "E030"
    E031_DB_READ_ONLY = "E031"
    E032_DB_DISK_FULL = "E032"
    E033_DB_NOT_DUCKDB = "E033"
    E034_DB_SQLITE = "E034"
    E035_DB_NEWER_SCHEMA = "E035"
    E036_DB_OLD_SCHEMA = "E036"
    E037_DB_MISSING = "E037"
    E038_DB_FAILED = "E038"
    E099_INTERNAL = "E099"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.E001_MISSING: "input not found",
    ErrorCode.E002_EMPTY: "article is empty",
    ErrorCode.E003_BINARY: "input looks binary, not text",
    ErrorCode.E004_ENCODING: "text is not UTF-8 and could not be decoded",
    ErrorCode.E005_TOO_LARGE: "article is over the size limit",
    ErrorCode.E006_BAD_JSON: "line is not valid JSON",
    ErrorCode.E007_NO_TEXT: "record has no 'text' string",
    ErrorCode.E008_UNSUPPORTED: "input kind is not supported",
    ErrorCode.E009_MALFORMED: "record is malformed",
    ErrorCode.E010_NOT_ENGLISH: "article is not in English; skipped",
    ErrorCode.E011_NO_MAIN_TEXT: "page has no main text to extract",
    ErrorCode.E012_FETCH_FAILED: "feed could not be fetched",
    ErrorCode.E013_TRUNCATED: "archive is truncated or corrupt; records after this point lost",
    ErrorCode.E020_NO_MODEL: "no spaCy English model installed",
    ErrorCode.E021_NO_ARTEFACT: "a model artefact is missing",
    ErrorCode.E030_DB_LOCKED: "database is in use by another eventwire process",
    ErrorCode.E031_DB_READ_ONLY: "database file or its folder is read-only",
    ErrorCode.E032_DB_DISK_FULL: "no space left on the disk holding the database",
    ErrorCode.E033_DB_NOT_DUCKDB: "file is not a DuckDB database",
    ErrorCode.E034_DB_SQLITE: "file is an SQLite database, not DuckDB",
    ErrorCode.E035_DB_NEWER_SCHEMA: "database was written by a newer eventwire",
    ErrorCode.E036_DB_OLD_SCHEMA: "database has an older schema that must be migrated",
    ErrorCode.E037_DB_MISSING: "no database at this path",
    ErrorCode.E038_DB_FAILED: "database operation failed",
    ErrorCode.E099_INTERNAL: "internal error while coding",
}


@dataclass
class InputError:
    """An article or input that could not be coded, and why."""

    doc_id: str
    code: ErrorCode
    detail: str = ""

    @property
    def message(self) -> str:
        base = f"[{self.code.value}] {self.doc_id}: {MESSAGES[self.code]}"
        return f"{base} ({self.detail})" if self.detail else base

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "code": self.code.value, "reason": MESSAGES[self.code],
                "detail": self.detail}


class EventwireError(Exception):
    """An error that stops a whole command, with a stable code."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"[{code.value}] {MESSAGES[code]}" + (f": {detail}" if detail else ""))

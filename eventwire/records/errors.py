"""Stable error codes, so a user can grep logs and a test can assert the reason.

A code never changes meaning once released; new reasons get new numbers.
"""

from __future__ import annotations

import re
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
    E014_TIME_LIMIT = "E014"
    E015_TOO_DEEP = "E015"
    E016_DUPLICATE_ID = "E016"
    E017_PERMISSION = "E017"
    E018_DECOMPRESSED_TOO_LARGE = "E018"
    E019_BYTES_REPLACED = "E019"
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
    E040_UNREADABLE = "E040"
    E041_SPECIAL_FILE = "E041"
    E042_DB_SPECIAL_FILE = "E042"
    E043_DB_IS_FOLDER = "E043"
    E044_DB_NO_FOLDER = "E044"
    E045_DB_BAD_SCHEMA_INFO = "E045"
    E050_BAD_DATE = "E050"
    E051_UNKNOWN_COUNTRY = "E051"
    E052_UNKNOWN_TYPE = "E052"
    E053_UNKNOWN_PARAMETER = "E053"
    E054_BAD_VALUE = "E054"
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
    ErrorCode.E014_TIME_LIMIT: "article took longer than the time limit; not coded",
    ErrorCode.E015_TOO_DEEP: "record is nested deeper than the JSON depth limit",
    ErrorCode.E016_DUPLICATE_ID: "another article in this run has the same id",
    ErrorCode.E017_PERMISSION: "permission denied",
    ErrorCode.E018_DECOMPRESSED_TOO_LARGE: "input decompresses past the size limit",
    ErrorCode.E019_BYTES_REPLACED: "bytes that are not UTF-8 were replaced with U+FFFD",
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
    ErrorCode.E040_UNREADABLE: "input could not be read",
    ErrorCode.E041_SPECIAL_FILE: "input is a FIFO, device or socket, not a file; not opened",
    ErrorCode.E042_DB_SPECIAL_FILE: "database path is a FIFO, device or socket, not a file",
    ErrorCode.E043_DB_IS_FOLDER: "database path is a folder",
    ErrorCode.E044_DB_NO_FOLDER: "the folder for the database does not exist",
    ErrorCode.E045_DB_BAD_SCHEMA_INFO: "schema_info holds a version that is not a number",
    ErrorCode.E050_BAD_DATE: "not a date (YYYY, YYYY-MM or YYYY-MM-DD, today, yesterday)",
    ErrorCode.E051_UNKNOWN_COUNTRY: "not a country (an ISO3 code or a country's name)",
    ErrorCode.E052_UNKNOWN_TYPE: "not a PLOVER event type",
    ErrorCode.E053_UNKNOWN_PARAMETER: "unknown parameter",
    ErrorCode.E054_BAD_VALUE: "value out of range",
    ErrorCode.E099_INTERNAL: "internal error while coding",
}


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and lone surrogates escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


STORE_CODES = frozenset(
    [c for c in ErrorCode if c.value.startswith("E03")]
    + [ErrorCode.E042_DB_SPECIAL_FILE, ErrorCode.E043_DB_IS_FOLDER, ErrorCode.E044_DB_NO_FOLDER,
       ErrorCode.E045_DB_BAD_SCHEMA_INFO])
"""Codes of failures to open or write the database: they stop a command with exit status 2."""

WARNINGS = frozenset({ErrorCode.E016_DUPLICATE_ID, ErrorCode.E019_BYTES_REPLACED})
"""Codes reported beside an article that is still coded (under the id the warning names)."""


@dataclass
class InputError:
    """An article or input that could not be coded, and why; or a warning about one that was.

    ``doc_id`` says where: the path the user gave, with ``:N`` for the Nth
    record of a file, or the article's id once it has one.
    """

    doc_id: str
    code: ErrorCode
    detail: str = ""

    @property
    def is_warning(self) -> bool:
        return self.code in WARNINGS

    @property
    def message(self) -> str:
        """One line, whatever a path or a parser's complaint holds (control characters escaped)."""
        base = f"[{self.code.value}] {one_line(self.doc_id)}: {MESSAGES[self.code]}"
        text = f"{base} ({one_line(self.detail)})" if self.detail else base
        return text + " [warning]" if self.is_warning else text

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "code": self.code.value, "reason": MESSAGES[self.code],
                "detail": self.detail}


class EventwireError(Exception):
    """An error that stops a whole command, with a stable code."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"[{code.value}] {MESSAGES[code]}" + (f": {detail}" if detail else ""))

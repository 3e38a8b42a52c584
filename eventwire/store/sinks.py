"""Where exports go (a file, or standard output when no path is given), and cells safe to open."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO


def open_binary(out: Path | None) -> contextlib.AbstractContextManager[BinaryIO]:
    if out is None:
        return contextlib.nullcontext(sys.stdout.buffer)
    return out.open("wb")


def open_text(out: Path | None) -> contextlib.AbstractContextManager[TextIO]:
    if out is None:
        return contextlib.nullcontext(sys.stdout)
    return out.open("w", encoding="utf-8", newline="")


# a spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV/TSV cell that a spreadsheet shows as text: a quote before a formula's first sign.

    Article text is anyone's, and an exported table is opened in spreadsheets;
    numbers (``-7.0``) are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(
            value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_safe(v) for v in values]


def safe_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: spreadsheet_safe(v) for k, v in row.items()}

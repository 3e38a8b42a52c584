"""Where exports go: a file, or standard output when no path is given."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import BinaryIO, TextIO


def open_binary(out: Path | None) -> contextlib.AbstractContextManager[BinaryIO]:
    if out is None:
        return contextlib.nullcontext(sys.stdout.buffer)
    return out.open("wb")


def open_text(out: Path | None) -> contextlib.AbstractContextManager[TextIO]:
    if out is None:
        return contextlib.nullcontext(sys.stdout)
    return out.open("w", encoding="utf-8", newline="")

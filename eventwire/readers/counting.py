"""How many articles the inputs hold, when that can be known cheaply before reading them.

A progress line with a total and the time left is worth a quick pass over the inputs:
a folder's files are listed and a JSONL file's lines counted (a fast byte scan, no JSON
parsed). Feeds, archives and standard input are only known once read: no total then.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from eventwire.readers import reader_for

_ONE_EACH = (".txt", ".text", ".html", ".htm")
_LINES = (".jsonl", ".ndjson")


def _file_count(path: Path, in_folder: bool) -> int | None:
    name = path.name.lower()
    if reader_for(path) is None:
        return 0 if in_folder else 1  # a folder's other files are passed over; a named one fails
    if name.endswith(_ONE_EACH):
        return 1
    if name.endswith(_LINES):
        lines = 0
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                lines += block.count(b"\n")
        return lines
    return None


def count_articles(inputs: Iterable[str]) -> int | None:
    """The number of articles in ``inputs``, or None when any input's count is unknown."""
    total = 0
    for name in inputs:
        if name == "-" or "://" in name:
            return None
        path = Path(name)
        try:
            if path.is_dir():
                files = [p for p in sorted(path.rglob("*")) if p.is_file()]
            elif path.is_file():
                files = [path]
            else:
                return None
            for file in files:
                count = _file_count(file, in_folder=file is not path)
                if count is None:
                    return None
                total += count
        except OSError:
            return None
    return total

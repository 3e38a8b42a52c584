"""Readers: turn inputs (files, folders, standard input) into articles or errors.

Every reader yields :class:`~eventwire.model.Article` or
:class:`~eventwire.errors.InputError`; one bad input never stops the batch.
Readers are registered by file suffix so a new format is one module and one
line here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from eventwire.errors import ErrorCode, InputError
from eventwire.model import Article
from eventwire.readers.jsonl import read_jsonl_lines
from eventwire.readers.text import MAX_BYTES, decode_bytes, read_text_bytes

ReadResult = Article | InputError
Reader = Callable[[Path], Iterator[ReadResult]]


def _read_text_file(path: Path) -> Iterator[ReadResult]:
    yield read_text_bytes(path.read_bytes(), doc_id=path.stem)


def _read_jsonl_file(path: Path) -> Iterator[ReadResult]:
    with path.open("rb") as handle:
        yield from read_jsonl_lines(handle, origin=path.name)


READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".jsonl": _read_jsonl_file,
    ".ndjson": _read_jsonl_file,
}


def _read_stdin() -> Iterator[ReadResult]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    if head == b"{":
        yield from read_jsonl_lines(iter(data.splitlines(keepends=True)), origin="stdin")
    else:
        yield read_text_bytes(data, doc_id="stdin")


def _read_path(path: Path) -> Iterator[ReadResult]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in READERS:
                yield from _read_path(child)
        return
    if not path.exists():
        yield InputError(str(path), ErrorCode.E001_MISSING)
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield InputError(str(path), ErrorCode.E008_UNSUPPORTED, f"suffix {path.suffix or '(none)'}")
        return
    try:
        yield from reader(path)
    except OSError as exc:
        yield InputError(str(path), ErrorCode.E001_MISSING, str(exc))


def read_inputs(inputs: Iterable[str]) -> Iterator[ReadResult]:
    """Articles and errors from paths, folders and ``-`` (standard input), in order."""
    for item in inputs:
        if item == "-":
            yield from _read_stdin()
        else:
            yield from _read_path(Path(item))


__all__ = ["MAX_BYTES", "READERS", "ReadResult", "decode_bytes", "read_inputs"]

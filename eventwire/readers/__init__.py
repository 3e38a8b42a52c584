"""Readers: turn inputs (files, folders, feed URLs, standard input) into articles or errors.

Every reader yields :class:`~eventwire.records.model.Article` or
:class:`~eventwire.records.errors.InputError`; one bad input never stops the batch.
Readers are registered by file suffix so a new format is one module and one
line here. Articles judged not to be in English are reported, not yielded:
the coder is English-only and would miscode them.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from eventwire.readers.feeds import FeedFetcher, read_feed_file
from eventwire.readers.html import MAX_HTML_BYTES, read_html_bytes
from eventwire.readers.jsonl import json_depth, read_jsonl_lines, read_jsonl_stream
from eventwire.readers.language import guess_language
from eventwire.readers.text import (
    MAX_BYTES,
    content_id,
    decode_bytes,
    read_bounded,
    read_text_bytes,
    text_results,
)
from eventwire.readers.warc import read_warc_file
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, current_limits
from eventwire.records.model import Article

ReadResult = Article | InputError
Reader = Callable[[Path, str, str, Limits], Iterator[ReadResult]]
"""A reader takes the file, its article id, the name errors give it, and the limits."""


def _open_regular(path: Path) -> tuple[IO[bytes], int]:
    """The open file and its size (-1 when it is not a regular file: a pipe, a device)."""
    handle = path.open("rb")
    mode = os.fstat(handle.fileno())
    return handle, mode.st_size if stat.S_ISREG(mode.st_mode) else -1


def _read_text_file(path: Path, doc_id: str, where: str, limits: Limits) -> Iterator[ReadResult]:
    bound = limits.text_read_bytes()
    handle, size = _open_regular(path)
    with handle:
        if size > bound:
            detail = f"{size} bytes, limit {limits.article_chars} characters"
            yield InputError(where, ErrorCode.E005_TOO_LARGE, detail)
            return
        data, more = read_bounded(handle, bound)
    yield from text_results(data, doc_id, where, limits, more=more)


def _read_jsonl_file(path: Path, doc_id: str, where: str, limits: Limits) -> Iterator[ReadResult]:
    with path.open("rb") as handle:
        yield from read_jsonl_stream(handle, origin=where, limits=limits)


def _read_html_file(path: Path, doc_id: str, where: str, limits: Limits) -> Iterator[ReadResult]:
    handle, size = _open_regular(path)
    with handle:
        if size > limits.html_bytes:
            yield InputError(where, ErrorCode.E005_TOO_LARGE,
                             f"{size} bytes, limit {limits.html_bytes}")
            return
        data, more = read_bounded(handle, limits.html_bytes)
    if more:
        yield InputError(where, ErrorCode.E005_TOO_LARGE, f"over {limits.html_bytes} bytes")
        return
    result = read_html_bytes(data, fallback_id=doc_id, where=where)
    if isinstance(result, Article):
        result.origin = where
    yield result


def _read_warc_file(path: Path, doc_id: str, where: str, limits: Limits) -> Iterator[ReadResult]:
    yield from read_warc_file(path, origin=where, limits=limits)


def _read_feed_file(path: Path, doc_id: str, where: str, limits: Limits) -> Iterator[ReadResult]:
    yield from read_feed_file(path, origin=where, limits=limits)


READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".jsonl": _read_jsonl_file,
    ".ndjson": _read_jsonl_file,
    ".html": _read_html_file,
    ".htm": _read_html_file,
    ".warc": _read_warc_file,
    ".warc.gz": _read_warc_file,
    ".rss": _read_feed_file,
    ".atom": _read_feed_file,
    ".xml": _read_feed_file,
}


def _registered_suffix(path: Path) -> str | None:
    name = path.name.lower()
    matches = [suffix for suffix in READERS if name.endswith(suffix)]
    return max(matches, key=len) if matches else None


def reader_for(path: Path) -> Reader | None:
    """The reader for the longest registered suffix of the file name (``.warc.gz`` first)."""
    suffix = _registered_suffix(path)
    return READERS[suffix] if suffix else None


def _suffix(path: Path) -> str:
    return "".join(path.suffixes[-2:]) if path.name.lower().endswith(".gz") else path.suffix


def _without_suffix(name: str, path: Path) -> str:
    suffix = _registered_suffix(path)
    return name[: len(name) - len(suffix)] if suffix and len(name) > len(suffix) else name


def file_id(path: Path, root: Path | None) -> str:
    """A file's article id: its path inside the folder the user gave, without the suffix.

    ``corpus/a/report.txt`` read from ``corpus`` is ``a/report``, and
    ``corpus/b/report.txt`` is ``b/report``: two articles. A file given by
    itself is its name without the suffix (``report``); see :func:`direct_ids`
    for two such files of one name.
    """
    relative = path.relative_to(root).as_posix() if root is not None else path.name
    return _without_suffix(relative, path)


def direct_ids(paths: Iterable[Path]) -> dict[Path, str]:
    """Ids for files named on the command line: the name, with as many parent folders as
    it takes to tell apart files of the same name (``a/report``, ``b/report``)."""
    unique = list(dict.fromkeys(paths))
    resolved = {p: p.resolve() for p in unique}
    ids = {p: file_id(p, None) for p in unique}
    depth = 1
    while depth < 64:
        groups: dict[str, set[Path]] = {}
        for p in unique:
            groups.setdefault(ids[p], set()).add(resolved[p])
        clashing = {i for i, files in groups.items() if len(files) > 1}
        if not clashing:
            break
        depth += 1
        for p in unique:
            if ids[p] in clashing:
                parts = resolved[p].parts[-depth:]
                ids[p] = _without_suffix("/".join(parts).lstrip("/"), p)
    return ids


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Files under ``folder`` in name order; every folder that cannot be listed is reported."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except PermissionError:
        yield InputError(str(folder), ErrorCode.E017_PERMISSION, "folder cannot be listed")
        return
    except OSError as exc:
        yield InputError(str(folder), ErrorCode.E040_UNREADABLE, _os_detail(exc))
        return
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError as exc:
            yield InputError(str(path), ErrorCode.E040_UNREADABLE, _os_detail(exc))
            continue
        if is_dir:
            yield from _walk(path)
        elif is_file:
            yield path
        else:
            special = _special(path)
            if special:  # a FIFO would block a reader forever; never silently left out
                yield InputError(str(path), ErrorCode.E041_SPECIAL_FILE, special)


def _special(path: Path) -> str | None:
    """What kind of special file ``path`` is (FIFO, device, socket), from its mode only."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), None)


def _os_detail(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _os_error(where: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(where, ErrorCode.E001_MISSING)
    if isinstance(exc, PermissionError):
        return InputError(where, ErrorCode.E017_PERMISSION)
    return InputError(where, ErrorCode.E040_UNREADABLE, _os_detail(exc))


def _read_file(path: Path, doc_id: str, limits: Limits) -> Iterator[ReadResult]:
    where = str(path)
    reader = reader_for(path)
    if reader is None:
        detail = f"suffix {_suffix(path) or '(none)'}"
        yield InputError(where, ErrorCode.E008_UNSUPPORTED, detail)
        return
    try:
        yield from reader(path, doc_id, where, limits)
    except OSError as exc:
        yield _os_error(where, exc)
    except RecursionError:
        yield InputError(where, ErrorCode.E015_TOO_DEEP, "nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - a reader's failure stops this input, not the batch
        yield InputError(where, ErrorCode.E099_INTERNAL, f"reader failed: {type(exc).__name__}")


def _read_path(path: Path, doc_id: str | None, limits: Limits) -> Iterator[ReadResult]:
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        yield _os_error(str(path), exc)
        return
    if is_dir:
        for child in _walk(path):
            if isinstance(child, InputError):
                yield child
            elif reader_for(child) is not None:
                yield from _read_file(child, file_id(child, path), limits)
        return
    if not exists:
        try:
            os.stat(path)
        except OSError as exc:  # says which: missing, or a folder above it not searchable
            yield _os_error(str(path), exc)
            return
    special = _special(path)
    if special:  # refused by its mode: opening a FIFO to read waits for a writer forever
        yield InputError(str(path), ErrorCode.E041_SPECIAL_FILE, special)
        return
    yield from _read_file(path, doc_id or file_id(path, None), limits)


def _read_stdin(limits: Limits, stream: IO[bytes] | None = None) -> Iterator[ReadResult]:
    """Standard input: JSONL when its first line is a JSON object, else one text article.

    Read in bounded pieces: records one line at a time, text up to the article limit.
    """
    handle = stream if stream is not None else sys.stdin.buffer
    head = b""
    first = b""
    while True:  # blank lines before the first line that says what this is
        line = handle.readline(limits.record_bytes + 1)
        if not line or line.strip():
            first = line
            break
        head += line
        if len(head) > limits.record_bytes:
            break
    if first.lstrip().startswith(b"{") and _is_json_object(first, limits):
        yield from read_jsonl_stream(handle, origin="stdin", limits=limits, first=first)
        return
    start = head + first
    bound = limits.text_read_bytes()
    rest, more = read_bounded(handle, max(0, bound - len(start)))
    data = (start + rest)[:bound]
    yield from text_results(data, "stdin", "stdin", limits, more=more or len(start) > bound)


def _is_json_object(line: bytes, limits: Limits) -> bool:
    import json

    text = decode_bytes(line)
    if text is None:
        return False
    if json_depth(text, limits.json_depth) > limits.json_depth:
        return True  # a record, refused as a record (E015)
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def unique_ids(results: Iterable[ReadResult]) -> Iterator[ReadResult]:
    """Every article under an id no other article of this run has.

    The same id with the same text again is a repeat: reported and coded once.
    The same id with another text is a collision: reported, and the later
    article is coded under its id with a hash of its text added, so neither
    overwrites the other.
    """
    seen: dict[str, tuple[bytes, str]] = {}
    for result in results:
        if not isinstance(result, Article):
            yield result
            continue
        digest = hashlib.sha1(result.text.encode("utf-8", "surrogatepass")).digest()
        where = result.origin or result.doc_id
        known = seen.get(result.doc_id)
        if known is None:
            seen[result.doc_id] = (digest, where)
            yield result
            continue
        if known[0] == digest:
            yield InputError(where, ErrorCode.E016_DUPLICATE_ID,
                             f"repeats {result.doc_id} from {known[1]}; coded once")
            continue
        new_id = f"{result.doc_id}~{content_id(result.text)[5:13]}"
        yield InputError(where, ErrorCode.E016_DUPLICATE_ID,
                         f"id {result.doc_id} is also {known[1]}; coded as {new_id}")
        result.doc_id = new_id
        seen[new_id] = (digest, where)
        yield result


def is_url(item: str) -> bool:
    return item.lower().startswith(("http://", "https://"))


def english_only(results: Iterable[ReadResult]) -> Iterator[ReadResult]:
    """Pass English (or too short to judge) articles; report the rest with their language."""
    for result in results:
        if isinstance(result, Article):
            language = guess_language(result.body or result.text)
            if language not in (None, "en"):
                where = result.origin or result.doc_id
                yield InputError(where, ErrorCode.E010_NOT_ENGLISH, language)
                continue
            result.language = language or "en"  # too short to judge counts as English
        yield result


def _read_items(inputs: Iterable[str], fetcher: FeedFetcher | None,
                feed_state: Path | None, limits: Limits, follow: bool = False
                ) -> Iterator[ReadResult]:
    items = list(inputs)
    files = []
    for item in items:
        if item != "-" and not is_url(item):
            try:
                if Path(item).is_file():
                    files.append(Path(item))
            except OSError:
                pass
    ids = direct_ids(files)
    for item in items:
        if item == "-":
            yield from _read_stdin(limits)
        elif is_url(item):
            if fetcher is None:
                fetcher = FeedFetcher(state_path=feed_state, limits=limits)
            yield from fetcher.fetch(item, follow=follow)
        else:
            yield from _read_path(Path(item), ids.get(Path(item)), limits)


def read_inputs(
    inputs: Iterable[str],
    *,
    feed_state: Path | None = None,
    fetcher: FeedFetcher | None = None,
    check_language: bool = True,
    limits: Limits | None = None,
    follow: bool = False,
) -> Iterator[ReadResult]:
    """Articles and errors from paths, folders, feed URLs and ``-`` (standard input), in order.

    http(s) inputs are RSS/Atom feeds or article pages, fetched by ``fetcher`` (one is
    made, keeping ETag/Last-Modified in ``feed_state``, when none is given); with
    ``follow`` a feed item is read from the page it links to. Every article gets an id
    no other article of the run has (:func:`unique_ids`).
    """
    results = unique_ids(_read_items(inputs, fetcher, feed_state, limits or current_limits(),
                                     follow))
    yield from english_only(results) if check_language else results


__all__ = [
    "MAX_BYTES", "MAX_HTML_BYTES", "READERS", "FeedFetcher", "ReadResult", "content_id",
    "decode_bytes", "direct_ids", "english_only", "file_id", "read_inputs", "read_jsonl_lines",
    "read_text_bytes", "reader_for", "unique_ids",
]

"""A spool folder ``eventwire serve --spool DIR`` drains: ingest while the server holds the file.

DuckDB lets one process write a file, and no other process open it meanwhile, so the
serving process owns the writer and everything else reaches it: ``POST /articles``, or
a file (any input ``ingest`` reads: .jsonl, .txt, .html, .warc, .xml) moved into the
spool folder. A thread of the server codes each file a chunk at a time and stores each
chunk under the same lock as ``POST /articles`` and the zone writes, while requests keep
reading through their own cursors (each sees the last committed chunk). A file is moved
to ``DIR/done/`` once all of it is stored. Killed in between, the next start reads the
file again and skips every stored article, so nothing is lost or stored twice.

Write a file under a name starting with ``.`` or ending in ``.part`` and rename it when
it is complete: those are never picked up half-written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from eventwire.records.errors import InputError
from eventwire.records.model import Article
from eventwire.serving import zones as zones_mod

DONE = "done"


def waiting(folder: Path) -> list[Path]:
    """Complete files in the spool, oldest first."""
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
             and not p.name.endswith((".part", ".tmp"))]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


class Spool:
    """Drains ``folder`` every ``every`` seconds on a thread of its own.

    ``database`` is the API's (its ``store`` and ``write_lock``); ``pipeline`` returns
    the coding pipeline the server shares with ``POST /articles``.
    """

    def __init__(self, folder: Path, database: Any, pipeline: Callable[[], Any],
                 every: float = 1.0, report: Callable[[str], None] | None = None) -> None:
        self.folder, self.database, self.pipeline = folder, database, pipeline
        self.every, self.report = every, report
        self.stats = {"files": 0, "stored": 0, "skipped": 0, "errors": 0, "alerts": 0}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        (self.folder / DONE).mkdir(parents=True, exist_ok=True)
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="eventwire-spool", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
            except Exception as exc:  # one bad cycle must not stop the server's ingest
                if self.report is not None:
                    self.report(f"spool: {type(exc).__name__}: {str(exc)[:200]}")
            self._stop.wait(self.every)

    def drain(self) -> int:
        """Ingest every complete file waiting; returns how many files were done."""
        done = 0
        for path in waiting(self.folder):
            if self._stop.is_set():
                break
            self.ingest_file(path)
            path.replace(self.folder / DONE / path.name)
            self.stats["files"] += 1
            done += 1
        return done

    def ingest_file(self, path: Path) -> None:
        from eventwire.readers import read_inputs
        from eventwire.store.batches import STORE_CHUNK, Batcher

        items = iter(read_inputs([str(path)]))
        while chunk := _take(items, STORE_CHUNK):
            with self.database.write_lock:  # the server's one writer, shared with the API
                store = self.database.store
                fresh = [i for i in chunk
                         if isinstance(i, InputError) or not store.has_article(i)]
                self.stats["skipped"] += len(chunk) - len(fresh)
                raiser = zones_mod.AlertRaiser(store.con)
                with Batcher(store, size=len(chunk)) as batcher:
                    for result in self.pipeline().run(fresh):
                        batcher.add(result)
                for key in ("stored", "skipped", "errors"):
                    self.stats[key] += batcher.stats[key]
                self.stats["alerts"] += raiser.check()
        with self.database.write_lock:
            zones_mod.deliver_pending(self.database.store.con, wait=False, timeout=5.0)


def _take(items: Iterator[Article | InputError], size: int) -> list[Article | InputError]:
    chunk: list[Article | InputError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            break
    return chunk


def wait_drained(folder: Path, limit: float = 60.0) -> bool:
    """Whether the spool emptied within ``limit`` seconds (for scripts and tests)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not waiting(folder):
            return True
        time.sleep(0.1)
    return False

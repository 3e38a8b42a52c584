"""Coded articles stored a chunk at a time: one transaction per chunk, not per article.

Matching across articles, the events' rows and the copy groups cost about the same for
one article as for a few dozen, so ``ingest``, ``watch`` and ``POST /articles`` hand
their results to a :class:`Batcher`, which stores them every ``size`` articles. A kill
leaves whole chunks: a rerun skips what is stored and completes the rest, and the events
come out the same as when articles are stored one at a time (``tests/test_batches.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from eventwire.records.errors import InputError
from eventwire.records.model import ArticleResult
from eventwire.store.schema import Coded

if TYPE_CHECKING:
    from eventwire.store.database import Store

STORE_CHUNK = 16
"""Articles per transaction: the executor's chunk, so a chunk is stored as it is coded."""


class Batcher:
    """Collects pipeline results and stores them a chunk at a time.

    ``on_stored`` is called after each committed chunk with the ids of the articles that
    were new or changed (zone alerts look at them); ``stats`` counts what happened.
    """

    def __init__(self, store: Store, size: int = STORE_CHUNK,
                 on_stored: Callable[[list[str]], object] | None = None) -> None:
        self.store, self.size, self.on_stored = store, max(1, size), on_stored
        self.pending: list[Coded] = []
        self.stats = {"stored": 0, "skipped": 0, "errors": 0, "wire_copies": 0}

    def __enter__(self) -> Batcher:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:  # after a failure the pending chunk is left for the rerun
            self.flush()

    def add(self, result: ArticleResult | InputError) -> None:
        if isinstance(result, InputError):
            self.store.add_error(result)
            self.stats["errors"] += 1
            return
        self.pending.append(Coded(result.article, result.events, result.places))
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> list[str]:
        """Store what is pending in one transaction; the ids of the articles stored."""
        chunk, self.pending = self.pending, []
        if not chunk:
            return []
        flags = self.store.add_batch(chunk)
        stored = [c.article.doc_id for c, new in zip(chunk, flags, strict=True) if new]
        self.stats["stored"] += len(stored)
        self.stats["skipped"] += len(chunk) - len(stored)
        self.stats["wire_copies"] += self.store.wire_copies_among(stored)
        if stored and self.on_stored is not None:
            self.on_stored(stored)
        return stored

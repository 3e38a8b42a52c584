"""Backfill Parquet files read back as coded articles, so a backfill can fill a store.

``eventwire backfill`` writes one row per event with the whole record as JSON; ingesting
those files stores the events without coding the articles again. The Parquet carries no
article text, so each article is stored with the text of its events' sentences (enough
for its content hash and for wire copies among backfilled articles) and no metadata
beyond the publication date its events imply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article, ArticleResult, Event, event_from_dict

SUFFIX = ".parquet"


def is_backfill(path: str) -> bool:
    return path.lower().endswith(SUFFIX) and Path(path).is_file()


def _article(doc_id: str, events: list[Event]) -> Article:
    sentences = list(dict.fromkeys(e.evidence.sentence for e in events))
    text = "\n\n".join(sentences)
    return Article(doc_id=doc_id, text=text, body=text, origin=doc_id)


def read_backfill(path: Path) -> Iterator[ArticleResult | InputError]:
    """Each article of one backfill Parquet file, with its events, in file order."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=["doc_id", "record"])
    except Exception as exc:  # noqa: BLE001 - a broken file is one error, the batch goes on
        detail = f"not a backfill Parquet: {exc}"[:200]
        yield InputError(str(path), ErrorCode.E009_MALFORMED, detail)
        return
    grouped: dict[str, list[Event]] = {}
    for doc_id, record in zip(table.column("doc_id").to_pylist(),
                              table.column("record").to_pylist(), strict=True):
        grouped.setdefault(doc_id, []).append(event_from_dict(json.loads(record)))
    for doc_id, events in grouped.items():
        yield ArticleResult(_article(doc_id, events), events, parsed=True)

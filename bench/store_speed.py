"""How fast already-coded events go into the store, and whether it stays fast as it grows.

Generates articles with coded events (no parser involved, ``eventwire.quality.coded_stories``):
stories told by several outlets, so matching across articles has real work to do, over many
days and places. Two figures:

- ``batched``: events/s through ``Store.add_batch`` with ``--batch`` articles a transaction;
- ``ingest``: CPU ms per article in chunks of ``--chunk`` articles (what ``eventwire ingest``
  does), per tenth of the run, so a cost that grows with the store shows. ``--start-events``
  first fills the store (batched, not timed) to see the cost at a larger size.

    .venv/bin/python bench/store_speed.py [--events 100000] [--batch 500] [--chunk 16]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from eventwire.quality.coded_stories import make_batch
from eventwire.store.batches import STORE_CHUNK
from eventwire.store.database import Store


def batched(db: Path, events: int, per_article: int, size: int) -> dict[str, Any]:
    rng = random.Random(1)
    n_articles = events // per_article
    batches = [make_batch(rng, start, min(size, n_articles - start), per_article)
               for start in range(0, n_articles, size)]
    started, cpu = time.perf_counter(), time.process_time()
    with Store(db) as store:
        for batch in batches:
            store.add_batch(batch)
        counts = store.counts()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "events_stored": counts["mentions"], "articles": counts["articles"],
        "cross_article_events": counts["events"], "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2), "events_per_second": round(counts["mentions"] / seconds),
        "events_per_cpu_second": round(counts["mentions"] / cpu),
        "articles_per_transaction": size, "file_mb": round(db.stat().st_size / 2**20, 1),
    }


def chunked(db: Path, start_events: int, events: int, per_article: int, chunk: int
            ) -> dict[str, Any]:
    """CPU ms per article storing in chunks, per tenth of the run."""
    rng = random.Random(2)
    first = start_events // per_article
    n_articles = events // per_article
    with Store(db) as store:
        for start in range(0, first, 500):  # fill the store first, not timed
            store.add_batch(make_batch(rng, start, min(500, first - start), per_article))
        tenths: list[float] = []
        step = max(chunk, n_articles // 10)
        for part in range(first, first + n_articles, step):
            batches = [make_batch(rng, s, min(chunk, part + step - s), per_article)
                       for s in range(part, min(part + step, first + n_articles), chunk)]
            cpu = time.process_time()
            for batch in batches:
                store.add_batch(batch)
            done = sum(len(b) for b in batches)
            tenths.append(round((time.process_time() - cpu) * 1000 / done, 2))
        mentions = store.counts()["mentions"]
    return {"articles_per_transaction": chunk, "store_events_at_start": start_events,
            "store_events_at_end": mentions, "cpu_ms_per_article_by_tenth": tenths,
            "cpu_ms_per_article": round(sum(tenths) / len(tenths), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction")
    parser.add_argument("--chunk", type=int, default=STORE_CHUNK,
                        help="articles per transaction in the ingest-like run")
    parser.add_argument("--chunk-events", type=int, default=20_000,
                        help="events stored in the ingest-like run")
    parser.add_argument("--start-events", type=int, default=0,
                        help="events in the store before the ingest-like run")
    parser.add_argument("--skip-batched", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_batched:
            report["batched"] = batched(Path(tmp) / "batched.duckdb", args.events,
                                        args.per_article, args.batch)
        report["ingest"] = chunked(Path(tmp) / "chunked.duckdb", args.start_events,
                                   args.chunk_events, args.per_article, args.chunk)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""Storing a chunk of articles per transaction gives the events, ids and counts that storing
them one at a time gives: on generated stories told by several outlets, and on articles
coded by the real pipeline through ``eventwire ingest``. Live events are compared (as
``test_kill`` does): one article at a time leaves rows for events that a later article
merged into another, which a chunk holding both never makes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from test_kill import _corpus, _state

from eventwire.coding.pipeline import Pipeline
from eventwire.quality.coded_stories import make_batch
from eventwire.readers import read_inputs
from eventwire.records.model import ArticleResult
from eventwire.store.batches import Batcher
from eventwire.store.database import Coded, Store
from eventwire.store.events import EVENT_INDEX


def _one_by_one(db: Path, items: list[Coded]) -> None:
    with Store(db) as store:
        for item in items:
            store.add_article(item.article, item.events, item.places)


def _chunked(db: Path, items: list[Coded], size: int) -> None:
    with Store(db) as store:
        for start in range(0, len(items), size):
            store.add_batch(items[start:start + size])


def test_chunks_store_the_same_events_as_one_article_at_a_time(tmp_path: Path) -> None:
    rng = random.Random(5)
    items = make_batch(rng, 0, 240, 4)  # 960 mentions over a day and a half of stories
    _one_by_one(tmp_path / "single.duckdb", items)
    single = _state(tmp_path / "single.duckdb")
    merged = [e for e in single["events"] if e[2] > 1]
    assert len(merged) > 50, "the stories must match across articles for this to test anything"
    for size in (16, 100, len(items)):
        _chunked(tmp_path / f"chunks-{size}.duckdb", items, size)
        assert _state(tmp_path / f"chunks-{size}.duckdb") == single, f"chunks of {size}"
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    _chunked(tmp_path / "shuffled.duckdb", shuffled, 16)
    assert _state(tmp_path / "shuffled.duckdb") == single


def test_a_store_grown_in_chunks_then_single_articles_matches(tmp_path: Path) -> None:
    rng = random.Random(6)
    items = make_batch(rng, 0, 120, 4)
    _one_by_one(tmp_path / "single.duckdb", items)
    with Store(tmp_path / "mixed.duckdb") as store:
        store.add_batch(items[:50])
        for item in items[50:70]:
            store.add_article(item.article, item.events, item.places)
        store.add_batch(items[70:])
    assert _state(tmp_path / "mixed.duckdb") == _state(tmp_path / "single.duckdb")


@pytest.mark.slow
def test_ingest_in_chunks_equals_storing_each_coded_article(tmp_path: Path,
                                                            kill_corpus: Path) -> None:
    db = tmp_path / "ingest.duckdb"
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(kill_corpus),
                           "--db", str(db), "--no-model", "--workers", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    pipeline = Pipeline(use_model=False)
    results = [r for r in pipeline.run(read_inputs([str(kill_corpus)]))
               if isinstance(r, ArticleResult)]
    single = tmp_path / "single.duckdb"
    with Store(single) as store, Batcher(store, size=1) as batcher:
        for result in results:
            batcher.add(result)
        assert batcher.stats["stored"] == len(results)
    assert _state(db) == _state(single)
    assert sum(e[2] > 1 for e in _state(db)["events"]) >= 6, "stories told by several outlets"


@pytest.fixture
def kill_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _corpus()) + "\n", encoding="utf-8")
    return path


def test_a_writable_store_gains_the_event_index(tmp_path: Path) -> None:
    """A file written before the event index gains it on the next writable open (a chunk
    reads events' mentions through it; ``bench/store_speed.py`` shows the cost it saves)."""
    db = tmp_path / "old.duckdb"
    items = make_batch(random.Random(7), 0, 40, 4)
    _chunked(db, items[:20], 16)
    with Store(db) as store:
        store.con.execute(f"DROP INDEX {EVENT_INDEX}")
    with Store(db, read_only=True) as store:  # a reader neither needs nor adds it
        assert not store.con.execute("SELECT * FROM duckdb_indexes()").fetchall()
    _chunked(db, items[20:], 16)
    with Store(db) as store:
        indexes = store.con.execute("SELECT index_name, sql FROM duckdb_indexes()").fetchall()
    assert [name for name, _ in indexes] == [EVENT_INDEX]
    assert "(event_id)" in indexes[0][1]
    _chunked(tmp_path / "whole.duckdb", items, 16)
    assert _state(db) == _state(tmp_path / "whole.duckdb")


def test_an_event_that_gains_reports_keeps_when_it_was_first_added(tmp_path: Path) -> None:
    items = make_batch(random.Random(8), 0, 120, 4)
    query = "SELECT event_id, n_mentions, added_at, updated_at FROM events WHERE deleted_at IS NULL"
    with Store(tmp_path / "grow.duckdb") as store:
        store.add_batch(items[:60])
        before = {r[0]: r[1:] for r in store.con.execute(query).fetchall()}
        store.add_batch(items[60:])
        after = {r[0]: r[1:] for r in store.con.execute(query).fetchall()}
    grown = [e for e in before if e in after and after[e][0] > before[e][0]]
    assert grown, "later reports must join earlier events for this to test anything"
    for event_id in grown:
        assert after[event_id][1] == before[event_id][1]  # added_at kept
        assert after[event_id][2] > before[event_id][2]  # updated_at moved
    unchanged = [e for e in before if after.get(e) == before[e]]
    assert unchanged, "an event nothing joined keeps its row as it was"

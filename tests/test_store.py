"""The DuckDB store: idempotent ingest, atomic articles, consistent after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from eventwire.model import Actor, Article, Event, Evidence
from eventwire.store import Store


def _event(doc_id: str, n: int) -> Event:
    evidence = Evidence(sentence="Rebels attacked the town.", sentence_index=n, start=0, end=25,
                        trigger="attacked")
    return Event(doc_id=doc_id, cameo="190", cameo_root="19", source=Actor("Rebels", code="REB"),
                 target=None, evidence=evidence, confidence=0.8, coder="test",
                 event_id=f"{doc_id}-{n}")


def test_same_article_twice_adds_nothing(tmp_path: Path) -> None:
    text = "Rebels attacked the town."
    article = Article(doc_id="a1", text=text, body=text)
    with Store(tmp_path / "x.duckdb") as store:
        assert store.add_article(article, [_event("a1", 0)], [])
        assert not store.add_article(article, [_event("a1", 0)], [])
        assert store.counts()["articles"] == 1
        assert store.counts()["mentions"] == 1
        assert store.counts()["events"] == 1


def test_changed_text_replaces_the_article(tmp_path: Path) -> None:
    with Store(tmp_path / "x.duckdb") as store:
        store.add_article(Article(doc_id="a1", text="v1"), [_event("a1", 0), _event("a1", 1)], [])
        store.add_article(Article(doc_id="a1", text="v2"), [_event("a1", 2)], [])
        ids = [r[0] for r in store.con.execute("SELECT mention_id FROM mentions").fetchall()]
        assert ids == ["a1-2"]


def test_failed_article_leaves_nothing_behind(tmp_path: Path) -> None:
    bad = _event("a2", 0)
    bad.evidence = None  # type: ignore[assignment]
    with Store(tmp_path / "x.duckdb") as store:
        with pytest.raises(AttributeError):
            store.add_article(Article(doc_id="a2", text="t"), [_event("a2", 1), bad], [])
        assert store.counts() == {"articles": 0, "mentions": 0, "events": 0, "places": 0,
                                  "errors": 0}


N_ARTICLES = 900


@pytest.mark.slow
def test_kill_mid_ingest_then_rerun_completes_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    towns = ["Kidal", "Gao", "Mopti", "Timbuktu", "Menaka", "Segou"]
    with corpus.open("w") as handle:
        for i in range(N_ARTICLES):
            town = towns[i % len(towns)]
            text = (f"Malian troops attacked rebel positions near {town} on Monday, the army said. "
                    f"Rebels accused the government of shelling homes in {town}. ({i})")
            record = {"id": f"doc{i:03d}", "text": text, "date": "2020-03-02"}
            handle.write(json.dumps(record) + "\n")
    db = tmp_path / "kill.duckdb"
    command = [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(db)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(15)  # long enough to load models and store part of the batch
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    con = duckdb.connect(str(db))
    partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
    con.close()
    assert partial < N_ARTICLES

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (N_ARTICLES,)
    per_article = con.execute(
        "SELECT a.doc_id, a.n_mentions, count(m.mention_id) FROM articles a LEFT JOIN "
        "mentions m USING (doc_id) GROUP BY ALL HAVING a.n_mentions <> count(m.mention_id)"
    ).fetchall()
    assert per_article == []
    orphans = con.execute(
        "SELECT count(*) FROM mentions WHERE doc_id NOT IN (SELECT doc_id FROM articles)"
    ).fetchone()
    assert orphans == (0,)
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] >= N_ARTICLES  # type: ignore[index]

"""The DuckDB store: idempotent ingest, atomic articles, consistent after a kill."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.records.model import Actor, Article, Event, Evidence
from eventwire.store.database import Store


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

"""Store: an embedded DuckDB file with articles, events, places and errors.

Each article is written in one transaction, its row last, so a crash or kill
leaves either all of an article or none of it; a rerun skips the articles
already stored (same id and same text) and completes the rest without
duplicates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from eventwire.dedup import cluster_id
from eventwire.errors import InputError
from eventwire.model import Article, Event, PlaceMention

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    published VARCHAR,
    url VARCHAR,
    source VARCHAR,
    language VARCHAR,
    text_sha1 VARCHAR NOT NULL,
    wire_copy_of VARCHAR,
    n_events INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL,
    date VARCHAR,
    date_precision VARCHAR,
    cameo VARCHAR NOT NULL,
    cameo_root VARCHAR NOT NULL,
    plover VARCHAR,
    plover_mode VARCHAR,
    quad_class INTEGER,
    goldstein DOUBLE,
    source_code VARCHAR,
    source_country VARCHAR,
    source_agent VARCHAR,
    target_code VARCHAR,
    target_country VARCHAR,
    target_agent VARCHAR,
    place_name VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    place_country VARCHAR,
    place_precision VARCHAR,
    sentence VARCHAR,
    confidence DOUBLE,
    coder VARCHAR,
    record JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS places (
    doc_id VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    mention VARCHAR,
    name VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    country VARCHAR,
    admin1 VARCHAR,
    geonameid BIGINT,
    feature VARCHAR,
    confidence DOUBLE,
    PRIMARY KEY (doc_id, start_char, end_char)
);
CREATE TABLE IF NOT EXISTS errors (
    doc_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    seen_at TIMESTAMP NOT NULL
);
CREATE OR REPLACE VIEW event_clusters AS
SELECT cluster_id,
       any_value(date) AS date, any_value(cameo) AS cameo, any_value(plover) AS plover,
       any_value(source_code) AS source_code, any_value(target_code) AS target_code,
       any_value(place_name) AS place_name,
       count(*) AS mentions,
       count(DISTINCT events.doc_id) AS articles,
       count(DISTINCT coalesce(a.wire_copy_of, events.doc_id)) AS independent_articles,
       count(DISTINCT coalesce(a.source, events.doc_id)) AS sources
FROM events LEFT JOIN articles a USING (doc_id)
GROUP BY cluster_id;
"""


def text_sha1(article: Article) -> str:
    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()


class Store:
    """A DuckDB file holding everything eventwire has coded."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.con = duckdb.connect(str(self.path))
        self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_article(self, article: Article) -> bool:
        row = self.con.execute(
            "SELECT text_sha1 FROM articles WHERE doc_id = ?", [article.doc_id]
        ).fetchone()
        return row is not None and row[0] == text_sha1(article)

    def add_article(
        self,
        article: Article,
        events: list[Event],
        places: list[PlaceMention],
        wire_copy_of: str | None = None,
    ) -> bool:
        """Store one article with its events and places; False if it was already stored.

        ``wire_copy_of`` names an earlier article this one nearly repeats, so
        counts of independent reports can leave the copy out.
        """
        if self.has_article(article):
            return False
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            # a changed text under the same id replaces the old rows
            for table in ("events", "places", "articles"):
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [article.doc_id])
            if events:
                rows = [_event_row(e, cluster_id(e)) for e in events]
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"INSERT OR REPLACE INTO events VALUES ({marks})", rows)
            if places:
                con.executemany(
                    "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_place_row(p) for p in places],
                )
            con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article.doc_id, article.title, article.published, article.url, article.source,
                 article.language, text_sha1(article), wire_copy_of, len(events),
                 datetime.now(UTC).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return True

    def add_error(self, error: InputError) -> None:
        self.con.execute(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?)",
            [error.doc_id, error.code.value, error.to_dict()["reason"], error.detail,
             datetime.now(UTC).replace(tzinfo=None)],
        )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ("articles", "events", "places", "errors"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Event records as ``eventwire code`` prints them, oldest article first."""
        cursor = self.con.execute("SELECT record FROM events ORDER BY doc_id, event_id")
        while rows := cursor.fetchmany(1000):
            for (record,) in rows:
                yield json.loads(record)


def _event_row(event: Event, cluster: str) -> list[Any]:
    src, tgt, loc = event.source, event.target, event.location
    return [
        event.event_id, event.doc_id, cluster, event.date, event.date_precision, event.cameo,
        event.cameo_root, event.plover, event.plover_mode, event.quad_class, event.goldstein,
        src.code if src else None, src.country if src else None, src.agent if src else None,
        tgt.code if tgt else None, tgt.country if tgt else None, tgt.agent if tgt else None,
        loc.name if loc else None, loc.lat if loc else None, loc.lon if loc else None,
        loc.country if loc else None, event.location_precision, event.evidence.sentence,
        event.confidence, event.coder,
        json.dumps(event.to_dict(), ensure_ascii=False),
    ]


def _place_row(mention: PlaceMention) -> list[Any]:
    place = mention.place
    return [
        mention.doc_id, mention.start, mention.end, mention.text,
        place.name if place else None, place.lat if place else None,
        place.lon if place else None, place.country if place else None,
        place.admin1 if place else None, place.geonameid if place else None,
        place.feature if place else None, mention.confidence,
    ]

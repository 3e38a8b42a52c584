"""The store's tables: column names and types, keys, and the rows coded records become.

The schema (version 4, documented in ``docs/schema.md``) is a contract with the HTTP
API and the dashboard: columns may be added, never renamed. This module depends on the
records only, so exports and the API can read the layout without opening a store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.records.calendar import as_day
from eventwire.records.model import Article, Event, PlaceMention
from eventwire.store.dedup import date_window, family_of
from eventwire.store.migrations import ADMIN_COLUMNS, REPORT_COLUMNS, admin_values

SCHEMA_VERSION = 4

# column name -> DuckDB type, in table order; docs/schema.md is checked against these
TABLES: dict[str, dict[str, str]] = {
    "schema_info": {"version": "INTEGER", "migrated_at": "TIMESTAMP"},
    "articles": {
        "doc_id": "VARCHAR", "title": "VARCHAR", "published": "DATE", "url": "VARCHAR",
        "source": "VARCHAR", "language": "VARCHAR", "text_sha1": "VARCHAR",
        "wire_copy_of": "VARCHAR", "n_mentions": "INTEGER", "added_at": "TIMESTAMP",
        "updated_at": "TIMESTAMP", "copy_group": "VARCHAR",
    },
    "mentions": {
        "mention_id": "VARCHAR", "event_id": "VARCHAR", "doc_id": "VARCHAR",
        "sentence_index": "INTEGER", "start_char": "INTEGER", "end_char": "INTEGER",
        "trigger": "VARCHAR", "sentence": "VARCHAR", "confidence": "DOUBLE", "date": "DATE",
        "date_precision": "VARCHAR", "cameo": "VARCHAR", "cameo_root": "VARCHAR",
        "plover": "VARCHAR", "plover_mode": "VARCHAR", "quad_class": "INTEGER",
        "goldstein": "DOUBLE", "source_text": "VARCHAR", "source_name": "VARCHAR",
        "source_code": "VARCHAR", "source_country": "VARCHAR", "source_agent": "VARCHAR",
        "target_text": "VARCHAR", "target_name": "VARCHAR", "target_code": "VARCHAR",
        "target_country": "VARCHAR", "target_agent": "VARCHAR", "place_name": "VARCHAR",
        "lat": "DOUBLE", "lon": "DOUBLE", "place_country": "VARCHAR", "admin1": "VARCHAR",
        "geonameid": "BIGINT", "place_precision": "VARCHAR", "coder": "VARCHAR",
        "record": "JSON", "added_at": "TIMESTAMP", "updated_at": "TIMESTAMP",
        "source_backer": "VARCHAR", "target_backer": "VARCHAR", "feature": "VARCHAR",
        "family": "VARCHAR", "day_lo": "DATE", "day_hi": "DATE",
        **ADMIN_COLUMNS, **REPORT_COLUMNS,
    },
    "events": {
        "event_id": "VARCHAR", "date": "DATE", "date_precision": "VARCHAR",
        "cameo": "VARCHAR", "cameo_root": "VARCHAR", "plover": "VARCHAR",
        "plover_mode": "VARCHAR", "quad_class": "INTEGER", "goldstein": "DOUBLE",
        "source_name": "VARCHAR", "source_code": "VARCHAR", "source_country": "VARCHAR",
        "source_agent": "VARCHAR", "target_name": "VARCHAR", "target_code": "VARCHAR",
        "target_country": "VARCHAR", "target_agent": "VARCHAR", "place_name": "VARCHAR",
        "lat": "DOUBLE", "lon": "DOUBLE", "place_country": "VARCHAR", "admin1": "VARCHAR",
        "geonameid": "BIGINT", "place_precision": "VARCHAR", "sentence": "VARCHAR",
        "confidence": "DOUBLE", "n_mentions": "INTEGER", "n_articles": "INTEGER",
        "n_sources": "INTEGER", "first_reported": "DATE", "last_reported": "DATE",
        "added_at": "TIMESTAMP", "updated_at": "TIMESTAMP", "deleted_at": "TIMESTAMP",
        "merged_into": "VARCHAR", "anchor_mention_id": "VARCHAR", "n_outlets": "INTEGER",
        "feature": "VARCHAR", "source_text": "VARCHAR", "target_text": "VARCHAR",
        "source_backer": "VARCHAR", "target_backer": "VARCHAR", "doc_id": "VARCHAR",
        "trigger": "VARCHAR", "coder": "VARCHAR",
        **ADMIN_COLUMNS, **REPORT_COLUMNS,
    },
    "places": {
        "doc_id": "VARCHAR", "start_char": "INTEGER", "end_char": "INTEGER",
        "mention": "VARCHAR", "name": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE",
        "country": "VARCHAR", "admin1": "VARCHAR", "geonameid": "BIGINT", "feature": "VARCHAR",
        "confidence": "DOUBLE", "added_at": "TIMESTAMP",
        **ADMIN_COLUMNS,
    },
    "errors": {
        "doc_id": "VARCHAR", "code": "VARCHAR", "reason": "VARCHAR", "detail": "VARCHAR",
        "first_seen": "TIMESTAMP", "last_seen": "TIMESTAMP",
    },
    "wire_signatures": {"doc_id": "VARCHAR", "signature": "BLOB"},
}
KEYS = {
    "articles": "PRIMARY KEY (doc_id)",
    "mentions": "PRIMARY KEY (mention_id)",
    "events": "PRIMARY KEY (event_id)",
    "places": "PRIMARY KEY (doc_id, start_char, end_char)",
    "errors": "PRIMARY KEY (doc_id, code)",
    "wire_signatures": "PRIMARY KEY (doc_id)",
}
NOT_NULL = {"articles": {"text_sha1", "n_mentions", "added_at", "updated_at"},
            "mentions": {"doc_id", "cameo", "record", "added_at", "updated_at"},
            "events": {"n_mentions", "added_at", "updated_at"}}
# event columns copied from its most confident mention
EVENT_FROM_MENTION = [
    "date", "date_precision", "cameo", "cameo_root", "plover", "plover_mode", "quad_class",
    "goldstein", "source_name", "source_code", "source_country", "source_agent", "target_name",
    "target_code", "target_country", "target_agent", "place_name", "lat", "lon",
    "place_country", "admin1", "geonameid", "place_precision", "sentence", "confidence",
    "feature", "source_text", "target_text", "source_backer", "target_backer", "doc_id",
    "trigger", "coder", *ADMIN_COLUMNS,
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def text_sha1(article: Article) -> str:
    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()


def _ddl(table: str) -> str:
    required = NOT_NULL.get(table, set())
    columns = [f"{name} {kind}" + (" NOT NULL" if name in required else "")
               for name, kind in TABLES[table].items()]
    if table in KEYS:
        columns.append(KEYS[table])
    return f"CREATE TABLE IF NOT EXISTS {table} (\n    " + ",\n    ".join(columns) + "\n)"


def schema_sql() -> str:
    return ";\n".join(_ddl(table) for table in TABLES) + ";"


def mention_row(event: Event) -> dict[str, Any]:
    """The ``mentions`` columns of one coded event (event_id and timestamps come later)."""
    src, tgt, loc, ev = event.source, event.target, event.location, event.evidence
    window = date_window(event.date, event.date_precision)
    return {
        "mention_id": event.event_id, "doc_id": event.doc_id,
        "sentence_index": ev.sentence_index, "start_char": ev.start, "end_char": ev.end,
        "trigger": ev.trigger, "sentence": ev.sentence, "confidence": round(event.confidence, 3),
        "date": as_day(event.date), "date_precision": event.date_precision, "cameo": event.cameo,
        "cameo_root": event.cameo_root, "plover": event.plover, "plover_mode": event.plover_mode,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "source_text": src.text if src else None, "source_name": src.name if src else None,
        "source_code": src.code if src else None, "source_country": src.country if src else None,
        "source_agent": src.agent if src else None,
        "target_text": tgt.text if tgt else None, "target_name": tgt.name if tgt else None,
        "target_code": tgt.code if tgt else None, "target_country": tgt.country if tgt else None,
        "target_agent": tgt.agent if tgt else None,
        "place_name": loc.name if loc else None, "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None, "place_country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "geonameid": loc.geonameid if loc else None,
        "place_precision": event.location_precision, "coder": event.coder,
        "record": json.dumps(event.to_dict(), ensure_ascii=False),
        "source_backer": src.backer if src else None, "target_backer": tgt.backer if tgt else None,
        "feature": loc.feature if loc else None, "family": family_of(event.cameo_root),
        "day_lo": window[0] if window else None, "day_hi": window[1] if window else None,
        **admin_values(loc), "fatalities": event.fatalities,
        "fatalities_text": event.fatalities_text, "salience": event.salience,
    }


def place_row(mention: PlaceMention) -> dict[str, Any]:
    place = mention.place
    return {
        "doc_id": mention.doc_id, "start_char": mention.start, "end_char": mention.end,
        "mention": mention.text, "name": place.name if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "country": place.country if place else None, "admin1": place.admin1 if place else None,
        "geonameid": place.geonameid if place else None,
        "feature": place.feature if place else None, "confidence": mention.confidence,
        **admin_values(place),
    }


def _arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with the store's column order (missing columns are NULL)."""
    columns = TABLES[table]
    data = {name: [row.get(name) for row in rows] for name in columns}
    return pa.table(data)


@dataclass
class Coded:
    """One article with what the pipeline coded from it, ready to store."""

    article: Article
    events: list[Event]
    places: list[PlaceMention]
    wire_copy_of: str | None = None


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append rows to a table in one statement, through Arrow."""
    if not rows:
        return
    con.register("_incoming", _arrow(table, rows))
    try:
        names = ", ".join(TABLES[table])
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming")
    finally:
        con.unregister("_incoming")

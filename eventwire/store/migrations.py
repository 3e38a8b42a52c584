"""Migrations: a newer eventwire opens a file an older one wrote and brings it up to date.

Each step runs inside the transaction that opens the store, so a failed or
killed migration leaves the file as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from eventwire.records.model import Place

ADMIN_COLUMNS = {"admin1_code": "VARCHAR", "admin2": "VARCHAR", "admin2_code": "VARCHAR"}
"""Administrative divisions of a place (schema v3): GeoNames codes and the admin2 name."""


REPORT_COLUMNS = {"fatalities": "INTEGER", "fatalities_text": "VARCHAR", "salience": "VARCHAR"}
"""What a report says of its event (schema v3): the dead it counts, and news or background."""


DATE_COLUMNS = {"articles": ("published",), "mentions": ("date",),
                "events": ("date", "first_reported", "last_reported")}
"""Columns that held ISO text before schema v4 and hold DATE since."""


def day_sql(column: str) -> str:
    """SQL reading an ISO text date as DATE: a day (or a time's day), a month or a year as its
    first day, anything else NULL (as :func:`eventwire.records.calendar.as_day` reads it)."""
    text = f"trim(CAST({column} AS VARCHAR))"
    return (f"TRY_CAST(CASE WHEN length({text}) = 4 THEN {text} || '-01-01' WHEN "
            f"length({text}) = 7 THEN {text} || '-01' ELSE left({text}, 10) END AS DATE)")


def admin_values(place: Place | None) -> dict[str, Any]:
    """The ``ADMIN_COLUMNS`` of a row about ``place``."""
    return {name: getattr(place, name) if place else None for name in ADMIN_COLUMNS}

# the first layout, kept so tests can write a version-1 file and migrate it
V1_SCHEMA = """

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

MENTION_FROM_V1 = """
INSERT INTO mentions (mention_id, event_id, doc_id, sentence_index, start_char, end_char,
    trigger, sentence, confidence, date, date_precision, cameo, cameo_root, plover, plover_mode,
    quad_class, goldstein, source_text, source_name, source_code, source_country, source_agent,
    target_text, target_name, target_code, target_country, target_agent, place_name, lat, lon,
    place_country, admin1, geonameid, place_precision, coder, record, added_at, updated_at,
    source_backer, target_backer, feature, family, day_lo, day_hi)
SELECT e.event_id, NULL, e.doc_id,
    CAST(json_extract(e.record, '$.evidence.sentence_index') AS INTEGER),
    CAST(json_extract(e.record, '$.evidence.start') AS INTEGER),
    CAST(json_extract(e.record, '$.evidence.end') AS INTEGER),
    json_extract_string(e.record, '$.evidence.trigger'), e.sentence, e.confidence, DAY_OF_DATE,
    e.date_precision, e.cameo, e.cameo_root, e.plover, e.plover_mode, e.quad_class, e.goldstein,
    json_extract_string(e.record, '$.source.text'), json_extract_string(e.record, '$.source.name'),
    e.source_code, e.source_country, e.source_agent,
    json_extract_string(e.record, '$.target.text'), json_extract_string(e.record, '$.target.name'),
    e.target_code, e.target_country, e.target_agent, e.place_name, e.lat, e.lon, e.place_country,
    json_extract_string(e.record, '$.location.admin1'),
    CAST(json_extract(e.record, '$.location.geonameid') AS BIGINT), e.place_precision, e.coder,
    e.record, a.ingested_at, a.ingested_at,
    json_extract_string(e.record, '$.source.backer'),
    json_extract_string(e.record, '$.target.backer'),
    json_extract_string(e.record, '$.location.feature'), NULL, NULL, NULL
FROM v1_events e LEFT JOIN v1_articles a USING (doc_id)
""".replace("DAY_OF_DATE", day_sql("e.date"))


def migrate_v1(con: duckdb.DuckDBPyConnection, schema: str, now: datetime) -> None:
    """Version 1 (``events`` held per-article records, ``event_clusters`` a view) to 2.

    Per-article records become ``mentions``; the caller then groups them into
    cross-article ``events``. Version 1 kept no article text, so articles it
    stored have no wire-copy signature: later copies of them are not found,
    while the copy flags it had recorded are kept.
    """
    from eventwire.store.dedup import date_window, family_of

    con.execute("DROP VIEW IF EXISTS event_clusters")
    for table in ("articles", "events", "places", "errors"):
        con.execute(f"ALTER TABLE {table} RENAME TO v1_{table}")
    con.execute(schema)
    con.execute(
        "INSERT INTO articles (doc_id, title, published, url, source, language, text_sha1, "
        "wire_copy_of, n_mentions, added_at, updated_at, copy_group) SELECT doc_id, title, "
        f"{day_sql('published')}, url, source, language, text_sha1, wire_copy_of, n_events, "
        "ingested_at, "
        "ingested_at, coalesce(wire_copy_of, doc_id) FROM v1_articles")
    con.execute(MENTION_FROM_V1)
    rows = con.execute("SELECT mention_id, cameo_root, date, date_precision FROM mentions"
                       ).fetchall()
    for mention_id, root, day, precision in rows:
        window = date_window(day, precision)
        con.execute("UPDATE mentions SET family = ?, day_lo = ?, day_hi = ? WHERE mention_id = ?",
                    [family_of(root), window[0] if window else None,
                     window[1] if window else None, mention_id])
    con.execute(
        "INSERT INTO places (doc_id, start_char, end_char, mention, name, lat, lon, country, "
        "admin1, geonameid, feature, confidence, added_at) SELECT doc_id, start_char, end_char, "
        "mention, name, lat, lon, country, admin1, geonameid, feature, confidence, ? "
        "FROM v1_places", [now])
    con.execute(
        "INSERT INTO errors SELECT doc_id, code, any_value(reason), any_value(detail), "
        "min(seen_at), max(seen_at) FROM v1_errors GROUP BY doc_id, code")
    for table in ("articles", "events", "places", "errors"):
        con.execute(f"DROP TABLE v1_{table}")


def migrate_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2 to 3: admin1 codes and admin2 of places, mentions and events; fatalities and
    salience of mentions and events.

    Records coded before version 3 carry none of them: the columns stay NULL until a re-ingest.
    """
    for table in ("mentions", "events", "places"):
        for name, kind in ADMIN_COLUMNS.items():
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    for table in ("mentions", "events"):
        for name, kind in REPORT_COLUMNS.items():
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")


def migrate_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3 to 4: event dates, report ranges and publication dates from ISO text to DATE.

    Every stored date was a full ``yyyy-mm-dd`` (its precision is beside it), so DATE holds
    it as it was; a publication "date" that named no day (free text a feed gave) becomes NULL,
    as coding already read it. Rows are rewritten in place, none is dropped.
    """
    for table, columns in DATE_COLUMNS.items():
        for column in columns:
            con.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DATA TYPE DATE "
                        f"USING {day_sql(column)}")

"""Files older eventwires wrote open with today's schema, migrated in place."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from eventkit import article, event

from eventwire.records.errors import ErrorCode
from eventwire.store.database import SCHEMA_VERSION, Store, StoreError
from eventwire.store.events import EVENT_INDEX
from eventwire.store.migrations import V1_SCHEMA


def _record(event_id: str, doc_id: str) -> dict[str, object]:
    return {"event_id": event_id, "doc_id": doc_id, "date": "2020-03-02",
            "date_precision": "day", "cameo": "190", "cameo_root": "19", "plover": "ASSAULT",
            "plover_mode": None, "quad_class": 4, "goldstein": -10.0,
            "source": {"text": "Malian troops", "name": "Mali military", "code": "MLIMIL",
                       "country": "MLI", "agent": "MIL", "backer": None},
            "target": None,
            "location": {"name": "Kidal", "lat": 18.44, "lon": 1.41, "country": "MLI",
                         "admin1": "Kidal", "geonameid": 2455290, "feature": "city"},
            "evidence": {"sentence": "Malian troops attacked rebel positions near Kidal.",
                         "sentence_index": 0, "start": 0, "end": 50, "trigger": "attacked"},
            "confidence": 0.9, "coder": "rules v1"}


def write_v1(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute(V1_SCHEMA)
    for doc, copy in (("a", None), ("b", "a")):
        con.execute("INSERT INTO articles VALUES (?, 't', '2020-03-02', NULL, ?, 'en', 'x', ?, 1, "
                    "TIMESTAMP '2024-01-01 00:00:00')", [doc, f"outlet-{doc}", copy])
        record = _record(f"{doc}-0", doc)
        con.execute("INSERT INTO events VALUES (?, ?, 'c', '2020-03-02', 'day', '190', '19', "
                    "'ASSAULT', NULL, 4, -10.0, 'MLIMIL', 'MLI', 'MIL', NULL, NULL, NULL, "
                    "'Kidal', 18.44, 1.41, 'MLI', 'city', ?, 0.9, 'rules v1', ?)",
                    [f"{doc}-0", doc, "Malian troops attacked rebel positions near Kidal.",
                     json.dumps(record)])
    con.execute("INSERT INTO errors VALUES ('x', 'E002', 'empty', '', now()), "
                "('x', 'E002', 'empty', '', now())")
    con.close()


def assert_old_schema_refused_read_only(db: Path) -> None:
    with pytest.raises(StoreError) as failure:
        Store(db, read_only=True)
    assert failure.value.code is ErrorCode.E036_DB_OLD_SCHEMA


def test_v1_file_is_migrated_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    write_v1(db)
    assert_old_schema_refused_read_only(db)
    with Store(db) as store:
        assert store.version() == SCHEMA_VERSION
        assert store.counts() == {"articles": 2, "mentions": 2, "events": 1, "places": 0,
                                  "errors": 1}
        event = store.con.execute(
            "SELECT n_mentions, n_articles, n_sources, place_name, admin1, geonameid "
            "FROM events").fetchone()
        assert event == (2, 2, 1, "Kidal", "Kidal", 2455290)
        names = [r[0] for r in store.con.execute("SELECT source_name FROM mentions").fetchall()]
        assert names == ["Mali military", "Mali military"]
    with Store(db, read_only=True) as store:  # now at the current schema: readable as it is
        assert store.counts()["events"] == 1


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute(f"DROP INDEX {EVENT_INDEX}")  # files of that version had no event index
    con.execute("INSERT INTO schema_info VALUES (99, now())")
    con.close()
    with pytest.raises(StoreError) as failure:
        Store(db)
    assert failure.value.code is ErrorCode.E035_DB_NEWER_SCHEMA
    assert "upgrade eventwire" in str(failure.value)


def test_v2_file_gains_the_admin_columns(tmp_path: Path) -> None:
    db = tmp_path / "v2.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute(f"DROP INDEX {EVENT_INDEX}")  # files of that version had no event index
    for table in ("mentions", "events", "places"):
        for name in ("admin1_code", "admin2", "admin2_code"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    con.execute("DELETE FROM schema_info")
    con.execute("INSERT INTO schema_info VALUES (2, now())")
    con.close()
    assert_old_schema_refused_read_only(db)
    with Store(db) as store:
        assert store.version() == SCHEMA_VERSION == 4
        for table in ("mentions", "events", "places"):
            columns = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
            assert columns[-3:] == ["admin1_code", "admin2", "admin2_code"], table


V3_TEXT_DATES = {"articles": ("published",), "mentions": ("date",),
                 "events": ("date", "first_reported", "last_reported")}


def write_v3(path: Path) -> None:
    """A version-3 file: the store as it was when dates were ISO text."""
    with Store(path) as store:
        for doc, day in (("a", "2020-03-02"), ("b", "2020-03-03"), ("c", "2020-03-04")):
            store.add_article(article(doc, f"Malian troops attacked rebels near Kidal. {doc}",
                                      published=day), [event(doc)], [])
        store.add_article(article("d", "Police fired on protesters in Kirkuk.",
                                  published="2020-05-01"),
                          [event("d", cameo="180", date="2020-05-01", precision="month",
                                 place="Kirkuk", sentence="Police fired on protesters.")], [])
    con = duckdb.connect(str(path))
    con.execute(f"DROP INDEX {EVENT_INDEX}")  # files of that version had no event index
    for table, columns in V3_TEXT_DATES.items():
        for column in columns:
            con.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DATA TYPE VARCHAR")
    # what older readers let through as a publication date
    con.execute("UPDATE articles SET published = '2020-03-03T08:15:00Z' WHERE doc_id = 'b'")
    con.execute("UPDATE articles SET published = 'Tuesday morning' WHERE doc_id = 'c'")
    con.execute("DELETE FROM schema_info")
    con.execute("INSERT INTO schema_info VALUES (3, now())")
    con.close()


def _types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT table_name || '.' || column_name, data_type FROM "
                       "information_schema.columns WHERE table_schema = 'main'").fetchall()
    return {name: kind for name, kind in rows}


def test_v3_file_gets_its_dates_as_dates(tmp_path: Path) -> None:
    db = tmp_path / "v3.duckdb"
    write_v3(db)
    con = duckdb.connect(str(db))
    assert _types(con)["events.date"] == "VARCHAR"
    before = con.execute("SELECT count(*) FROM articles").fetchone(), con.execute(
        "SELECT count(*) FROM mentions").fetchone(), con.execute(
        "SELECT event_id, date, first_reported, last_reported FROM events ORDER BY event_id"
    ).fetchall()
    con.close()
    assert_old_schema_refused_read_only(db)
    with Store(db) as store:
        assert store.version() == SCHEMA_VERSION == 4
        types = _types(store.con)
        for table, columns in V3_TEXT_DATES.items():
            for column in columns:
                assert types[f"{table}.{column}"] == "DATE", (table, column)
        assert types["events.added_at"] == "TIMESTAMP"
        after = store.one("SELECT count(*) FROM articles"), store.one(
            "SELECT count(*) FROM mentions"), store.con.execute(
            "SELECT event_id, date, first_reported, last_reported FROM events "
            "ORDER BY event_id").fetchall()
        assert after[:2] == before[:2]
        assert [(e, str(d), str(f), str(last)) for e, d, f, last in after[2]] == before[2]
        published = dict(store.con.execute("SELECT doc_id, published FROM articles").fetchall())
        assert published["b"] == date(2020, 3, 3)
        assert published["c"] is None  # no day in it: coding never read one either
        # the migrated file takes new articles, and their dates meet the stored ones
        store.add_article(article("e", "Malian troops attacked rebels near Kidal. e",
                                  published="2020-03-05"), [event("e")], [])
        row = store.one("SELECT n_articles, first_reported, last_reported FROM events "
                        "WHERE date = DATE '2020-03-02'")
        assert row == (4, date(2020, 3, 2), date(2020, 3, 5))
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 5


def test_a_failed_v3_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "v3.duckdb"
    write_v3(db)
    con = duckdb.connect(str(db))
    con.execute("CREATE INDEX by_day ON events (date)")  # a column with a dependant cannot change
    con.close()
    with pytest.raises(StoreError) as failure:
        Store(db)
    assert failure.value.code is ErrorCode.E038_DB_FAILED
    con = duckdb.connect(str(db))
    assert con.execute("SELECT max(version) FROM schema_info").fetchone() == (3,)
    assert {k: v for k, v in _types(con).items() if k.endswith(".date")} == {
        "mentions.date": "VARCHAR", "events.date": "VARCHAR"}
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == (4,)
    con.close()

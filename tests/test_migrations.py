"""A file written with schema v1 opens with schema v2: per-article records become mentions."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from eventwire.records.errors import ErrorCode
from eventwire.store.database import SCHEMA_VERSION, Store, StoreError
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


def test_v1_file_is_migrated_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    write_v1(db)
    with pytest.raises(StoreError) as failure:
        Store(db, read_only=True)
    assert failure.value.code is ErrorCode.E036_DB_OLD_SCHEMA
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
    for table in ("mentions", "events", "places"):
        for name in ("admin1_code", "admin2", "admin2_code"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    con.execute("DELETE FROM schema_info")
    con.execute("INSERT INTO schema_info VALUES (2, now())")
    con.close()
    with pytest.raises(StoreError) as failure:
        Store(db, read_only=True)
    assert failure.value.code is ErrorCode.E036_DB_OLD_SCHEMA
    with Store(db) as store:
        assert store.version() == SCHEMA_VERSION == 3
        for table in ("mentions", "events", "places"):
            columns = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
            assert columns[-3:] == ["admin1_code", "admin2", "admin2_code"], table

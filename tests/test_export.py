"""Every export format reads back with DuckDB or pandas and agrees with the store."""

from __future__ import annotations

import csv as csv_module
import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from eventkit import actor, article, event
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.store.database import Store
from eventwire.store.export import EventFilter, export_events
from eventwire.store.formats import (
    ACLED_COLUMNS,
    GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
    POLECAT_COLUMNS,
    fips,
    numeric_id,
)

runner = CliRunner()
MLI_MIL = actor("MLIMIL", "MLI", "MIL", "Mali military")
MLI_REB = actor("MLIREB", "MLI", "REB", "Mali rebels")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "x.duckdb"
    with Store(path) as store:
        store.add_article(article("a", "Malian troops attacked rebels near Kidal on Monday."),
                          [event("a", source=MLI_MIL, target=MLI_REB)], [])
        store.add_article(article("b", "Soldiers fought rebels in Kidal, the army said.",
                                  source="other"),
                          [event("b", source=MLI_MIL, target=MLI_REB,
                                 sentence="Soldiers fought rebels near Kidal, the army said.")],
                          [])
        store.add_article(article("c", "Protesters marched in Aleppo.", "2020-04-05"),
                          [event("c", cameo="141", date="2020-04-05", place="Aleppo",
                                 source=actor(None, "SYR", "PPL", "Syrian protesters"),
                                 sentence="Protesters marched in Aleppo against prices."),
                           event("c", 1, cameo="036", date="2020-04", precision="month",
                                 place=None, source=actor("SYRGOV", "SYR", "GOV"),
                                 sentence="The government said it would meet them in April.")],
                          [])
    return path


def _store_events(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    frame = con.execute("SELECT * FROM events WHERE deleted_at IS NULL ORDER BY event_id").df()
    con.close()
    return frame


def _export(db: Path, fmt: str, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--out", str(out),
                                 *extra])
    assert result.exit_code == 0, result.output
    return out


def test_parquet_csv_jsonl_round_trip(db: Path, tmp_path: Path) -> None:
    truth = _store_events(db)
    assert len(truth) == 3 and truth["n_mentions"].tolist().count(2) == 1
    path = _export(db, "parquet", tmp_path)
    parquet = duckdb.read_parquet(str(path)).df().sort_values("event_id")
    pd.testing.assert_frame_equal(parquet.reset_index(drop=True), truth)
    with_pandas = pd.read_parquet(path).sort_values("event_id")
    assert list(with_pandas.columns) == list(truth.columns)
    assert with_pandas["n_mentions"].tolist() == truth["n_mentions"].tolist()
    assert with_pandas["lat"].fillna(0).tolist() == truth["lat"].fillna(0).tolist()
    csv = duckdb.read_csv(str(_export(db, "csv", tmp_path))).df().sort_values("event_id")
    assert csv["event_id"].tolist() == truth["event_id"].tolist()
    assert csv["n_sources"].tolist() == truth["n_sources"].tolist()
    lines = _export(db, "jsonl", tmp_path).read_text().splitlines()
    rows = sorted((json.loads(line) for line in lines), key=lambda r: r["event_id"])
    assert [r["n_articles"] for r in rows] == truth["n_articles"].tolist()
    assert [r["sentence"] for r in rows] == truth["sentence"].tolist()


def test_dates_are_dates_in_parquet_and_iso_text_in_csv_and_jsonl(db: Path, tmp_path: Path
                                                                  ) -> None:
    path = _export(db, "parquet", tmp_path)
    schema = pq.read_schema(path)
    for name in ("date", "first_reported", "last_reported"):
        assert schema.field(name).type == pa.date32(), name
    for name in ("added_at", "updated_at", "deleted_at"):
        assert pa.types.is_timestamp(schema.field(name).type), name
    frame = pd.read_parquet(path).sort_values("date")  # pyarrow gives date32 as dates
    assert frame["date"].tolist() == [date(2020, 3, 2), date(2020, 4, 1), date(2020, 4, 5)]
    # date arithmetic works on the columns as loaded, no parsing by the analyst
    spans = [(last - day).days for last, day in zip(frame["last_reported"], frame["date"],
                                                    strict=True)]
    assert spans == [0, 4, 0]
    lines = _export(db, "jsonl", tmp_path).read_text().splitlines()
    assert sorted(json.loads(line)["date"] for line in lines) == [
        "2020-03-02", "2020-04-01", "2020-04-05"]
    rows = list(csv_module.DictReader(_export(db, "csv", tmp_path).open(encoding="utf-8")))
    assert sorted(r["first_reported"] for r in rows) == ["2020-03-02", "2020-04-05",
                                                         "2020-04-05"]
    mentions = _export(db, "parquet", tmp_path, "--table", "mentions")
    assert pq.read_schema(mentions).field("date").type == pa.date32()


def test_an_empty_parquet_export_keeps_the_column_types(db: Path, tmp_path: Path) -> None:
    path = _export(db, "parquet", tmp_path, "--since", "2030-01-01")
    assert pq.read_table(path).num_rows == 0
    assert pq.read_schema(path).field("date").type == pa.date32()


def test_geojson_has_a_point_per_located_event(db: Path, tmp_path: Path) -> None:
    data = json.loads(_export(db, "geojson", tmp_path).read_text())
    truth = _store_events(db).dropna(subset=["lat"])
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(truth) == 2
    kidal = next(f for f in data["features"] if f["properties"]["place_name"] == "Kidal")
    assert kidal["geometry"]["coordinates"] == [1.41, 18.44]  # lon, lat
    assert kidal["properties"]["n_articles"] == 2


def test_gdelt_events_have_61_columns_and_fips_codes(db: Path, tmp_path: Path) -> None:
    assert len(GDELT_EVENT_COLUMNS) == 61 and len(set(GDELT_EVENT_COLUMNS)) == 61
    out = _export(db, "gdelt", tmp_path)
    frame = pd.read_csv(out, sep="\t", header=None, names=GDELT_EVENT_COLUMNS,
                        dtype={"EventCode": str, "EventRootCode": str, "EventBaseCode": str})
    truth = _store_events(db)
    assert len(frame) == len(truth)
    kidal = frame[frame["ActionGeo_FullName"].fillna("").str.startswith("Kidal")].iloc[0]
    assert kidal["ActionGeo_CountryCode"] == "ML" and kidal["Actor1CountryCode"] == "MLI"
    assert kidal["SQLDATE"] == 20200302 and kidal["NumArticles"] == 2
    assert kidal["EventRootCode"] == "19" and kidal["ActionGeo_Type"] == 4
    # the division as GDELT writes it: FIPS country and the division's code
    assert kidal["ActionGeo_ADM1Code"] == "ML10"
    assert kidal["Actor1Geo_ADM1Code"] == "ML10"
    assert kidal["Actor1Geo_Lat"] == kidal["ActionGeo_Lat"]
    aleppo = frame[frame["ActionGeo_FullName"].fillna("").str.startswith("Aleppo")].iloc[0]
    assert aleppo["ActionGeo_ADM1Code"] == "SY"  # no code known: the country alone
    assert aleppo["Actor2Geo_Type"] == 0  # no target, no target's place
    ids = {numeric_id(e) for e in truth["event_id"]}
    assert set(frame["GLOBALEVENTID"]) == ids
    via_duckdb = duckdb.read_csv(str(out), delimiter="\t", header=False).fetchall()
    assert len(via_duckdb) == len(truth) and len(via_duckdb[0]) == 61
    assert fips("SYR") == "SY" and fips("DEU") == "GM" and fips("GBR") == "UK"


def test_gdelt_mentions_one_row_per_mention(db: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(_export(db, "gdelt-mentions", tmp_path), sep="\t", header=None,
                        names=GDELT_MENTION_COLUMNS)
    assert len(frame) == 4
    events = set(_store_events(db)["event_id"].map(numeric_id))
    assert set(frame["GLOBALEVENTID"]) == events
    assert frame["MentionIdentifier"].str.startswith("https://").all()
    assert frame["Confidence"].between(0, 100).all()


def test_polecat_and_acled_columns(db: Path, tmp_path: Path) -> None:
    polecat = pd.read_csv(_export(db, "polecat", tmp_path), sep="\t")
    assert list(polecat.columns) == POLECAT_COLUMNS and len(polecat) == 3
    assert set(polecat["Event Type"].dropna()) == {"ASSAULT"}
    acled = pd.read_csv(_export(db, "acled", tmp_path))
    assert list(acled.columns) == ACLED_COLUMNS
    # the announcement (CAMEO 036) is not an ACLED event; the fight and the protest are
    assert sorted(acled["event_type"]) == ["Battles", "Protests"]
    battle = acled[acled["event_type"] == "Battles"].iloc[0]
    assert battle["country"] == "Mali" and battle["iso"] == 466 and battle["inter1"] == 1
    assert battle["inter2"] == 2 and battle["interaction"] == 12
    assert "Kidal" in battle["notes"] and battle["time_precision"] == 1
    assert battle["region"] == "Western Africa" and battle["admin1"] == "Kidal"
    protest = acled[acled["event_type"] == "Protests"].iloc[0]
    assert protest["region"] == "Middle East"


def test_filters_by_date_and_country(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "filtered.jsonl"
    with Store(db, read_only=True) as store:

        def count(**kwargs: Any) -> int:
            written = export_events(store, "jsonl", out, EventFilter(**kwargs))
            assert written == len(out.read_text().splitlines())
            return written

        assert count() == 3
        assert count(countries=["SYR"]) == 2
        assert count(countries=["mli"]) == 1
        assert count(since="2020-04-01") == 2  # the April protest and the "in April" meeting
        assert count(since="2020-04-10") == 1  # only the month-precision meeting overlaps
        assert count(until="2020-03-31") == 1


def test_mentions_table_exports_records_as_code_prints_them(db: Path, tmp_path: Path) -> None:
    out = _export(db, "jsonl", tmp_path, "--table", "mentions")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 4 and {r["doc_id"] for r in records} == {"a", "b", "c"}
    assert set(records[0]) >= {"event_id", "evidence", "source", "location"}


def test_mentions_join_the_events_export(db: Path, tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    events = pd.read_csv(_export(db, "csv", tmp_path))
    mentions = pd.read_csv(_export(db, "csv", tmp_path / "m", "--table", "mentions"))
    assert "mention_id" in mentions.columns
    joined = mentions.merge(events, on="event_id", suffixes=("", "_event"))
    assert len(joined) == len(mentions) == 4  # every mention finds its event
    assert joined.groupby("event_id").size().max() == 2  # the told-twice fight
    assert (mentions["mention_id"] != mentions["event_id"]).any()

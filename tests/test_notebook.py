"""The notebook API: eventwire.code() and eventwire.open(path).events(...)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
from eventkit import actor, article, event

import eventwire
from eventwire.records.model import EVENT_FIELDS
from eventwire.store.database import Store


def test_code_returns_records_with_the_contract_fields() -> None:
    events = eventwire.code("Malian troops attacked rebel positions near Kidal on Monday, the "
                            "army said.", date="2020-03-04", use_model=False)
    assert events and all(tuple(e) == EVENT_FIELDS for e in events)
    assert any(e["cameo_root"] in ("18", "19") and e["date"] == "2020-03-02" for e in events)


def test_open_gives_dataframes_and_arrow(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as store:
        store.add_article(article("a", "Troops attacked rebels near Kidal."),
                          [event("a", source=actor("MLIMIL", "MLI", "MIL"))], [])
        store.add_article(article("b", "Protesters marched in Aleppo.", "2021-05-01"),
                          [event("b", cameo="141", date="2021-05-01", place="Aleppo",
                                 sentence="Protesters marched in Aleppo.")], [])
    with eventwire.open(db) as database:
        frame = database.events()
        assert len(frame) == 2 and {"event_id", "n_mentions", "lat"} <= set(frame.columns)
        assert database.events(country="SYR")["place_name"].tolist() == ["Aleppo"]
        assert len(database.events(since="2021-01-01")) == 1
        assert database.events(plover="assault")["place_name"].tolist() == ["Kidal"]
        table = database.events_arrow(country=["MLI", "SYR"])
        assert isinstance(table, pa.Table) and table.num_rows == 2
        assert len(database.mentions(country="MLI")) == 1
        assert database.sql("SELECT count(*) AS n FROM articles")["n"].tolist() == [2]


def test_dates_come_as_datetimes_in_pandas_and_dates_in_arrow(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as store:
        store.add_article(article("a", "Troops attacked rebels near Kidal.", "2020-03-03"),
                          [event("a", date="2020-03-02")], [])
        store.add_article(article("b", "Protesters marched in Aleppo in May.", "2021-05-20"),
                          [event("b", cameo="141", date="2021-05-01", precision="month",
                                 place="Aleppo", sentence="Protesters marched in Aleppo.")], [])
    with eventwire.open(db) as database:
        frame = database.events().sort_values("date")
        for name in ("date", "first_reported", "last_reported", "added_at", "updated_at"):
            assert pd.api.types.is_datetime64_any_dtype(frame[name]), name
        assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-03-02", "2021-05-01"]
        assert (frame["first_reported"] - frame["date"]).dt.days.tolist() == [1, 19]
        # a month-precision event is kept by a range that starts inside its month
        assert database.events(since="2021-05-15")["place_name"].tolist() == ["Aleppo"]
        assert database.events(until="2021-04")["place_name"].tolist() == ["Kidal"]
        assert pd.api.types.is_datetime64_any_dtype(database.articles()["published"])
        assert pd.api.types.is_datetime64_any_dtype(database.mentions()["date"])
        table = database.events_arrow()
        assert table.schema.field("date").type == pa.date32()

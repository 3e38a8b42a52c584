"""Every filter is checked: a value that names nothing is a coded error, never an empty answer."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import eventwire
from eventwire.records.errors import EventwireError
from eventwire.records.queries import query_country, query_date, query_range, query_type


@pytest.mark.parametrize(("value", "iso3"), [("SYR", "SYR"), ("syr", "SYR"), ("Syria", "SYR"),
                                             ("Syrian", "SYR"), ("united states", "USA")])
def test_countries_by_code_or_name(value: str, iso3: str) -> None:
    assert query_country(value) == iso3


@pytest.mark.parametrize("value", ["Sirya", "XYZ", "", "Narnia"])
def test_unknown_country_is_e051(value: str) -> None:
    with pytest.raises(EventwireError) as caught:
        query_country(value)
    assert caught.value.code.value == "E051"


@pytest.mark.parametrize("value", ["2022-13-45", "garbage", "2023-02-30", "99999", "0001-01-01"])
def test_bad_dates_are_e050(value: str) -> None:
    with pytest.raises(EventwireError) as caught:
        query_date(value)
    assert caught.value.code.value == "E050"


def test_dates_as_analysts_write_them() -> None:
    today = date(2024, 3, 1)
    assert query_date("yesterday", today=today) == "2024-02-29"
    assert query_date("2023-05") == "2023-05"
    with pytest.raises(EventwireError):
        query_range("2024-05-01", "2024-04-01")


def test_unknown_type_is_e052() -> None:
    assert query_type("assault") == "ASSAULT"
    with pytest.raises(EventwireError) as caught:
        query_type("FOO")
    assert caught.value.code.value == "E052"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("queries")
    article = folder / "a.jsonl"
    article.write_text(json.dumps({
        "id": "a", "date": "2024-03-05",
        "text": "Syrian government forces shelled rebel positions in Idlib on Monday."}) + "\n")
    db = folder / "q.duckdb"
    subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(article), "--db",
                    str(db), "--no-model"], check=True, capture_output=True, timeout=300)
    return db


def _export(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", "export", "--db", str(db),
                           *args], capture_output=True, text=True, timeout=120)


def test_export_takes_a_country_name(store: Path) -> None:
    by_name, by_code = _export(store, "--country", "Syria"), _export(store, "--country", "SYR")
    assert by_name.returncode == 0 and by_name.stdout == by_code.stdout
    assert by_name.stdout.strip(), "the Syrian event is there"


@pytest.mark.parametrize(("args", "code"), [
    (["--since", "2022-13-45"], "E050"), (["--since", "garbage"], "E050"),
    (["--country", "Sirya"], "E051")])
def test_export_refuses_bad_filters(store: Path, args: list[str], code: str) -> None:
    done = _export(store, *args)
    assert done.returncode != 0 and f"[{code}]" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_refuses_an_unknown_table(store: Path) -> None:
    done = _export(store, "--table", "foo")
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_eval_refuses_an_unknown_split(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text("")
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "eval", str(gold), "--split",
                           "dev"], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "--split" in done.stderr


def test_notebook_filters_are_checked(store: Path) -> None:
    with eventwire.open(store) as db:
        assert len(db.events(country="Syria")) == len(db.events(country="SYR")) > 0
        with pytest.raises(EventwireError):
            db.events(country="Sirya")
        with pytest.raises(EventwireError):
            db.events(since="garbage")
        with pytest.raises(EventwireError):
            db.events(plover="FOO")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of two reports of one attack (tolls revised) and some history."""
    folder = tmp_path_factory.mktemp("reported")
    records = [
        {"id": "first", "date": "2024-03-05", "text": (
            "Islamist militants attacked an army base in northern Mali on Monday, killing at "
            "least 14 soldiers, the army said.\n\nIn 2012, rebels seized the north of Mali.")},
        {"id": "later", "date": "2024-03-07", "text": (
            "Islamist militants attacked an army base in northern Mali on Monday, killing 23 "
            "soldiers, officials said on Wednesday.")},
    ]
    corpus = folder / "reports.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    db = folder / "r.duckdb"
    subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db",
                    str(db), "--no-model"], check=True, capture_output=True, timeout=300)
    return db


def test_store_keeps_fatalities_and_salience(reported: Path) -> None:
    with eventwire.open(reported) as db:
        events = db.events()
        mentions = db.mentions()
    attack = events[events["plover"] == "ASSAULT"]
    assert len(attack) >= 1 and set(mentions["fatalities"].dropna()) >= {14, 23}
    assert 23 in set(attack["fatalities"])  # the latest report's count, not a sum
    assert set(events["salience"]) >= {"headline", "background"}


def test_acled_export_carries_fatalities(reported: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "acled.csv"
    done = _export(reported, "--format", "acled", "--out", str(out))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert 23 in set(frame["fatalities"])


def test_api_filters_are_checked(reported: Path) -> None:
    from fastapi.testclient import TestClient

    from eventwire.serving.api import create_app

    with TestClient(create_app(reported)) as client:
        assert client.get("/events", params={"contry": "SYR"}).status_code == 400
        assert client.get("/events", params={"plover": "FOO"}).status_code == 400
        assert client.get("/events", params={"country": "XYZ"}).status_code == 400
        background = client.get("/events", params={"salience": "background"})
        assert background.status_code == 200
        rows = background.json()["events"]
        assert rows and all(r["salience"] == "background" for r in rows)
        dead = client.get("/events", params={"fatalities_min": 20}).json()["events"]
        assert dead and all(r["fatalities"] >= 20 for r in dead)


def test_background_raises_no_alert(reported: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "z.duckdb"
    shutil.copy(reported, db)
    add = subprocess.run([sys.executable, "-m", "eventwire.cli", "zones", "add", "--name", "Mali",
                          "--lat", "17.6", "--lon", "-2.0", "--radius-km", "2000", "--db",
                          str(db)], capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    article = tmp_path / "new.jsonl"
    article.write_text(json.dumps({"id": "new", "date": "2024-03-09", "text": (
        "Malian troops shelled rebel positions near Kidal on Friday.\n\n"
        "In 2012, rebels seized Kidal and the north of Mali.")}) + "\n")
    subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(article), "--db",
                    str(db), "--no-model"], check=True, capture_output=True, timeout=300)
    with eventwire.open(db) as opened:
        alerted = opened.sql("SELECT e.salience FROM alerts a JOIN events e USING (event_id)")
        stored = opened.events()
    assert "background" in set(stored["salience"])
    assert len(alerted) >= 1 and "background" not in set(alerted["salience"])

"""Ingest takes every input kind: a WARC written here, HTML, JSONL, text, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from test_readers_warc import make_warc
from typer.testing import CliRunner

from eventwire.cli.main import app

WIRE = ("Sudanese army units clashed with RSF fighters in Omdurman on Monday, residents said. "
        "The army accused the RSF of shelling hospitals, and the United Nations urged both sides "
        "to stop the fighting and let aid reach the city.")
PAGE = ("<html><head><title>Protest in Lagos</title></head><body><article><h1>Protest in Lagos"
        "</h1><p>Nigerian police arrested dozens of protesters in Lagos on Saturday as crowds "
        "marched against rising fuel prices, witnesses said.</p></article></body></html>")


def test_ingest_a_mixed_folder_and_a_warc(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.warc.gz").write_bytes(make_warc(gz=True))
    (corpus / "broken.warc.gz").write_bytes(make_warc(gz=True)[:-200])
    (corpus / "lagos.html").write_text(PAGE)
    records = [{"id": "wire-1", "text": WIRE, "date": "2023-05-01", "source": "agency"},
               {"id": "wire-2", "text": WIRE.replace("residents said", "residents told us"),
                "date": "2023-05-01", "source": "paper"}]
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{oops\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "french.txt").write_text(
        "Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendraient "
        "la semaine prochaine, selon un communiqué publié dans la soirée par le ministère.")
    db = tmp_path / "news.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output

    con = duckdb.connect(str(db))
    stored = dict(con.execute("SELECT doc_id, wire_copy_of FROM articles").fetchall())
    errors = dict(con.execute("SELECT doc_id, code FROM errors").fetchall())
    assert stored["wire-2"] == "wire-1" and stored["wire-1"] is None
    urls = {r[0] for r in con.execute("SELECT url FROM articles WHERE url IS NOT NULL").fetchall()}
    assert "https://news.example.com/a/1" in urls, "WARC responses are stored with their URL"
    assert any(doc.startswith("url-") for doc in stored), "WARC articles are keyed by URL"
    assert "lagos" in stored
    assert errors.get(str(corpus / "empty.txt")) == "E002"
    assert errors.get(str(corpus / "french.txt")) == "E010"
    assert errors.get(f"{corpus / 'wire.jsonl'}:3") == "E006"
    assert "E013" in errors.values(), "a truncated archive is reported once"
    clusters = con.execute(
        "SELECT n_articles, n_sources FROM events WHERE event_id IN "
        "(SELECT event_id FROM mentions WHERE doc_id = 'wire-2')"
    ).fetchall()
    assert clusters and all(c == (2, 1) for c in clusters), "a wire copy is not a second report"
    lagos = con.execute(
        "SELECT cameo_root, source_country, place_name FROM mentions WHERE doc_id = 'lagos'"
    ).fetchall()
    assert ("17", "NGA", "Lagos") in lagos


def test_language_and_location_precision_are_stored(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": WIRE}) + "\n")
    db = tmp_path / "x.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.jsonl"), "--db", str(db)])
    assert result.exit_code == 0
    con = duckdb.connect(str(db))
    assert con.execute("SELECT language FROM articles").fetchall() == [("en",)]
    rows = con.execute("SELECT place_name, place_precision FROM mentions").fetchall()
    precisions = {r[1] for r in rows if r[0] is not None}
    assert precisions and precisions <= {"point", "city", "region", "country"}
    # an event with no place has no precision either
    assert all(r[1] is None for r in rows if r[0] is None)

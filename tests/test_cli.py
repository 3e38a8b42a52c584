"""The command line, called in-process (typer's runner) and once as a real program."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import SAMPLES
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.records.model import EVENT_FIELDS
from eventwire.store.export import csv_columns

runner = CliRunner()
SAMPLE = SAMPLES / "nairobi-protests-2024-06-25.txt"


def test_code_prints_event_records_with_the_contract_fields() -> None:
    result = runner.invoke(app, ["code", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for record in records:
        assert tuple(record) == EVENT_FIELDS
        assert set(record["evidence"]) == {"sentence", "sentence_index", "start", "end", "trigger"}
        assert record["doc_id"] == "nairobi-protests-2024-06-25"


def test_code_csv() -> None:
    result = runner.invoke(app, ["code", str(SAMPLE), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0]) == csv_columns()
    assert all(row["cameo"] for row in rows)


def test_places_prints_mentions() -> None:
    result = runner.invoke(app, ["places", str(SAMPLE)])
    assert result.exit_code == 0
    mentions = [json.loads(line) for line in result.stdout.splitlines()]
    fields = {"doc_id", "text", "start", "end", "name", "lat", "lon", "country", "admin1",
              "admin1_code", "admin2", "admin2_code", "geonameid", "feature", "confidence"}
    assert mentions and all(set(m) == fields for m in mentions)
    text = SAMPLE.read_text()
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    nairobi = [m for m in mentions if m["text"] == "Nairobi"]
    assert nairobi and nairobi[0]["country"] == "KEN"


def test_bad_inputs_are_reported_and_the_rest_is_coded(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["code", str(empty), str(binary), str(SAMPLE),
                                 str(tmp_path / "nope.txt")])
    assert result.exit_code == 0
    assert f"[E002] {empty}" in result.stderr  # errors name the path the user gave
    assert f"[E003] {binary}" in result.stderr
    assert "[E001]" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 3
    assert result.stdout.strip()


def test_nothing_coded_is_a_failure(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  ")
    result = runner.invoke(app, ["code", str(empty)])
    assert result.exit_code == 1
    assert "[E002]" in result.stderr


def test_ingest_twice_adds_nothing_and_export_reads_back(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1"}\nnot json\n')
    first = runner.invoke(app, ["ingest", str(SAMPLES), str(bad), "--db", str(db)])
    assert first.exit_code == 0, first.output
    con = duckdb.connect(str(db))
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("articles", "mentions")]
    errors = con.execute("SELECT doc_id, code FROM errors ORDER BY doc_id").fetchall()
    con.close()
    assert errors == [(f"{bad}:1", "E007"), (f"{bad}:2", "E006")]
    second = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert "0 stored" in second.stderr
    con = duckdb.connect(str(db))
    again = [con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("articles", "mentions")]
    con.close()
    assert again == counts
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--table",
                                   "mentions"])
    lines = exported.stdout.splitlines()
    assert len(lines) == counts[1][0]  # type: ignore[index]
    assert tuple(json.loads(lines[0])) == ("mention_id", *EVENT_FIELDS)  # joins the events


def test_the_installed_program_reads_stdin() -> None:
    text = SAMPLE.read_text()
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "code", "-"], input=text,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records and all(r["doc_id"] == "stdin" for r in records)


def test_every_command_has_help() -> None:
    for command in ("code", "places", "ingest", "export", "demo", "eval"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_version_flag() -> None:
    from eventwire import __version__

    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0 and done.output.strip() == __version__


def test_every_command_shows_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert "code" in names and "export" in names
    for name in names:
        command = group.commands[name]  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group such as `zones`: its own commands
            continue
        assert command.epilog and "eventwire " in command.epilog, name


def test_plain_progress_with_total_when_not_a_terminal(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"a{n}.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "EVENTWIRE_PROGRESS_SECONDS": "0"}
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "code", str(corpus),
                           "--no-model"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0
    assert "coding articles: 3/3 (100%)" in done.stderr


def test_date_option_dates_undated_input() -> None:
    text = "Rebels shelled the army base in Kidal on Monday, officials said."
    args = [sys.executable, "-m", "eventwire.cli", "code", "-", "--no-model"]
    dated = subprocess.run([*args, "--date", "2024-03-06"], input=text, capture_output=True,
                           text=True, timeout=300)
    events = [json.loads(line) for line in dated.stdout.splitlines()]
    assert events and all(e["date"] == "2024-03-04" for e in events)
    bad = subprocess.run([*args, "--date", "March"], input=text, capture_output=True,
                         text=True, timeout=300)
    assert bad.returncode != 0 and "--date" in bad.stderr

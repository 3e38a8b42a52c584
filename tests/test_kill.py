"""kill -9 a real ``eventwire ingest`` at several moments: the file opens, and a rerun ends
exactly where a clean run ends (articles, mentions, events, wire-copy flags, errors),
whatever order the articles came in."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventwire.store.database import Store

STORIES = [
    ("Malian troops", "rebel positions", "Kidal", "Monday"),
    ("Malian soldiers", "jihadist fighters", "Gao", "Tuesday"),
    ("Nigerian troops", "Boko Haram fighters", "Maiduguri", "Wednesday"),
    ("Iraqi forces", "Islamic State militants", "Mosul", "Thursday"),
    ("Syrian government forces", "rebel fighters", "Idlib", "Friday"),
    ("Somali troops", "al Shabaab fighters", "Kismayo", "Saturday"),
    ("Sudanese army units", "RSF fighters", "Omdurman", "Sunday"),
    ("Congolese soldiers", "M23 rebels", "Goma", "Monday"),
    ("Burkinabe troops", "armed militants", "Djibo", "Tuesday"),
    ("Ethiopian forces", "Fano militiamen", "Gondar", "Wednesday"),
    ("Yemeni government troops", "Houthi fighters", "Marib", "Thursday"),
    ("Afghan police", "Taliban fighters", "Kunduz", "Friday"),
]


def _corpus() -> list[dict[str, Any]]:
    """Per story: an agency original, a wire copy, and a rewrite by another outlet."""
    records: list[dict[str, Any]] = []
    for n, (army, enemy, town, day) in enumerate(STORIES):
        date = f"2021-03-{n + 1:02d}"
        lead = (f"{army} attacked {enemy} near {town} on {day}, killing at least {n + 5} "
                f"people, officials said. ")
        rest = (f"Residents of {town} said the fighting lasted several hours and that families "
                f"fled towards nearby villages. A spokesman for the regional governor said the "
                f"situation was under control by the evening and that the roads had reopened.")
        records.append({"id": f"s{n:02d}-agency", "text": lead + rest, "date": date,
                        "source": "agency"})
        records.append({"id": f"s{n:02d}-copy", "text": lead + rest + " (agency)",
                        "date": date, "source": f"paper-{n % 3}"})
        records.append({"id": f"s{n:02d}-rewrite", "date": date, "source": "daily",
                        "text": f"Fighting broke out near {town} on {day} when {army} attacked "
                                f"{enemy}, leaving {n + 7} dead, according to local officials."})
    return records


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    lines = [json.dumps(r) for r in records]
    lines.insert(len(lines) // 2, "{not json")
    lines.insert(len(lines) // 3, json.dumps({"id": "empty-record", "text": ""}))
    path.write_text("\n".join(lines) + "\n")


def _command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(db),
            "--no-model"]


def _state(db: Path) -> dict[str, Any]:
    """Everything a rerun must reproduce, timestamps aside."""
    with Store(db, read_only=True) as store:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return store.con.execute(sql).fetchall()

        return {
            "articles": rows("SELECT doc_id, text_sha1, wire_copy_of, copy_group, n_mentions "
                             "FROM articles ORDER BY doc_id"),
            "mentions": rows("SELECT mention_id, event_id, doc_id FROM mentions "
                             "ORDER BY mention_id"),
            "events": rows("SELECT event_id, n_mentions, n_articles, n_sources, n_outlets, "
                           "anchor_mention_id, first_reported FROM events "
                           "WHERE deleted_at IS NULL ORDER BY event_id"),
            "places": rows("SELECT doc_id, start_char, end_char FROM places ORDER BY ALL"),
            "errors": rows("SELECT doc_id, code FROM errors ORDER BY ALL"),
            "signatures": rows("SELECT doc_id FROM wire_signatures ORDER BY doc_id"),
        }


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def _wal(db: Path) -> int:
    try:
        return Path(str(db) + ".wal").stat().st_size
    except FileNotFoundError:
        return 0


def _ingest_watching_the_log(command: list[str], db: Path, kill_at: int | None) -> int:
    """Run an ingest, polling the size of DuckDB's write-ahead log (it grows by each
    committed article); kill it with SIGKILL once the log reaches ``kill_at`` bytes.
    Returns the largest log size seen."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    largest = 0
    while process.poll() is None:
        largest = max(largest, _wal(db))
        if kill_at is not None and largest >= kill_at:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    assert process.wait() in (0, -signal.SIGKILL)
    return largest


@pytest.mark.slow
def test_kill_at_several_moments_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    records = _corpus()
    corpus = tmp_path / "corpus.jsonl"
    _write(corpus, records)
    clean_db = tmp_path / "clean.duckdb"
    largest_log = _ingest_watching_the_log(_command(corpus, clean_db), clean_db, None)
    clean = _state(clean_db)
    assert len(clean["articles"]) == len(records) and largest_log > 0
    copies = [a for a in clean["articles"] if a[2] is not None]
    assert len(copies) >= len(STORIES), "every agency story has a wire copy"
    assert {e[1] for e in clean["errors"]} == {"E006", "E002"}
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    other = tmp_path / "shuffled.jsonl"
    _write(other, shuffled)

    partial_counts = []
    # kill as the file is created, then a third and two thirds of the way through storing
    for number, fraction in enumerate((0.0, 0.35, 0.7)):
        db = tmp_path / f"killed-{number}.duckdb"
        _ingest_watching_the_log(_command(corpus, db), db, max(1, int(largest_log * fraction)))
        con = duckdb.connect(str(db))  # the file opens after the kill
        stored = con.execute("SELECT count(*) FROM articles").fetchall()[0][0] \
            if "articles" in {r[0] for r in con.execute("SHOW TABLES").fetchall()} else 0
        con.close()
        partial_counts.append(stored)
        last = number == 2
        # the last resume reads the articles in another order: the end state is the same
        _run(_command(other if last else corpus, db))
        got = _state(db)
        if last:
            got.pop("errors"), clean.pop("errors")  # error ids name the line they were on
        assert got == clean, f"rerun after a kill at {fraction:.0%} of the log differs"
    assert any(0 < n < len(records) for n in partial_counts), partial_counts

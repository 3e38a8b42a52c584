"""A backfill's Parquet files ingest into a store: the same events as coding the inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import eventwire

RECORDS = [
    {"id": "one", "date": "2024-03-05", "text": (
        "Islamist militants attacked an army base in northern Mali on Monday, killing at least "
        "14 soldiers, the army said.")},
    {"id": "two", "date": "2024-03-06", "text": (
        "Thousands of protesters marched in Nairobi on Tuesday against a new finance bill, and "
        "police fired tear gas at them.")},
]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True,
                          text=True, timeout=600)


def test_backfill_parquet_ingests_like_its_inputs(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    done = _cli("backfill", str(corpus), "--out", str(tmp_path / "out"), "--no-model",
                "--workers", "1")
    assert done.returncode == 0, done.stderr
    parquet = sorted((tmp_path / "out").glob("*.parquet"))
    assert len(parquet) == 1
    direct, via = tmp_path / "direct.duckdb", tmp_path / "via.duckdb"
    assert _cli("ingest", str(corpus), "--db", str(direct), "--no-model").returncode == 0
    first = _cli("ingest", str(parquet[0]), "--db", str(via))
    assert first.returncode == 0, first.stderr
    again = _cli("ingest", str(parquet[0]), "--db", str(via))
    assert "0 stored" in again.stderr  # a rerun adds nothing
    with eventwire.open(direct) as a, eventwire.open(via) as b:
        coded, backfilled = a.mentions(), b.mentions()
        assert sorted(coded["mention_id"]) == sorted(backfilled["mention_id"])
        assert sorted(a.events()["plover"]) == sorted(b.events()["plover"])
        assert set(backfilled["fatalities"].dropna()) == set(coded["fatalities"].dropna())

"""Backfills: one Parquet per input, deterministic names, resumable; Ray gives the local output."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from eventwire.scale.backfill import backfill, output_path
from eventwire.scale.executor import Settings

RULES = Settings(use_model=False)


def _corpus(folder: Path) -> list[Path]:
    """Two JSONL files of the bundled samples, and one with a bad line."""
    folder.mkdir()
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    files = []
    for index, chunk in enumerate((texts[:2], texts[2:])):
        path = folder / f"part-{index}.jsonl"
        path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in chunk)
                        + ("not json\n" if index else ""), encoding="utf-8")
        files.append(path)
    return files


def _rows(folder: Path) -> list[tuple[object, ...]]:
    return duckdb.connect().execute(
        f"SELECT * FROM '{folder.as_posix()}/*.parquet' ORDER BY ALL").fetchall()


def test_names_depend_on_name_and_content(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("x\n")
    b.write_text("x\n")
    assert output_path(a, tmp_path) == output_path(a, tmp_path)
    assert output_path(a, tmp_path) != output_path(b, tmp_path)
    first = output_path(a, tmp_path)
    a.write_text("y\n")
    assert output_path(a, tmp_path) != first


@pytest.mark.slow
def test_one_parquet_per_input_and_resume(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    reports = backfill([str(tmp_path / "in")], out, "local", workers=1, settings=RULES)
    assert [r.status for r in reports] == ["done", "done"]
    assert [Path(r.input).name for r in reports] == [f.name for f in files]
    assert reports[1].errors == 1 and sum(r.events for r in reports) > 5
    written = sorted(out.glob("*.parquet"))
    assert len(written) == 2 and not list(out.glob(".*.tmp"))
    rows = _rows(out)
    assert len(rows) == sum(r.events for r in reports)
    query = f"SELECT record FROM '{written[0]}' LIMIT 1"
    record = json.loads(duckdb.connect().execute(query).fetchall()[0][0])
    assert {"event_id", "cameo", "source", "evidence"} <= set(record)
    schema = pq.read_schema(written[0])
    assert schema.field("date").type == pa.date32()  # the record keeps its ISO text
    dated = duckdb.connect().execute(
        f"SELECT date, record FROM '{written[0]}' WHERE date IS NOT NULL LIMIT 1").fetchall()
    assert dated and dated[0][0].isoformat() == json.loads(dated[0][1])["date"]

    # a killed run left one file undone and a partial temporary file: only that one is redone
    written[1].unlink()
    (out / ("." + written[1].name + ".tmp")).write_bytes(b"partial")
    again = backfill([str(tmp_path / "in")], out, "local", workers=1, settings=RULES)
    assert sorted(r.status for r in again) == ["done", "skipped"]
    assert _rows(out) == rows


@pytest.mark.slow
@pytest.mark.ray
def test_ray_writes_what_the_local_executor_writes(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    _corpus(tmp_path / "in")
    local = backfill([str(tmp_path / "in")], tmp_path / "local", "local", workers=2,
                     settings=RULES)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = backfill([str(tmp_path / "in")], tmp_path / "ray", "ray", workers=2,
                          settings=RULES)
    finally:
        ray.shutdown()
    assert [Path(r.output).name for r in on_ray] == [Path(r.output).name for r in local]
    assert [(r.articles, r.events, r.errors) for r in on_ray] == [
        (r.articles, r.events, r.errors) for r in local]
    assert _rows(tmp_path / "ray") == _rows(tmp_path / "local")

"""Whole-article scoring reads a folder of gold files as one set: the silver stories."""

from __future__ import annotations

import json
from pathlib import Path

from eventwire.quality.evaluation.articles import gold_records
from eventwire.quality.splits import is_heldout


def _write(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_a_folder_is_read_in_file_order_and_a_story_coded_twice_counts_once(
        tmp_path: Path) -> None:
    ids = [f"story-{n}" for n in range(40)]
    _write(tmp_path / "silver_a.jsonl",
           [{"id": i, "text": "a", "coder": "a", "events": []} for i in ids[:25]])
    _write(tmp_path / "silver_b.jsonl",
           [{"id": i, "text": "b", "coder": "b", "events": []} for i in ids[20:]])
    (tmp_path / "notes.txt").write_text("not gold", encoding="utf-8")
    everything = list(gold_records(tmp_path, "all"))
    assert [r["id"] for r in everything] == ids
    assert [r["coder"] for r in everything if r["id"] in ids[20:25]] == ["a"] * 5
    held = [r["id"] for r in gold_records(tmp_path, "heldout")]
    assert held == [i for i in ids if is_heldout(i)] and 0 < len(held) < len(ids)

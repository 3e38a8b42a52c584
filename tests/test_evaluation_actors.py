"""The actor evaluation: coverage on the gold files and accuracy on the hand-labelled reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.quality.evaluation.actors import (
    REFERENCE,
    evaluate_actors,
    gold_spans,
    read_reference,
    score_reference,
)
from eventwire.quality.splits import is_heldout

EVENTS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "events"


needs_gold = pytest.mark.skipif(not EVENTS.exists(), reason="../shared is not beside this checkout")


@needs_gold
def test_reference_is_well_formed() -> None:
    rows = read_reference(REFERENCE)
    assert len(rows) >= 270
    assert {r["set"] for r in rows} == {"A", "B", "C"}
    assert len([r for r in rows if r["set"] == "C"]) >= 120
    for row in rows:
        assert row["span"]
        assert row["country"] is None or len(row["country"] or "") == 3


@needs_gold
def test_reference_accuracy_floor() -> None:
    """Floors below the measured figures, so a regression fails without pinning the numbers."""
    result = score_reference(REFERENCE)
    assert result["country_accuracy"] >= 0.85
    assert result["agent_accuracy"] >= 0.8
    assert result["none_accuracy"] >= 0.8


def test_gold_spans_split(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    texts = [f"Sentence number {i} about Syria." for i in range(30)]
    lines = [
        json.dumps({"text": t, "events": [{"source": ["Syrian troops"], "target": "the rebels"}]})
        for t in texts
    ]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    held = list(gold_spans(gold, "heldout"))
    train = list(gold_spans(gold, "train"))
    assert len(held) + len(train) == len(list(gold_spans(gold, "all"))) == 60
    assert all(is_heldout(s) for s, _ in held)
    result = evaluate_actors(gold, "all", reference=None)
    assert result["spans"] == 60 and result["with_agent"] == 1.0 and result["with_country"] == 1.0
    with pytest.raises(ValueError):
        list(gold_spans(gold, "dev"))


@pytest.mark.parametrize("name", ["conflibert_cameo_train.jsonl", "zsp_plv_train.jsonl"])
def test_gold_files(name: str) -> None:
    path = EVENTS / name
    if not path.exists():
        pytest.skip("shared evaluation data not present")
    result = evaluate_actors(path, "heldout", limit=200, reference=None)
    assert result["spans"] == 200
    assert result["coded"] >= 0.7
    assert result["with_country"] >= 0.5

"""A small places evaluation run on the public gold sets, when they are present."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.quality.evaluation.places import evaluate_places, load_docs, split_gold

GEO = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "geo"


@pytest.mark.parametrize("name", ["lgl.jsonl", "geowebnews.jsonl"])
def test_small_evaluation_run(name: str) -> None:
    path = GEO / name
    if not path.exists():
        pytest.skip("shared gold sets absent")
    result = evaluate_places(path, split="train", limit=8)
    for key in ("precision", "recall", "f1", "acc_161", "auc", "mean_error_km",
                "median_error_km", "docs_per_s", "docs", "gold_toponyms", "predicted"):
        assert key in result
    assert result["docs"] == 8
    for key in ("precision", "recall", "f1", "acc_161", "auc"):
        assert 0.0 <= result[key] <= 1.0
    assert result["f1"] > 0.2
    assert result["gold_toponyms"] > 0 and result["docs_per_s"] > 0


def test_splits_are_disjoint() -> None:
    path = GEO / "geowebnews.jsonl"
    if not path.exists():
        pytest.skip("shared gold sets absent")
    train = {d["id"] for d in load_docs(path, "train")}
    held = {d["id"] for d in load_docs(path, "heldout")}
    assert train and held and not train & held
    with pytest.raises(ValueError):
        load_docs(path, "dev")


def test_geowebnews_types() -> None:
    toponyms = [
        {"start": 0, "end": 5, "type": "Literal", "modifier_type": None},
        {"start": 6, "end": 12, "type": "Non_Literal_Modifier", "modifier_type": "Adjective"},
        {"start": 13, "end": 20, "type": "Demonym", "modifier_type": None},
        {"start": 21, "end": 25, "type": "Literal_Modifier", "modifier_type": "Noun"},
    ]
    gold, ignore = split_gold(toponyms)
    assert [t["start"] for t in gold] == [0, 21]
    assert len(ignore) == 2


def test_demonym_gold_is_ignored_by_default() -> None:
    toponyms = [{"start": 0, "end": 8, "name": "Lebanese"},
                {"start": 9, "end": 15, "name": "Beirut"}]
    gold, ignore = split_gold(toponyms)
    assert [t["name"] for t in gold] == ["Beirut"]
    gold, ignore = split_gold(toponyms, demonyms="count")
    assert len(gold) == 2 and not ignore

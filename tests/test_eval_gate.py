"""The evaluation gate: accuracy on held-out gold data may only go up.

Each floor in ``eval_floors.json`` is a figure ``eventwire eval`` measured on
the held-out split (never trained or tuned on), rounded down. A change that
lowers one fails here; a change that raises one should raise its floor.
The ``#articles`` section pins whole real articles (events found, their sides,
place and date). The ``#check`` sections pin the behavioural pass rates of ``eventwire check``
(both template sets, default seed and size), which need no gold files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, need_shared

FLOORS: dict[str, dict[str, float]] = json.loads(
    (Path(__file__).parent / "eval_floors.json").read_text()
)["floors"]


@cache
def check_report() -> dict[str, Any]:
    """Both template sets of the behavioural checks, coded in one run."""
    from eventwire.quality.check import TEMPLATE_SETS, run_check, summarise

    return {TEMPLATE_SETS[name]: summarise(cases) for name, cases in run_check().items()}


@cache
def report(name: str) -> dict[str, Any]:
    gold_file, task = name.split("#")
    if task == "check":
        return check_report()[gold_file]
    folder = {"places": "geo", "articles": "realnews"}.get(task, "events")
    path = SHARED / "eval" / folder / gold_file
    if gold_file == "silver":  # the silver stories, split over the files of one folder
        path = SHARED / "train"
    if task == "places":
        from eventwire.quality.evaluation.places import evaluate_places

        # demonyms count as gold, so the figure cannot move with the coder's own not-a-place list
        return evaluate_places(path, split="heldout", demonyms="count")
    if task == "actors":
        from eventwire.quality.evaluation.actors import score_reference

        return {f"reference_{s}": score_reference(subset=s) for s in ("B", "C")}
    if task == "articles":
        from eventwire.quality.evaluation.articles import evaluate_articles

        return evaluate_articles(path, split="heldout", details=False)
    from eventwire.quality.evaluation.events import evaluate_events

    return evaluate_events(path, split="heldout")


def lookup(data: dict[str, Any], dotted: str) -> float:
    value: Any = data
    for key in dotted.split("."):
        value = value[key]
    return float(value)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floors_hold(name: str) -> None:
    if not name.endswith("#check"):
        need_shared()
    measured = report(name)
    failures = []
    for metric, floor in FLOORS[name].items():
        value = lookup(measured, metric)
        if value < floor:
            failures.append(f"{metric}: {value:.4f} < floor {floor}")
    assert not failures, f"{name} fell below its floors: {failures}"

"""Shared test helpers: where the gold data lives and how an expected event is matched."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "at-tanf-leaflets-2017-06-02.txt"
SAMPLES = ROOT / "eventwire" / "samples"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def rules() -> Any:
    """One rules-only pipeline (no classifier) for every test that shows what the rules do."""
    from eventwire.coding.pipeline import Pipeline

    return Pipeline(use_model=False)


def code_text(pipeline: Any, text: str, published: str, doc_id: str = "t") -> list[Any]:
    """The events of ``text`` coded as one article published on ``published``."""
    from eventwire.records.model import Article

    article = Article(doc_id=doc_id, text=text, body=text, body_offset=[(0, 0)],
                      published=published)
    return list(pipeline.process(article).events)


def need_shared() -> None:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _actor_ok(want: dict[str, Any] | None, got: dict[str, Any] | None) -> bool:
    if not want:
        return True
    if got is None:
        return False
    if "country" in want and got.get("country") != want["country"]:
        return False
    if "country_any" in want and got.get("country") not in want["country_any"]:
        return False
    if "agent_any" in want and got.get("agent") not in want["agent_any"]:
        return False
    if "backer" in want and got.get("backer") != want["backer"]:
        return False
    if "name_any" in want:
        names = {str(n).lower() for n in want["name_any"]}
        found = {str(got.get(k) or "").lower() for k in ("name", "code")}
        if not names & found:
            return False
    return True


def event_matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    """Does an emitted event record satisfy one entry of an expected file?"""
    if "cameo_root" in want and got["cameo_root"] != want["cameo_root"]:
        return False
    if "cameo_root_any" in want and got["cameo_root"] not in want["cameo_root_any"]:
        return False
    if "plover" in want and got["plover"] != want["plover"]:
        return False
    if "plover_any" in want and got["plover"] not in want["plover_any"]:
        return False
    if "date" in want and got["date"] != want["date"]:
        return False
    if "date_year" in want and not str(got["date"] or "").startswith(str(want["date_year"])):
        return False
    if "date_precision_any" in want and got["date_precision"] not in want["date_precision_any"]:
        return False
    if "place_any" in want:
        place = (got.get("location") or {}).get("name") or ""
        wanted = [p.lower() for p in want["place_any"]]
        if not place or not any(p in place.lower() or place.lower() in p for p in wanted):
            return False
    direct = _actor_ok(want.get("source"), got["source"]) and _actor_ok(
        want.get("target"), got["target"]
    )
    if direct or not want.get("either_direction"):
        return direct
    return _actor_ok(want.get("source"), got["target"]) and _actor_ok(
        want.get("target"), got["source"]
    )


def unmatched(expected: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[str]:
    """The 'what' of every required expected event that no emitted event satisfies."""
    return [
        want["what"]
        for want in expected
        if not want.get("optional") and not any(event_matches(want, e) for e in events)
    ]

"""End to end: the seed article and the bundled samples code as a careful human coder reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, SAMPLES, SEED, km_between, need_shared, unmatched

from eventwire.coding.pipeline import Pipeline
from eventwire.readers import read_inputs
from eventwire.records.model import ArticleResult


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def code_file(pipeline: Pipeline, path: Path) -> ArticleResult:
    (result,) = list(pipeline.run(read_inputs([str(path)])))
    assert isinstance(result, ArticleResult), result
    return result


def check_article(result: ArticleResult, expected: dict[str, Any]) -> None:
    article = result.article
    meta = expected["article"]
    assert article.title == meta["title"]
    assert article.published == meta["published"]
    for furniture in meta["not_body_text"]:
        assert furniture not in article.body
    records = [e.to_dict() for e in result.events]
    missing = unmatched(expected["events"], records)
    assert not missing, f"not coded: {missing}\ngot: {json.dumps(records, indent=1)[:4000]}"
    for forbidden in expected.get("must_not", []):
        if isinstance(forbidden, dict):
            assert unmatched([forbidden], records), f"coded although it must not be: {forbidden}"


def test_seed_events(pipeline: Pipeline) -> None:
    need_shared()
    expected = json.loads(SEED.with_suffix("").with_suffix(".expected.json").read_text())
    result = code_file(pipeline, SEED)
    check_article(result, expected)
    for event in result.events:
        for side in (event.source, event.target):
            if side is not None:
                assert side.text not in ("Getty", "2 min read")
                assert side.agent != "MED", f"a news agency coded as a party: {event.to_dict()}"


def test_seed_places(pipeline: Pipeline) -> None:
    need_shared()
    expected = json.loads(SEED.with_suffix("").with_suffix(".expected.json").read_text())
    result = code_file(pipeline, SEED)
    for want in expected["places"]:
        hits = [m for m in result.places if m.text in want["mention_any"] and m.place]
        assert hits, f"no resolved mention of {want['mention_any']}"
        for mention in hits:
            place = mention.place
            assert place is not None
            if "country" in want:
                assert place.country == want["country"], mention
            if "lat" in want:
                assert place.lat is not None and place.lon is not None
                distance = km_between(want["lat"], want["lon"], place.lat, place.lon)
                assert distance <= want["within_km"], (mention, distance)


@pytest.mark.parametrize(
    "name", sorted(p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json"))
)
def test_sample_articles(pipeline: Pipeline, name: str) -> None:
    expected = json.loads((DATA / f"{name}.expected.json").read_text())
    check_article(code_file(pipeline, SAMPLES / f"{name}.txt"), expected)


def test_every_event_has_evidence_in_text(pipeline: Pipeline) -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        result = code_file(pipeline, path)
        for event in result.events:
            ev = event.evidence
            assert result.article.text[ev.start : ev.end] == ev.sentence
            assert ev.trigger and ev.trigger.split()[0] in ev.sentence
            assert 0.0 <= event.confidence <= 1.0

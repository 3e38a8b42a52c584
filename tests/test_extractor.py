"""The learned extractor: constructions the rules got wrong, and tags that do not depend on
the batch. Each sentence is coded as a one-sentence article by the full pipeline."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import code_text

from eventwire.coding.events.extractor import DEFAULT_MODEL_DIR, Extractor

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "model.onnx").is_file(),
                                reason="no extractor artefact")

DAY = "2024-03-04"


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from eventwire.coding.pipeline import Pipeline

    built = Pipeline()
    assert built.coder.learned is not None, "the packaged extractor did not load"
    return built


def sides(events: list[Any], plover: str) -> set[tuple[str | None, str | None]]:
    return {(e.source.country if e.source else None, e.target.country if e.target else None)
            for e in events if e.plover == plover}


BOMBING = "Nigerian militants claimed responsibility for a bombing that killed 12 Chadian soldiers."
PROTEST = "Thousands of farmers protested against the new land law in the capital."
VOW = "Iran vowed to respond with full force to any attack by Israel."


@pytest.mark.parametrize("form", ["as written", "lower", "upper", "line break"])
def test_claimed_bombing_is_an_assault_on_the_soldiers(pipeline: Any, form: str) -> None:
    text = {"as written": BOMBING, "lower": BOMBING.lower(), "upper": BOMBING.upper(),
            "line break": BOMBING.replace("a bombing", "a\nbombing")}[form]
    events = code_text(pipeline, text, DAY)
    assert ("NGA", "TCD") in sides(events, "ASSAULT"), [e.to_dict() for e in events]


@pytest.mark.parametrize("form", ["as written", "lower", "line break"])
def test_farmers_protest_is_a_protest_not_an_accusation(pipeline: Any, form: str) -> None:
    text = {"as written": PROTEST, "lower": PROTEST.lower(),
            "line break": PROTEST.replace("the new", "the\nnew")}[form]
    events = code_text(pipeline, text, DAY)
    types = {e.plover for e in events}
    assert "PROTEST" in types and "ACCUSE" not in types, [e.to_dict() for e in events]
    protest = next(e for e in events if e.plover == "PROTEST")
    assert protest.source is not None and "farmers" in protest.source.text.lower()


@pytest.mark.parametrize("form", ["as written", "lower", "upper"])
def test_vow_to_respond_is_a_threat_against_the_attacker(pipeline: Any, form: str) -> None:
    text = {"as written": VOW, "lower": VOW.lower(), "upper": VOW.upper()}[form]
    events = code_text(pipeline, text, DAY)
    assert ("IRN", "ISR") in sides(events, "THREATEN"), [e.to_dict() for e in events]
    assert "AGREE" not in {e.plover for e in events}


def test_attack_by_x_on_y(pipeline: Any) -> None:
    events = code_text(pipeline, "An attack by Russian forces on Ukrainian border guards "
                                 "killed five people on Sunday.", DAY)
    assert ("RUS", "UKR") in sides(events, "ASSAULT"), [e.to_dict() for e in events]


def test_clashes_between_x_and_y_go_both_ways(pipeline: Any) -> None:
    events = code_text(pipeline, "Clashes between Sudanese troops and Ethiopian militiamen "
                                 "near the border left 20 people dead.", DAY)
    assert {("SDN", "ETH"), ("ETH", "SDN")} <= sides(events, "ASSAULT"), \
        [e.to_dict() for e in events]


def test_killing_at_least_twelve_is_the_same_attack(pipeline: Any) -> None:
    events = code_text(pipeline, "Boko Haram fighters stormed a village in northeastern "
                                 "Nigeria on Sunday, killing at least 12 civilians.", DAY)
    assaults = [e for e in events if e.plover == "ASSAULT"]
    assert len(assaults) == 1, [e.to_dict() for e in events]
    assert assaults[0].source is not None and assaults[0].source.agent == "REB"
    assert assaults[0].target is not None and assaults[0].target.country == "NGA"


def test_no_event_in_a_plain_statement(pipeline: Any) -> None:
    events = code_text(pipeline, "The minister said the weather in the capital was mild "
                                 "for the season.", DAY)
    assert events == []


def test_tags_do_not_depend_on_the_batch() -> None:
    extractor = Extractor()
    pairs = [("", BOMBING), ("The talks ended on Monday.", VOW), ("", PROTEST),
             ("", "Rebels shelled Kidal."), ("", "The president met his Kenyan counterpart "
                                                 "in Nairobi to discuss border security.")]
    pieces = extractor.encoder.pieces
    encoded = [extractor.encoder.build(pieces([p])[0], pieces([s])[0]) for p, s in pairs]
    alone = [extractor.run([e], "trigger")[0] for e in encoded]
    together = extractor.run(encoded, "trigger", batch_size=len(encoded))
    for a, b in zip(alone, together, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=1e-4)
    assert extractor.tag(pairs) == [extractor.tag([p])[0] for p in pairs]

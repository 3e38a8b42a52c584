"""The learned extractor: constructions the rules got wrong, tags that do not depend on the
batch, and the input encoding. Each sentence is coded as a one-sentence article by the full
pipeline; the model's tests run where an artefact is packaged or named by
``$EVENTWIRE_EXTRACTOR``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import code_text

from eventwire.coding.events.extractor import DEFAULT_MODEL_DIR, MODEL_ENV, Extractor

MODEL_DIR = Path(os.environ.get(MODEL_ENV) or DEFAULT_MODEL_DIR)
needs_model = pytest.mark.skipif(not (MODEL_DIR / "model.onnx").is_file(),
                                reason="no extractor artefact (set $EVENTWIRE_EXTRACTOR to one)")

DAY = "2024-03-04"


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from eventwire.coding.pipeline import Pipeline

    if not (MODEL_DIR / "model.onnx").is_file():
        pytest.skip("no extractor artefact (set $EVENTWIRE_EXTRACTOR to one)")

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


@needs_model
def test_tags_do_not_depend_on_the_batch() -> None:
    extractor = Extractor(MODEL_DIR)
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


# -- the encoding both training and runtime use (no trained model needed) ----------------


@pytest.fixture(scope="module")
def encoder() -> Any:
    from tokenizers import Tokenizer

    from eventwire.coding.classifier import DEFAULT_MODEL_DIR as CLASSIFIER_DIR
    from eventwire.coding.events.tagging import Encoder

    return Encoder(Tokenizer.from_file(str(CLASSIFIER_DIR / "tokenizer.json")), 96)


def test_head_word_skips_auxiliaries() -> None:
    from eventwire.coding.events.tagging import head_word

    text = "The ministry has requested talks."
    start = text.index("has")
    a, b = head_word(text, start, start + len("has requested"))
    assert text[a:b] == "requested"


def test_markers_wrap_the_trigger_and_context_is_cut_from_its_start(encoder: Any) -> None:
    from eventwire.coding.events.tagging import PREV_TOKENS

    prev = " ".join(["word"] * (PREV_TOKENS + 10))
    sent = "Rebels shelled the town of Kidal."
    start = sent.index("shelled")
    enc = encoder.build(encoder.pieces([prev])[0], encoder.pieces([sent])[0],
                        (start, start + len("shelled")))
    tokens = [encoder.tokenizer.id_to_token(i) for i in enc.ids]
    opened, closed = tokens.index("[unused0]"), tokens.index("[unused1]")
    inside = [enc.spans[i] for i in range(opened + 1, closed)]
    assert "".join(sent[s[1]:s[2]] for s in inside if s) == "shelled"
    assert sum(1 for s in enc.spans if s and s[0] == "p") == PREV_TOKENS
    assert enc.type_ids[: tokens.index("[SEP]") + 1] == [0] * (tokens.index("[SEP]") + 1)
    assert set(enc.type_ids[tokens.index("[SEP]") + 1 :]) == {1}


def test_bio_spans_join_pieces_and_keep_segments_apart() -> None:
    from eventwire.coding.events.tagging import bio_spans

    spans = [None, ("p", 0, 5), None, ("s", 0, 3), ("s", 3, 6), ("s", 7, 9), ("s", 10, 12)]
    labels = ["O", "B-SOURCE", "O", "B-SOURCE", "I-SOURCE", "O", "I-TARGET"]
    assert bio_spans(labels, spans) == [("SOURCE", "p", 0, 5), ("SOURCE", "s", 0, 6),
                                        ("TARGET", "s", 10, 12)]

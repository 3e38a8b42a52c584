"""The cascade's cheap first stage: trigger and actor words on plain text."""

from __future__ import annotations

import pytest

from eventwire.coding.pipeline import Pipeline
from eventwire.coding.prefilter import Prefilter, actor_phrases, default_prefilter, trigger_heads
from eventwire.records.model import Article


@pytest.fixture(scope="module")
def prefilter() -> Prefilter:
    return default_prefilter()


def test_tables_are_read() -> None:
    heads = trigger_heads()
    assert {"attack", "say", "protest"} <= heads
    phrases = actor_phrases()
    assert "Hezbollah" in phrases and "government" in phrases


@pytest.mark.parametrize("sentence", [
    "Rebels attacked an army base.",
    "The police shot two protesters.",  # irregular past, from the model's exception table
    "Syria's government seized the crossing.",
    "They are shelling the village.",
    "Hezbollah banned the rally.",  # doubled consonant
    '"You are in a closed zone, leave the area immediately," another read.',  # the addressee
])
def test_keeps_sentences_that_may_hold_an_event(prefilter: Prefilter, sentence: str) -> None:
    assert prefilter.reason(sentence) is None


@pytest.mark.parametrize(("sentence", "why"), [
    ("AFP", "short"),
    ("The weather was mild and sunny for most of the week.", "no_trigger"),
    ("prices attacked new highs.", "no_actor"),
    ("NATO troops remained on alert in the north on Sunday.", None),  # a known actor, no trigger
    ("The governor's office declined to comment.", None),
])
def test_skips_with_a_reason(prefilter: Prefilter, sentence: str, why: str | None) -> None:
    assert prefilter.reason(sentence) == why


def test_short_capitals_match_only_in_capitals(prefilter: Prefilter) -> None:
    assert prefilter.has_actor(["UN", "troops"])
    assert not prefilter.has_actor(["is", "it", "attacked"])


def test_plural_of_a_table_term(prefilter: Prefilter) -> None:
    assert prefilter.has_actor(["soldiers"]) and prefilter.has_actor(["militias"])


def test_counts(prefilter: Prefilter) -> None:
    counts = prefilter.count(["Rebels attacked the town.", "AFP", "It rained."])
    assert counts == {"kept": 1, "short": 1, "no_trigger": 1}


def test_pipeline_skips_an_article_without_candidates(rules: Pipeline) -> None:
    before = rules.counts["articles_skipped"]
    quiet = Article(doc_id="q", text="It rained all week.", body="It rained all week.")
    result = rules.process(quiet)
    assert not result.parsed and result.events == []
    assert rules.counts["articles_skipped"] == before + 1


def test_pipeline_codes_only_candidates(rules: Pipeline) -> None:
    text = ("Rebels attacked an army base near the town on Monday.\n\n"
            "It rained all week.\n\nThe harvest was good.")
    result = rules.process(Article(doc_id="c", text=text, body=text))
    assert result.parsed and result.sentences == 3 and result.candidates == 1
    assert [e.evidence.sentence_index for e in result.events] == [0]

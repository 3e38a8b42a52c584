"""Constructions of real news, each on sentences written for the project.

Passives with no agent, event nouns on their own, an attack and its
casualties, two-sided acts, what is not an event (calls, questions,
possibilities), and how the sides are recorded (domestic country, a bare
country as a government or its forces, unidentified perpetrators). The
classifier is left out so that the rules alone are shown.
"""

from __future__ import annotations

import pytest
from conftest import code_text

from eventwire.coding.pipeline import Pipeline
from eventwire.records.model import Event


def code(pipeline: Pipeline, text: str, published: str = "2022-03-11") -> list[Event]:
    return code_text(pipeline, text, published)


def of_type(events: list[Event], plover: str) -> list[Event]:
    return [e for e in events if e.plover == plover]


def test_victims_as_subject_with_no_agent_are_still_an_event(rules: Pipeline) -> None:
    events = of_type(code(rules, "Four civilians were killed in Juba on Tuesday."), "ASSAULT")
    assert len(events) == 1
    event = events[0]
    assert event.source is None and event.target is not None
    assert event.target.country == "SSD"  # the victims take the country of the place
    assert event.date == "2022-03-08"


def test_event_noun_names_its_actor_in_a_modifier(rules: Pipeline) -> None:
    events = of_type(code(rules, "A Turkish drone strike killed three Kurdish fighters in Duhok."),
                     "ASSAULT")
    assert len(events) == 1, [(e.cameo, e.evidence.trigger) for e in events]
    assert events[0].cameo == "195"
    assert events[0].source and events[0].source.country == "TUR"
    assert events[0].target is not None


def test_an_attack_and_its_casualties_are_one_event(rules: Pipeline) -> None:
    events = code(rules, "Rebels shelled the garrison town of Kidal, killing at least 12 soldiers.")
    assault = of_type(events, "ASSAULT")
    assert len(assault) == 1, [(e.cameo, e.evidence.trigger) for e in events]
    assert assault[0].cameo == "194"  # the shelling's code, not the bare killing's


def test_protests_with_no_named_side_are_civilians_against_their_government(
        rules: Pipeline) -> None:
    events = of_type(code(rules, "Protests took place in Almaty overnight."), "PROTEST")
    assert len(events) == 1
    event = events[0]
    assert event.source and (event.source.country, event.source.agent) == ("KAZ", "CVL")
    assert event.target and event.target.agent == "GOV"
    assert event.attribution == "implied"
    assert event.date == "2022-03-10"


@pytest.mark.parametrize("sentence", [
    "The opposition called for a ceasefire in the north.",
    "Rallies are planned across the country next week.",
    "Did Russian troops shell the village?",
    "Ghana might impose sanctions on Togo if the talks fail.",
    "If Malian forces were to attack the camp, the region would be plunged into war.",
])
def test_what_has_not_happened_is_no_event(rules: Pipeline, sentence: str) -> None:
    events = code(rules, sentence)
    assert not [e for e in events if e.plover in ("RETREAT", "PROTEST", "ASSAULT", "SANCTION")], [
        (e.cameo, e.evidence.trigger) for e in events]


def test_an_agreed_ceasefire_is_a_truce_in_both_directions(rules: Pipeline) -> None:
    events = of_type(code(rules, "Armenia and Azerbaijan agreed to a ceasefire on Sunday."),
                     "RETREAT")
    assert {(e.source.country if e.source else None, e.target.country if e.target else None)
            for e in events} == {("ARM", "AZE"), ("AZE", "ARM")}
    assert {e.cameo for e in events} == {"0871"}


def test_condemning_an_act_targets_whoever_did_it(rules: Pipeline) -> None:
    text = ("Soldiers seized power in a coup in Niamey on Wednesday.\n\n"
            "France condemned the coup.")
    events = code(rules, text)
    accuse = of_type(events, "ACCUSE")
    assert len(accuse) == 1
    assert accuse[0].source and (accuse[0].source.country, accuse[0].source.agent) == (
        "FRA", "GOV")  # a bare country is its government when it speaks
    assert accuse[0].target and accuse[0].target.agent == "MIL"
    assert accuse[0].location is None  # statements take no place from the article


def test_unnamed_gunmen_stay_unidentified(rules: Pipeline) -> None:
    events = of_type(code(rules, "Gunmen abducted 30 students from a school in Kaduna."),
                     "ASSAULT")
    assert len(events) == 1
    source = events[0].source
    assert source is not None and source.text.lower() == "gunmen"
    assert source.country is None and source.agent is None
    assert events[0].target and events[0].target.country == "NGA"


def test_a_dateline_is_not_where_the_events_happened(rules: Pipeline) -> None:
    text = "KYIV, Ukraine (AP) — Russian troops shelled a power station in Kharkiv on Monday."
    events = of_type(code(rules, text), "ASSAULT")
    assert events and all(e.location and e.location.name != "Kyiv" for e in events)


def test_one_event_told_again_later_in_the_article_is_one_record(rules: Pipeline) -> None:
    text = ("Police arrested an opposition leader in Harare on Friday.\n\n"
            "The arrest came after weeks of protests.\n\n"
            "Zimbabwean police arrested the opposition leader at his home.")
    arrests = of_type(code(rules, text), "COERCE")
    assert len(arrests) == 1, [(e.cameo, e.evidence.trigger, e.evidence.sentence_index)
                               for e in arrests]
    assert arrests[0].evidence.sentence_index == 0

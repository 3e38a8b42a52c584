"""The rule coder's grammar: voice, negation, modality, quotes, several events, nominal events.

Sentences here are written for the project. The classifier is left out
(``use_model=False``) so each test shows what the rules themselves do.
"""

from __future__ import annotations

from conftest import code_text

from eventwire.coding.pipeline import Pipeline
from eventwire.records.model import Event


def code(pipeline: Pipeline, text: str, published: str = "2021-04-09") -> list[Event]:
    return code_text(pipeline, text, published)


def one(events: list[Event], root: str) -> Event:
    found = [e for e in events if e.cameo_root == root]
    assert len(found) == 1, [(e.cameo, e.evidence.trigger) for e in events]
    return found[0]


def test_active_voice(rules: Pipeline) -> None:
    event = one(code(rules, "Malian troops attacked rebel positions near Kidal."), "19")
    assert event.source and (event.source.country, event.source.agent) == ("MLI", "MIL")
    assert event.target and event.target.agent == "REB"
    assert event.plover == "ASSAULT" and event.quad_class == 4


def test_passive_voice_swaps_the_sides(rules: Pipeline) -> None:
    events = code(rules, "Two Nigerian soldiers were killed by Boko Haram fighters in Borno.")
    event = one(events, "19")
    assert event.source and event.source.name == "Boko Haram"
    assert event.target and (event.target.country, event.target.agent) == ("NGA", "MIL")


def test_negated_and_refused_actions_are_not_events(rules: Pipeline) -> None:
    assert code(rules, "The Chadian army did not attack the rebels.") == []
    refusal = code(rules, "The Chadian army refused to attack the rebels.")
    assert not [e for e in refusal if e.cameo_root == "19"]


def test_promised_force_is_a_threat_not_an_attack(rules: Pipeline) -> None:
    event = one(code(rules, "Israel will strike Hezbollah if the rockets continue."), "13")
    assert event.cameo == "138" and event.plover == "THREATEN"
    assert not [e for e in code(rules, "Israel will strike Hezbollah.") if e.cameo_root == "19"]


def test_warning_is_a_threat_with_the_warned_as_target(rules: Pipeline) -> None:
    event = one(code(rules, "The Russian military warned Ukrainian forces not to cross the river."),
                "13")
    assert event.source and event.source.country == "RUS"
    assert event.target and event.target.country == "UKR"


def test_quote_speaker_is_the_source_and_orders_are_demands(rules: Pipeline) -> None:
    text = ('The Turkish army told Kurdish fighters to withdraw. "Leave the town immediately," '
            'the army said.')
    demand = one(code(rules, text), "10")
    assert demand.source and demand.source.country == "TUR"
    assert demand.plover == "REQUEST"


def test_several_events_in_one_sentence(rules: Pipeline) -> None:
    events = code(rules, "Pakistan accused India of shelling border villages, and the United "
                         "States imposed sanctions on Iran.")
    roots = sorted(e.cameo_root for e in events)
    assert "11" in roots and "16" in roots
    accuse = one(events, "11")
    assert accuse.source and accuse.source.country == "PAK"
    assert accuse.target and accuse.target.country == "IND"


def test_nominal_event_names_both_sides(rules: Pipeline) -> None:
    events = code(rules, "Dozens died in clashes between Sudanese army units and RSF fighters.")
    # fighting between two sides is coded once in each direction
    assert len(events) == 2 and {e.cameo_root for e in events} == {"19"}
    army = next(e for e in events if e.source and e.source.country == "SDN"
                and e.source.agent == "MIL")
    assert army.target is not None and army.target.agent != "MIL"
    back = next(e for e in events if e is not army)
    assert back.source == army.target and back.target == army.source


def test_light_verb_takes_the_event_of_its_noun(rules: Pipeline) -> None:
    event = one(code(rules, "Iraqi troops launched an offensive against Islamic State fighters."),
                "19")
    assert event.target and event.target.name == "Islamic State"


def test_no_event_without_an_actor(rules: Pipeline) -> None:
    assert code(rules, "Fighting resumed after a short pause.") == []
    assert code(rules, "Prices rose sharply in the capital last month.") == []


def test_dates_come_from_the_sentence(rules: Pipeline) -> None:
    event = one(code(rules, "Kenyan police arrested six opposition activists on Tuesday."), "17")
    assert (event.date, event.date_precision) == ("2021-04-06", "day")


def test_evidence_points_at_the_trigger(rules: Pipeline) -> None:
    text = "Calm returned to the city. Egyptian police arrested two journalists in Cairo."
    event = one(code(rules, text), "17")
    assert event.evidence.sentence_index == 1
    assert text[event.evidence.start : event.evidence.end] == event.evidence.sentence
    assert event.evidence.trigger == "arrested"
    assert event.location and event.location.name == "Cairo"


def test_compound_actors_each_act(rules: Pipeline) -> None:
    events = code(rules, "Hungarian and Romanian officials condemned the Russian invasion.")
    countries = sorted(e.source.country or "" for e in events if e.source)
    assert countries == ["HUN", "ROU"]
    joint = code(rules, "Rwanda and Uganda accused Burundi of backing rebels.")
    assert sorted(e.source.country or "" for e in joint if e.source) == ["RWA", "UGA"]


def test_reported_pronoun_is_the_reporter(rules: Pipeline) -> None:
    events = code(rules, "Russia said on Friday that it had expelled two Polish diplomats.")
    expel = one(events, "16")
    assert expel.source and expel.source.country == "RUS"
    assert expel.target and expel.target.country == "POL"


def test_own_side_is_not_a_target(rules: Pipeline) -> None:
    event = one(code(rules, "The Iraqi prime minister agreed to resign from the Iraqi government."),
                "03")
    assert event.source and event.source.country == "IRQ"
    assert event.target is None


def test_negated_promise_is_a_refusal(rules: Pipeline) -> None:
    event = one(code(rules, "Bangladesh said it will not accept refugees from Myanmar."), "12")
    assert event.source and event.source.country == "BGD"
    assert event.plover == "REJECT"
    assert code(rules, "Bangladesh did not accept refugees from Myanmar.") == []


def test_what_another_must_do_is_a_demand(rules: Pipeline) -> None:
    event = one(code(rules, "The French foreign minister said Israel must end its raids on Gaza."),
                "10")
    assert event.source and event.source.country == "FRA"
    assert event.target and event.target.country == "ISR"


def test_announced_noun_is_the_event(rules: Pipeline) -> None:
    events = code(rules, "Egyptian police announced the arrest of ten Muslim Brotherhood members.")
    assert one(events, "17").evidence.trigger == "announced arrest"


def test_relative_clause_background_is_not_news(rules: Pipeline) -> None:
    old = code(rules, "Kenyan police arrested Al-Shabaab fighters, who attacked a Kenyan army "
                      "base in 2015.")
    assert [e.cameo_root for e in old] == ["17"]
    fresh = code(rules, "Kenyan police arrested Al-Shabaab fighters, who attacked a Kenyan army "
                        "base on Monday.")
    attack = one(fresh, "19")
    assert attack.source and attack.source.code == "SOMINSSHB"
    top = max(fresh, key=lambda e: e.confidence)
    assert top.cameo_root == "17"  # the main clause leads


def test_coordinated_passives_share_the_agent(rules: Pipeline) -> None:
    events = code(rules, "Three Afghan villagers were beaten and killed by Taliban fighters.")
    assert {e.cameo_root for e in events} == {"18", "19"}
    assert all(e.source and e.source.name == "Taliban" for e in events)


def test_specific_statement_stands_without_a_target(rules: Pipeline) -> None:
    event = one(code(rules, "The Egyptian government expressed concern about the fighting."), "01")
    assert event.cameo == "012" and event.confidence < 0.7 and event.plover is None
    assert code(rules, "The Egyptian government said little about the fighting.") == []


def test_lifting_a_measure_is_a_concession(rules: Pipeline) -> None:
    event = one(code(rules, "Turkey lifted its restrictions on Greek exports."), "08")
    assert event.source and event.source.country == "TUR"
    assert event.target and event.target.country == "GRC"


def test_two_classifier_heads_outvote_a_trigger() -> None:
    from eventwire.coding.classifier import Prediction
    from eventwire.coding.events.coder import groups_agree

    def prediction(plover: str, confidence: float, penta: int, penta_confidence: float
                   ) -> Prediction:
        return Prediction(plover, confidence, {plover: confidence}, penta, penta_confidence)

    # the rule read a statement (group 0); both heads read material conflict (group 4)
    assert groups_agree(prediction("ASSAULT", 0.6, 4, 0.95), 0, 4)
    assert not groups_agree(prediction("ASSAULT", 0.6, 4, 0.85), 0, 4)
    assert not groups_agree(prediction("ACCUSE", 0.6, 4, 0.9), 0, 3)
    assert not groups_agree(prediction("ASSAULT", 0.6, 4, 0.9), 4, 4)

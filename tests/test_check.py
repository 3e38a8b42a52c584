"""The behavioural check suite: its data files, its generator, its verdicts and its command.

The pass rates themselves are pinned by the evaluation gate (``test_eval_gate.py``);
here the instrument is tested: the same seed gives the same cases, each change
changes what it says and nothing else, and a verdict follows the definitions in
``eventwire/check.py`` on records written by hand.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.quality import check
from eventwire.quality.check import (
    DATA,
    TEMPLATE_SETS,
    Case,
    Expectation,
    Sentence,
    draw_filling,
    generate,
    judge,
    load_fillers,
    load_templates,
    render,
    sentence_verdict,
)


def event(plover: str, source: dict[str, Any] | None, target: dict[str, Any] | None,
          cameo: str = "190") -> dict[str, Any]:
    return {"plover": plover, "cameo": cameo, "source": source, "target": target}


def actor(text: str, country: str | None, agent: str | None = None) -> dict[str, Any]:
    return {"text": text, "country": country, "agent": agent}


def test_every_data_file_has_a_header_saying_where_its_facts_come_from() -> None:
    for path in sorted(DATA.glob("*.tsv")):
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith(f"# {path.name}:"), path.name
        assert any("Facts" in line or "Written by the project" in line for line in head), path.name


@pytest.mark.parametrize("name", sorted(TEMPLATE_SETS))
def test_template_sets_parse_and_cover_every_behaviour(name: str) -> None:
    templates = load_templates(name)
    assert len({t.id for t in templates}) == len(templates)
    behaviours = {t.behaviour for t in templates}
    assert behaviours == {"base", "invariance", "direction", "constructions", "no_event",
                          "boundaries"}
    for template in templates:
        for text in template.variants:
            letters = set(re.findall(r"\{([A-Z])", text))
            assert letters <= {"A", "B", "D", "N"}, (template.id, text)


def test_the_held_out_set_shares_no_sentence_with_the_development_set() -> None:
    dev = {v for t in load_templates("dev") for v in t.variants}
    heldout = {v for t in load_templates("heldout") for v in t.variants}
    assert not dev & heldout


def test_generation_is_deterministic_and_the_seed_matters() -> None:
    first = [[s.text for s in c.sentences] for c in generate("dev", seed=3, per_test=5)]
    again = [[s.text for s in c.sentences] for c in generate("dev", seed=3, per_test=5)]
    other = [[s.text for s in c.sentences] for c in generate("dev", seed=4, per_test=5)]
    assert first == again
    assert first != other


def test_every_behaviour_gets_cases_and_no_test_more_than_asked() -> None:
    cases = generate("heldout", per_test=7)
    seen: dict[tuple[str, str], int] = {}
    for case in cases:
        seen[(case.behaviour, case.test)] = seen.get((case.behaviour, case.test), 0) + 1
    assert {b for b, _ in seen} == set(check.BEHAVIOURS)
    assert max(seen.values()) <= 7
    assert ("direction", "swap") in seen and ("robustness", "typos") in seen


def test_rendering_fills_every_slot_and_capitalises() -> None:
    fillers = load_fillers()
    template = next(t for t in load_templates("dev") if t.id == "b04")
    filling = draw_filling(template, fillers, random.Random(1))
    text = render(template.variants[0], filling)
    assert "{" not in text and text[0].isupper()
    a, b = filling.countries["A"], filling.countries["B"]
    assert a.iso3 != b.iso3
    assert filling.persons["A"].family in text and a.adjective in text


def test_a_swap_exchanges_the_actors_and_keeps_the_rest() -> None:
    cases = [c for c in generate("dev", per_test=10) if c.test == "swap"]
    assert cases
    for case in cases:
        first, second = (s.filling for s in case.sentences)
        assert first.countries.get("A") == second.countries.get("B")
        assert first.date == second.date


def test_a_typo_changes_one_word_that_is_not_a_name() -> None:
    for case in (c for c in generate("dev", per_test=20) if c.test == "typos"):
        before, after = (s.text for s in case.sentences)
        changed = [w for w, v in zip(before.split(), after.split(), strict=False) if w != v]
        assert len(before.split()) == len(after.split())
        assert len(changed) == 1, (before, after)
        filling = case.sentences[0].filling
        names = {c.adjective for c in filling.countries.values()}
        assert changed[0].strip(".,") not in names


def test_whitespace_and_unicode_changes_keep_the_words() -> None:
    for case in generate("dev", per_test=20):
        if case.test not in ("whitespace", "unicode"):
            continue
        before, after = (s.text for s in case.sentences)
        assert before != after
        if case.test == "whitespace":
            assert after.split() == before.split()


def test_an_event_matches_by_country_agent_and_direction() -> None:
    filling = draw_filling(load_templates("dev")[0], load_fillers(), random.Random(2))
    a, b = filling.countries["A"].iso3, filling.countries["B"].iso3
    expect = Expectation.parse("ASSAULT A/MIL>B")
    right = event("ASSAULT", actor("troops", a, "MIL"), actor("positions", b))
    assert sentence_verdict(expect, [right], filling) == ""
    reversed_ = event("ASSAULT", actor("troops", b, "MIL"), actor("positions", a))
    assert sentence_verdict(expect, [reversed_], filling) != ""
    wrong_agent = event("ASSAULT", actor("police", a, "COP"), actor("positions", b))
    assert sentence_verdict(expect, [wrong_agent], filling) != ""
    wrong_type = event("THREATEN", actor("troops", a, "MIL"), actor("positions", b), "138")
    assert sentence_verdict(expect, [wrong_type], filling) != ""
    either = Expectation.parse("ASSAULT A<>B")
    assert sentence_verdict(either, [event("ASSAULT", actor("x", b), actor("y", a))], filling) == ""


def test_a_cameo_prefix_stands_for_a_type() -> None:
    filling = draw_filling(load_templates("dev")[0], load_fillers(), random.Random(2))
    a, b = filling.countries["A"].iso3, filling.countries["B"].iso3
    expect = Expectation.parse("SANCTION|163 A>B")
    coerce = event("COERCE", actor("x", a), actor("y", b), cameo="163")
    assert sentence_verdict(expect, [coerce], filling) == ""


def test_forbidden_types_and_no_event_at_all() -> None:
    filling = draw_filling(load_templates("dev")[0], load_fillers(), random.Random(2))
    threat = Expectation.parse("THREATEN A>B !ASSAULT")
    a, b = filling.countries["A"].iso3, filling.countries["B"].iso3
    said = event("THREATEN", actor("x", a), actor("y", b), "138")
    done = event("ASSAULT", actor("x", a), actor("y", b))
    assert sentence_verdict(threat, [said], filling) == ""
    assert "forbidden" in sentence_verdict(threat, [said, done], filling)
    nothing = Expectation.parse("none !*")
    assert sentence_verdict(nothing, [], filling) == ""
    assert sentence_verdict(nothing, [said], filling) != ""


def test_invariance_needs_the_same_types_and_counts_only_right_originals() -> None:
    filling = draw_filling(load_templates("dev")[0], load_fillers(), random.Random(2))
    a, b = filling.countries["A"].iso3, filling.countries["B"].iso3
    expect = Expectation.parse("ASSAULT A>B")
    right = event("ASSAULT", actor("x", a), actor("y", b))
    extra = event("ACCUSE", actor("x", a), actor("y", b), "112")

    def case() -> Case:
        return Case("invariance", "t", "x", [Sentence("one", expect, filling),
                                           Sentence("two", expect, filling)],
                    same_types=True, conditional=True)

    same, differ, wrong_first = case(), case(), case()
    judge(same, [[right], [right]])
    judge(differ, [[right], [right, extra]])
    judge(wrong_first, [[], [right]])
    assert same.passed and not differ.passed
    assert not wrong_first.passed and not wrong_first.counted


def test_check_command_prints_rates_and_failures() -> None:
    result = CliRunner().invoke(app, ["check", "--templates", "dev", "--cases", "2",
                                      "--failures", "--no-model"])
    assert result.exit_code == 0, result.output
    for behaviour in check.BEHAVIOURS:
        assert behaviour in result.output
    assert "dev pass" in result.output
    assert "sentence 1:" in result.output  # two cases per test: some fail with the rules alone
    bad = CliRunner().invoke(app, ["check", "--templates", "nope"])
    assert bad.exit_code != 0

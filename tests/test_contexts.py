"""PLOVER contexts of an event, read from its sentence and its sides, and POLECAT's column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from eventkit import actor, article, event

from eventwire.records.contexts import SEPARATOR, context_names, event_contexts
from eventwire.store.database import Store
from eventwire.store.export import export_events


@pytest.mark.parametrize(("sentence", "agents", "wanted"), [
    ("Gunmen detonated a car bomb outside the provincial council, claiming it for the "
     "Islamic State.", [], {"terrorism"}),
    ("Observers said turnout in the presidential runoff was low as polling stations closed.",
     [], {"election"}),
    ("Flooding after the cyclone cut off three villages in the delta.", [], {"enviro_disaster"}),
    ("Hundreds of families fled across the border into the refugee camp.", [], {"migration"}),
    ("The tribunal convicted two former governors of taking bribes.", [],
     {"legal", "corruption"}),
    ("Hackers crippled the ministry's payment servers with ransomware.", [], {"cyber"}),
    ("Inspectors found traces of sarin at the depot.", [], {"cbrn"}),
])
def test_the_sentence_names_its_contexts(sentence: str, agents: list[str],
                                         wanted: set[str]) -> None:
    assert wanted <= set(event_contexts(sentence, agents))


def test_a_side_decides_what_the_words_do_not() -> None:
    plain = "Forces opened fire on the convoy near the river."
    assert "military" not in event_contexts(plain, ["UAF"])
    assert event_contexts(plain, ["MIL", "UAF"]) == ["military"]
    assert "legal" in event_contexts("The bench threw out the appeal.", ["JUD", "OPP"])


def test_unrelated_words_give_no_context() -> None:
    assert event_contexts("The two leaders spoke by telephone on Tuesday.", ["GOV"]) == []
    # a cue is a whole word: "landmark" is no land, "dignitaries" no diplomat
    assert event_contexts("It was a landmark day for the dignitaries.", []) == []


def test_background_is_historical_and_every_name_is_plover_s() -> None:
    assert event_contexts("Soldiers took the town in 2016.", ["MIL"], "background") == [
        "military", "historical"]
    names = context_names()
    assert len(names) == len(set(names)) and "terrorism" in names and "political" not in names


def test_polecat_export_fills_contexts(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as store:
        store.add_article(article("a", "x"), [
            event("a", 0, source=actor("MLIMIL", "MLI", "MIL"),
                  sentence="Soldiers repelled a jihadist raid on the garrison near Kidal."),
            event("a", 1, cameo="040", place="Gao",
                  sentence="The two delegations met in Gao to discuss grazing rights."),
        ], [])
    out = tmp_path / "polecat.tsv"
    with Store(db, read_only=True) as store:
        export_events(store, "polecat", out)
    frame = pd.read_csv(out, sep="\t", keep_default_na=False)
    by_place = dict(zip(frame["Placename"], frame["Contexts"], strict=True))
    assert set(by_place["Kidal"].split(SEPARATOR)) == {"military", "terrorism"}
    assert by_place["Gao"] == ""

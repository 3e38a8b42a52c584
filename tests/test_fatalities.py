"""Fatalities read as ACLED reads reports: sentences written for these tests."""

from __future__ import annotations

import pytest

import eventwire
from eventwire.coding.fatalities import count_fatalities, fatalities_of


@pytest.mark.parametrize(("sentence", "count"), [
    ("Militants stormed the base, killing 59 soldiers.", 59),
    ("At least 12 soldiers were killed in the ambush near the border.", 12),
    ("The drone strike killed more than 100 fighters on Saturday.", 100),
    ("Gunmen killed five soldiers and three civilians on Monday.", 8),
    ("The blast killed at least 12 police officers and wounded 30 others.", 12),
    ("Five people were wounded and two killed.", 2),
    ("The bombing killed 12 people, including 5 children.", 12),
    ("The attack left between 10 and 15 people dead.", 10),
    ("The death toll from the raid rose to 30 on Tuesday.", 30),
    ("Twenty-one people died when the bomb exploded.", 21),
    ("A dozen villagers were executed by the militia.", 12),
    ("The attack claimed the lives of seven villagers.", 7),
    ("Two soldiers were killed and 14 wounded, while three civilians died.", 5),
])
def test_counts_the_dead(sentence: str, count: int) -> None:
    found = count_fatalities(sentence)
    assert found is not None and found.count == count, found


@pytest.mark.parametrize("sentence", [
    "Police fired tear gas, injuring 40 protesters.",
    "A 12-year-old boy was killed in 2019.",
    "Troops shelled the town in 2016.",
    "The 2,000 protesters marched for 3 hours in 40 cities.",
])
def test_no_count_where_none_died(sentence: str) -> None:
    found = count_fatalities(sentence)
    assert found is None or found.count in (None, 1), found


def test_vague_amount_keeps_its_words() -> None:
    found = count_fatalities("Dozens of people were killed in the raid.")
    assert found is not None and found.count is None and "Dozens" in found.text


def test_only_violent_types_and_the_next_sentence() -> None:
    assert fatalities_of("CONSULT", "Officials met; 12 people were killed earlier.") is None
    later = fatalities_of("ASSAULT", "Gunmen stormed the village on Monday.",
                          "Twelve people were killed, officials said.")
    assert later is not None and later.count == 12


def test_the_record_carries_the_count() -> None:
    events = eventwire.code("Islamist militants attacked an army base in northern Mali on "
                            "Monday, killing at least 14 soldiers.", date="2024-03-06")
    attacks = [e for e in events if e["plover"] == "ASSAULT"]
    assert attacks and attacks[0]["fatalities"] == 14
    assert "14" in attacks[0]["fatalities_text"]

"""The ACLED layout tells weapons, crowds and civilians apart, as ACLED's codebook does."""

from __future__ import annotations

from typing import Any

import pytest

from eventwire.store.acled import classify


def _row(cameo: str, source: str | None, target: str | None, sentence: str,
         trigger: str = "") -> dict[str, Any]:
    return {"cameo": cameo, "source_agent": source, "target_agent": target,
            "sentence": sentence, "trigger": trigger}


@pytest.mark.parametrize(("sentence", "trigger", "sub_type"), [
    ("Houthi forces fired a missile at the port.", "fired", "Shelling/artillery/missile attack"),
    ("A blast tore through an ammunition depot near the base.", "blast",
     "Remote explosive/landmine/IED"),
    ("Russian warplanes struck the town overnight.", "struck", "Air/drone strike"),
    ("A suicide bomber attacked the checkpoint.", "attacked", "Suicide bomb"),
])
def test_remote_violence_by_weapon(sentence: str, trigger: str, sub_type: str) -> None:
    acled = classify(_row("190", "MIL", "MIL", sentence, trigger))
    assert acled is not None
    assert (acled.event_type, acled.sub_event_type) == ("Explosions/Remote violence", sub_type)


def test_a_firefight_stays_a_battle() -> None:
    acled = classify(_row("190", "MIL", "REB", "Soldiers clashed with rebels near the river."))
    assert acled is not None and acled.event_type == "Battles"
    assert acled.interaction == 12


def test_rioters_and_protesters() -> None:
    riot = classify(_row("145", "CVL", "COP", "Rioters set fire to the police station."))
    march = classify(_row("141", "CVL", "GOV", "Thousands marched in the capital."))
    assert riot is not None and riot.inter1 == 5 and riot.event_type == "Riots"
    assert march is not None and march.inter1 == 6 and march.event_type == "Protests"


def test_a_politician_is_a_civilian() -> None:
    acled = classify(_row("180", "REB", "OPP", "Gunmen shot an opposition politician."))
    assert acled is not None and acled.inter2 == 7 and acled.civilian_targeting


def test_no_acled_event_for_statements() -> None:
    assert classify(_row("010", "GOV", "GOV", "The minister said the talks went well.")) is None

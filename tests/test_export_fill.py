"""Export columns filled as their formats define them (GDELT geography, POLECAT intensity)."""

from __future__ import annotations

from typing import Any

from eventwire.records.ontology import plover_intensity
from eventwire.store.formats import _actor_geo, _gdelt_geo


def _row(**values: Any) -> dict[str, Any]:
    row = {"lat": 16.27, "lon": -0.04, "place_country": "MLI", "place_precision": "country",
           "place_name": "Mali", "admin1": None, "geonameid": 2453866,
           "source_code": "MLIMIL", "source_country": "MLI", "target_code": "FRAMIL",
           "target_country": "FRA"}
    row.update(values)
    return row


def test_a_country_place_is_named_once() -> None:
    assert _gdelt_geo(_row())[1] == "Mali"
    assert _gdelt_geo(_row(place_name="Kidal", place_precision="city"))[1] == "Kidal, Mali"


def test_actor_geography_where_the_actor_belongs() -> None:
    assert _actor_geo(_row(), "source") == _gdelt_geo(_row())
    assert _actor_geo(_row(), "target")[0] == 0  # a French actor is not placed in Mali


def test_polecat_intensity_is_plover_not_goldstein() -> None:
    assault = plover_intensity("ASSAULT")
    assert assault is not None and assault < 0
    assert plover_intensity("CONSULT", "visit") != plover_intensity("CONSULT")


def test_known_groups_as_gdelt_splits_actor_codes() -> None:
    from eventwire.store.formats import known_group

    assert known_group("IGOUNOSEC") == ("UNO", "")
    assert known_group("IMGMUSISI") == ("ISI", "MUS")
    assert known_group("LBNUAFHEZ") == ("HEZ", "")
    assert known_group("KENCOP") == ("", "")
    assert known_group(None) == ("", "")

"""Watch zones: geometry, filters, alerts raised exactly once, signed webhooks sent for real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventkit import actor, article, event
from webhook_receiver import Receiver, allow_loopback

from eventwire.serving import zones
from eventwire.store.database import Store

KIDAL = (18.44, 1.41)
SQUARE_AROUND_KIDAL = {"type": "Polygon", "coordinates": [
    [[1.0, 18.0], [2.0, 18.0], [2.0, 19.0], [1.0, 19.0], [1.0, 18.0]]]}


def _store_article(store: Store, doc_id: str, place: str = "Kidal", cameo: str = "190") -> None:
    events = [event(doc_id, 0, cameo=cameo, place=place,
                    source=actor("MLIMIL", "MLI", "MIL"), target=actor("MLIREB", "MLI", "REB"))]
    text = f"Malian troops attacked rebels near {place} in {doc_id}."
    assert store.add_article(article(doc_id, text), events, [])


def test_circle_and_polygon_contain_what_they_should() -> None:
    circle = zones.validate_zone("kidal", *KIDAL, 20)
    assert circle.contains(18.5, 1.45) and not circle.contains(16.27, -0.04)
    square = zones.validate_zone("square", polygon=SQUARE_AROUND_KIDAL)
    assert square.contains(*KIDAL) and not square.contains(16.27, -0.04)
    holed = {"type": "Polygon", "coordinates": [
        SQUARE_AROUND_KIDAL["coordinates"][0],
        [[1.3, 18.3], [1.6, 18.3], [1.6, 18.6], [1.3, 18.6], [1.3, 18.3]]]}
    assert not zones.validate_zone("holed", polygon=holed).contains(*KIDAL)
    assert not circle.contains(None, None)


@pytest.mark.parametrize("bad", [
    {"type": "Point", "coordinates": [1, 2]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},  # not closed
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 91], [0, 0]]]},
    {"type": "Polygon", "coordinates": [[[i % 90, 0] for i in range(6000)] + [[0, 0]]]},
    "not geojson",
])
def test_bad_polygons_are_refused_with_a_reason(bad: Any) -> None:
    with pytest.raises(zones.ZoneError):
        zones.validate_zone("bad", polygon=bad)


def test_bad_circles_and_filters_are_refused() -> None:
    for args in ((91, 0, 10), (0, 0, 0), (0, 0, 10_000), ("x", 0, 1)):
        with pytest.raises(zones.ZoneError):
            zones.validate_zone("c", *args)
    with pytest.raises(zones.ZoneError):
        zones.validate_zone("c", 0, 0, 1, filters={"colour": ["red"]})
    with pytest.raises(zones.ZoneError):
        zones.validate_zone("c", 0, 0, 1, filters={"roots": ["14-25"]})
    assert zones.validate_zone("c", 0, 0, 1, filters={"roots": ["14-16"]}).filters == {
        "roots": ["14", "15", "16"]}


def test_alerts_are_raised_once_per_zone_and_event_also_on_rerun(tmp_path: Path) -> None:
    db = tmp_path / "z.duckdb"
    with Store(db) as store:
        _store_article(store, "before-zone")  # stored before any zone: never alerts
        circle, _ = zones.add_zone(store.con, zones.validate_zone("kidal", *KIDAL, 30))
        fights, _ = zones.add_zone(store.con, zones.validate_zone(
            "fights", polygon=SQUARE_AROUND_KIDAL, filters={"roots": ["18-20"]}))
        talks, _ = zones.add_zone(store.con, zones.validate_zone(
            "talks", *KIDAL, 30, filters={"roots": ["04"]}))
        raiser = zones.AlertRaiser(store.con)
        _store_article(store, "fight-kidal")
        _store_article(store, "fight-gao", place="Gao")
        assert raiser.article_stored("fight-gao") == 2  # circle and fights, not talks
        assert raiser.check() == 0
        assert zones.AlertRaiser(store.con).check() == 0  # a new run adds nothing
        alerts = zones.list_alerts(store.con)
    assert sorted(a["zone_id"] for a in alerts) == sorted([circle.zone_id, fights.zone_id])
    assert {a["event"]["place_name"] for a in alerts} == {"Kidal"}
    assert not [a for a in alerts if a["zone_id"] == talks.zone_id]


def test_a_run_killed_before_alerting_catches_up_on_the_next(tmp_path: Path) -> None:
    db = tmp_path / "z.duckdb"
    with Store(db) as store:
        zone, _ = zones.add_zone(store.con, zones.validate_zone("kidal", *KIDAL, 30))
        zones.AlertRaiser(store.con)
        _store_article(store, "stored-then-killed")  # no article_stored call: the kill
    with Store(db) as store:
        assert zones.AlertRaiser(store.con).check() == 1
        assert zones.AlertRaiser(store.con).check() == 0
        assert len(zones.list_alerts(store.con, zone.zone_id)) == 1


def test_remove_zone_takes_its_alerts(tmp_path: Path) -> None:
    with Store(tmp_path / "z.duckdb") as store:
        zone, _ = zones.add_zone(store.con, zones.validate_zone("kidal", *KIDAL, 30))
        raiser = zones.AlertRaiser(store.con)
        _store_article(store, "a")
        assert raiser.check() == 1
        assert zones.remove_zone(store.con, zone.zone_id)
        assert not zones.remove_zone(store.con, zone.zone_id)
        assert zones.list_alerts(store.con) == [] and zones.list_zones(store.con) == []


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    allow_loopback(monkeypatch)
    r = Receiver(fail=2)
    yield r
    r.close()


def test_webhooks_are_signed_retried_and_sent_once(tmp_path: Path, receiver: Receiver) -> None:
    with Store(tmp_path / "z.duckdb") as store:
        zone, secret = zones.add_zone(store.con, zones.validate_zone(
            "kidal", *KIDAL, 30, webhook_url=receiver.url))
        assert secret
        raiser = zones.AlertRaiser(store.con)
        _store_article(store, "a")
        raiser.check()
        sent = zones.deliver_pending(store.con, backoff=(0.05, 0.05, 0.05))
        assert sent == {"delivered": 1, "failed": 0, "retrying": 0}
        assert zones.deliver_pending(store.con, backoff=(0.05,))["delivered"] == 0
        record = zones.deliveries(store.con)[0]
    assert len(receiver.calls) == 3 and record["attempts"] == 3
    assert record["status"] == "delivered"
    headers, body = receiver.calls[-1]
    stamp = headers[zones.TIMESTAMP_HEADER]
    assert zones.verify(secret, body, headers[zones.SIGNATURE_HEADER], stamp)
    assert not zones.verify("another secret", body, headers[zones.SIGNATURE_HEADER], stamp)
    payload = json.loads(body)
    assert payload["zone_id"] == zone.zone_id and payload["event"]["place_name"] == "Kidal"


def test_a_webhook_that_never_answers_is_recorded_as_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allow_loopback(monkeypatch)
    dead = Receiver(fail=100)
    try:
        with Store(tmp_path / "z.duckdb") as store:
            zones.add_zone(store.con, zones.validate_zone("k", *KIDAL, 30, webhook_url=dead.url))
            raiser = zones.AlertRaiser(store.con)
            _store_article(store, "a")
            _store_article(store, "b", cameo="040")
            assert raiser.check() == 2
            sent = zones.deliver_pending(store.con, backoff=(0.01, 0.01))
            records = zones.deliveries(store.con)
    finally:
        dead.close()
    # the first alert is tried three times and recorded as failed; the second waits queued
    assert sent["failed"] == 1 and len(dead.calls) == 3
    failed = [r for r in records if r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["last_status"] == 500
    assert failed[0]["last_error"] == "HTTP 500" and failed[0]["attempts"] == 3
    assert [r["status"] for r in records if r not in failed] == ["pending"]

"""Webhooks reach public addresses only, show no credentials, cannot be replayed, hold no lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from eventkit import actor, article, event
from fastapi.testclient import TestClient
from webhook_receiver import Receiver, allow_loopback

from eventwire.serving import zones
from eventwire.serving.api import create_app
from eventwire.serving.webhook_guard import ALLOW_VARIABLE, WebhookRefused, check_url
from eventwire.store.database import Store

KIDAL = (18.44, 1.41)
# the probe's non-public targets: metadata, private ranges, loopback in its many spellings,
# internal names, credentials in the URL, and schemes that are not http(s)
NOT_PUBLIC = [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/hook", "http://10.255.1.1/",
    "http://192.168.1.10/hook", "http://172.16.5.4/hook", "http://[::1]/hook",
    "http://2130706433/hook", "http://127.1/hook", "http://0x7f.1/hook", "http://0177.0.0.1/",
    "http://0.0.0.0:8000/", "http://localhost:8000/hook", "http://metadata.google.internal/",
    "https://user:pass@hooks.example.org/x", "http://[fe80::1]/", "http://224.0.0.1/",
    "http://100.64.0.1/", "http://240.0.0.1/", "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/", "file:///etc/passwd", "gopher://hooks.example.org/",
    "http://printer/", "https://nas.local/hook",
]


def _store_article(store: Store, doc_id: str) -> None:
    events = [event(doc_id, 0, cameo="190", place="Kidal",
                    source=actor("MLIMIL", "MLI", "MIL"), target=actor("MLIREB", "MLI", "REB"))]
    assert store.add_article(article(doc_id, f"Troops attacked rebels near Kidal ({doc_id})."),
                             events, [])


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_every_non_public_webhook_target_is_refused(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_VARIABLE, raising=False)
    with pytest.raises(zones.ZoneError):
        zones.validate_zone("k", *KIDAL, 30, webhook_url=url)


def test_the_allow_list_admits_a_teams_own_receiver_and_nothing_else(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_VARIABLE, "10.1.2.0/24, 127.0.0.1/32")
    check_url("http://10.1.2.3:8080/hook")
    check_url("http://127.0.0.1:9/hook")
    check_url("http://localhost:9/hook")  # resolves into the allow-list
    for url in ("http://10.1.3.1/", "http://169.254.169.254/", "http://[::1]/"):
        with pytest.raises(WebhookRefused):
            check_url(url)
    check_url("https://93.184.215.14/hook")  # public addresses need no allowing
    monkeypatch.setenv(ALLOW_VARIABLE, "not-a-network")
    with pytest.raises(WebhookRefused):
        check_url("http://10.1.2.3/")


def test_the_address_is_checked_again_when_delivering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A target allowed when drawn but not any more (or re-pointed by DNS) is never connected to."""
    allow_loopback(monkeypatch)
    receiver = Receiver()
    try:
        with Store(tmp_path / "z.duckdb") as store:
            zones.add_zone(store.con, zones.validate_zone(
                "k", *KIDAL, 30, webhook_url=receiver.url.replace("127.0.0.1", "localhost")))
            raiser = zones.AlertRaiser(store.con)
            _store_article(store, "a")
            assert raiser.check() == 1
            monkeypatch.delenv(ALLOW_VARIABLE)
            sent = zones.deliver_pending(store.con, backoff=(0.01, 0.01))
            record = zones.deliveries(store.con)[0]
    finally:
        receiver.close()
    assert receiver.calls == [] and sent["failed"] == 1
    assert record["attempts"] == 1 and record["last_error"].startswith("refused: ")


def test_zones_never_show_webhook_credentials_or_paths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "z.duckdb"
    with Store(db) as store:
        zone, _ = zones.add_zone(store.con, zones.validate_zone(
            "k", *KIDAL, 30, webhook_url="https://93.184.215.14/services/T0/B0/key"))
        # a zone stored before URLs with credentials were refused
        store.con.execute("UPDATE zones SET webhook_url = ? WHERE zone_id = ?",
                          ["https://user:s3cret@93.184.215.14:8443/services/key", zone.zone_id])
    with TestClient(create_app(db)) as client:
        listed = client.get("/zones")
        one = client.get(f"/zones/{zone.zone_id}")
    assert listed.status_code == 200 and one.status_code == 200
    for text in (listed.text, one.text):
        assert "s3cret" not in text and "user" not in text and "key" not in text
    assert one.json()["webhook_url"] == "https://93.184.215.14:8443/…"


def test_deliveries_are_signed_over_a_timestamp_and_refused_when_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allow_loopback(monkeypatch)
    receiver = Receiver()
    try:
        with Store(tmp_path / "z.duckdb") as store:
            _, secret = zones.add_zone(store.con, zones.validate_zone(
                "k", *KIDAL, 30, webhook_url=receiver.url))
            raiser = zones.AlertRaiser(store.con)
            _store_article(store, "a")
            raiser.check()
            assert zones.deliver_pending(store.con)["delivered"] == 1
    finally:
        receiver.close()
    assert secret
    headers, body = receiver.calls[0]
    signature, stamp = headers[zones.SIGNATURE_HEADER], headers[zones.TIMESTAMP_HEADER]
    assert abs(int(stamp) - time.time()) < 60
    assert zones.verify(secret, body, signature, stamp)
    later = int(stamp) + zones.SIGNATURE_TOLERANCE + 1
    assert not zones.verify(secret, body, signature, stamp, at=later), "a replay is refused"
    assert not zones.verify(secret, body, signature, str(int(stamp) + 1)), "the time is signed"
    assert not zones.verify(secret, body + b" ", signature, stamp), "the body is signed"


def test_a_slow_webhook_never_holds_the_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allow_loopback(monkeypatch)
    slow = Receiver(delay=2.0)
    lock = threading.Lock()
    try:
        with Store(tmp_path / "z.duckdb") as store:
            zones.add_zone(store.con, zones.validate_zone("k", *KIDAL, 30, webhook_url=slow.url))
            raiser = zones.AlertRaiser(store.con)
            _store_article(store, "a")
            raiser.check()
            sent: dict[str, int] = {}
            worker = threading.Thread(target=lambda: sent.update(
                zones.deliver_pending(store.con.cursor(), lock=lock, wait=False)))
            worker.start()
            deadline = time.monotonic() + 5
            while not slow.calls and time.monotonic() < deadline:
                time.sleep(0.01)
            assert slow.calls, "the delivery started"
            started = time.monotonic()
            with lock:  # a zone write while the receiver is still answering
                waited = time.monotonic() - started
            worker.join(10)
    finally:
        slow.close()
    assert waited < 0.5 and sent["delivered"] == 1

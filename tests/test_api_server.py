"""End to end: real commands, a real server process, a real DuckDB file, a real webhook receiver.

A zone around At Tanf raises the seed article's events there once: on ingest,
not again on a rerun, not again after ``watch`` restarts; the server answers
for them over loopback; a bounded load test finds no error and no memory growth.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import SEED, need_shared
from webhook_receiver import Receiver, allow_loopback

from eventwire.quality.synthetic import make_database
from eventwire.serving import zones
from eventwire.store.database import Store

pytestmark = pytest.mark.slow
AT_TANF = ("--lat", "33.5", "--lon", "38.62", "--radius-km", "55")
SECRET = "a-webhook-secret-for-tests"


def eventwire(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True,
                            text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, db: Path, *extra: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db),
             "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("server did not start")

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    allow_loopback(monkeypatch)
    r = Receiver()
    yield r
    r.close()


def test_a_zone_around_at_tanf_alerts_once(tmp_path: Path, receiver: Receiver) -> None:
    need_shared()
    db = tmp_path / "news.duckdb"
    added = json.loads(eventwire("zones", "add", "--db", str(db), "--name", "At Tanf", *AT_TANF,
                                 "--webhook", receiver.url, "--webhook-secret", SECRET).stdout)
    zone_id = added["zone"]["zone_id"]
    eventwire("ingest", str(SEED), "--db", str(db))
    rerun = eventwire("ingest", str(SEED), "--db", str(db))
    assert "already there" in rerun.stderr

    lines = eventwire("alerts", "--db", str(db)).stdout.splitlines()
    alerts = [json.loads(line) for line in lines]
    assert len(alerts) >= 1 and len({a["event_id"] for a in alerts}) == len(alerts)
    for alert in alerts:
        assert zones.haversine_km(33.5, 38.62, alert["event"]["lat"], alert["event"]["lon"]) <= 55
    assert len(receiver.calls) == len(alerts)  # each alert posted once, the rerun sent nothing
    for headers, body in receiver.calls:
        assert zones.verify(SECRET, body, headers[zones.SIGNATURE_HEADER],
                            headers[zones.TIMESTAMP_HEADER])
    table = list(csv.DictReader(io.StringIO(eventwire("alerts", "--db", str(db), "--format",
                                                      "csv").stdout)))
    assert {r["event_id"] for r in table} == {a["event_id"] for a in alerts}
    listed = [json.loads(line) for line in eventwire("zones", "list", "--db", str(db)).stdout
              .splitlines()]
    assert [z["zone_id"] for z in listed] == [zone_id] and "webhook_secret" not in listed[0]

    server = Server(db)
    try:
        api = httpx.Client(base_url=server.base, timeout=10)
        got = api.get(f"/zones/{zone_id}/alerts").json()["alerts"]
        assert [a["event_id"] for a in got] == [a["event_id"] for a in alerts]
        later = api.get(f"/zones/{zone_id}/alerts", params={"since": got[-1]["raised_at"]})
        assert later.json()["alerts"] == []
        near = api.get("/events", params={"lat": 33.5, "lon": 38.62, "radius_km": 55}).json()
        news = {e["event_id"] for e in near["events"] if e["salience"] != "background"}
        assert news == {a["event_id"] for a in alerts}  # history near At Tanf raises no alert
        one = api.get(f"/events/{alerts[0]['event_id']}").json()
        assert one["mentions"][0]["doc_id"] == "at-tanf-leaflets-2017-06-02"
        assert api.get("/openapi.json").json()["info"]["title"] == "eventwire"
        assert api.get("/docs").status_code == 200
        refused = api.post("/zones", json={"name": "x", "lat": 1, "lon": 1, "radius_km": 1})
        assert refused.status_code == 403  # no token: read-only
    finally:
        err = server.stop()
    assert "read-only" in err and "warning" not in err  # loopback: nothing to warn about
    assert eventwire("zones", "rm", "--db", str(db), zone_id).returncode == 0
    assert eventwire("alerts", "--db", str(db)).stdout == ""


def test_watch_survives_a_restart_without_alerting_twice(tmp_path: Path,
                                                         receiver: Receiver) -> None:
    need_shared()
    from eventwire.serving.watch import Watcher

    inbox, db = tmp_path / "inbox", tmp_path / "watch.duckdb"
    inbox.mkdir()
    with Store(db) as store:
        zone, _ = zones.add_zone(store.con, zones.validate_zone(
            "At Tanf", 33.5, 38.62, 55, webhook_url=receiver.url), SECRET)
    assert Watcher([str(inbox)], db, report=lambda _: None).cycle()["stored"] == 0
    shutil.copy(SEED, inbox / SEED.name)  # a new file arrives
    first = Watcher([str(inbox)], db, report=lambda _: None).cycle()
    assert first["stored"] == 1 and first["alerts"] >= 1
    assert first["delivered"] == first["alerts"] == len(receiver.calls)
    again = Watcher([str(inbox)], db, report=lambda _: None)  # as after a restart
    second = again.cycle()
    assert second["stored"] == 0 and second["alerts"] == 0 and second["delivered"] == 0
    with Store(db, read_only=True) as store:
        assert len(zones.list_alerts(store.con, zone.zone_id)) == first["alerts"]
    assert len(receiver.calls) == first["alerts"]


def test_watch_command_runs_cycles_and_stops(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    result = eventwire("watch", str(inbox), "--db", str(db), "--every", "1s", "--cycles", "2")
    assert result.stderr.count("0 stored") == 2
    assert eventwire("watch", str(inbox), "--every", "soon", check=False).returncode == 2


def test_serve_warns_when_not_on_loopback_and_refuses_a_missing_db(tmp_path: Path) -> None:
    missing = eventwire("serve", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert missing.returncode != 0 and "no database" in missing.stderr
    db = tmp_path / "s.duckdb"
    make_database(db, 100)
    server = Server(db, "--host", "0.0.0.0", "--token", "t" * 20)
    try:
        health = httpx.get(server.base + "/health").json()
        assert health["read_only"] is False
    finally:
        err = server.stop()
    assert "warning: listening on 0.0.0.0" in err


def test_bounded_load_on_loopback_has_no_errors_and_no_memory_growth(tmp_path: Path) -> None:
    db = tmp_path / "load.duckdb"
    make_database(db, 20_000)
    server = Server(db)
    urls = ["/events?country=SYR&root=18-20&_size=50", "/events?lat=33.5&lon=36.3&radius_km=60",
            "/stats?by=day&country=UKR", "/events?q=%27%3B+DROP+TABLE+events%3B--",
            "/events?_size=99999", "/events/" + "x" * 300, "/health", "/places?_size=20"]
    statuses: list[int] = []
    limit_s, limit_n = float(os.environ.get("EVENTWIRE_LOAD_SECONDS", "15")), 3000

    def worker(offset: int) -> list[int]:
        seen: list[int] = []
        with httpx.Client(base_url=server.base, timeout=10) as client:
            started = time.monotonic()
            n = offset
            while time.monotonic() - started < limit_s and len(seen) < limit_n // 4:
                seen.append(client.get(urls[n % len(urls)]).status_code)
                n += 1
        return seen

    try:
        worker(0)  # warm up before the first memory reading
        before = server.rss_kb()
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            for part in pool.map(worker, range(4)):
                statuses += part
        elapsed = time.monotonic() - started
        after = server.rss_kb()
    finally:
        server.stop()
    assert statuses and all(s < 500 for s in statuses)
    assert set(statuses) <= {200, 400}
    print(f"{len(statuses)} requests in {elapsed:.1f} s ({len(statuses) / elapsed:.0f}/s), "
          f"server RSS {before // 1024} -> {after // 1024} MB")
    assert after - before < 100_000  # kB: steady state, no growth with requests


def test_ingest_over_http_needs_the_token_and_alerts_once(tmp_path: Path,
                                                          receiver: Receiver) -> None:
    need_shared()
    from fastapi.testclient import TestClient

    from eventwire.serving.api import create_app

    db = tmp_path / "http.duckdb"
    token = "an-ingest-token-for-tests"
    with Store(db) as store:
        zones.add_zone(store.con, zones.validate_zone(
            "At Tanf", 33.5, 38.62, 55, webhook_url=receiver.url), SECRET)
    record = {"id": "seed", "text": SEED.read_text(encoding="utf-8"), "date": "2017-06-02"}
    with TestClient(create_app(db, token=token)) as client:
        assert client.post("/articles", json={"records": [record]}).status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        first = client.post("/articles", json={"records": [record, {"id": "e", "text": " "}]},
                            headers=auth).json()
        assert first["stored"] == 1 and first["alerts"] >= 1
        assert [e["code"] for e in first["errors"]] == ["E002"]
        again = client.post("/articles", json={"records": [record]}, headers=auth).json()
        assert again == {"stored": 0, "skipped": 1, "alerts": 0, "errors": []}
        zone_id = client.get("/zones").json()["zones"][0]["zone_id"]
        assert len(client.get(f"/zones/{zone_id}/alerts").json()["alerts"]) == first["alerts"]
        too_many = client.post("/articles", json={"records": [record] * 101}, headers=auth)
        assert too_many.status_code == 400
    assert len(receiver.calls) == first["alerts"]

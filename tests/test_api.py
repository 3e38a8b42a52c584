"""The HTTP API in-process: filters, sorting, pages, formats, errors, tokens and zones."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from eventkit import actor, article, event
from fastapi.testclient import TestClient

from eventwire.quality.synthetic import make_database
from eventwire.serving.api import ApiError, Database, create_app
from eventwire.store.database import SCHEMA_VERSION, Store

TOKEN = "a-test-token-of-some-length"


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "synthetic.duckdb"
    make_database(path, 3000)
    return path


@pytest.fixture(scope="module")
def client(synthetic_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(synthetic_db)) as test_client:
        yield test_client


@pytest.fixture
def coded_db(tmp_path: Path) -> Path:
    path = tmp_path / "coded.duckdb"
    with Store(path) as store:
        events = [
            event("kidal-report", 0, source=actor("MLIMIL", "MLI", "MIL", "Mali military"),
                  target=actor("MLIREB", "MLI", "REB")),
            event("kidal-report", 1, cameo="040", place="Gao",
                  sentence="Officials met <script>alert(1)</script> in Gao."),
        ]
        store.add_article(article("kidal-report", "Troops attacked rebels near Kidal."), events, [])
    return path


def test_filters_narrow_and_every_row_matches(client: TestClient) -> None:
    everything = client.get("/events", params={"_size": 1000}).json()["events"]
    assert len(everything) == 1000
    rows = client.get("/events", params={
        "date_from": "2016-01-01", "date_to": "2019-12-31", "country": "SYR|IRQ",
        "root": "18-20", "_size": 1000}).json()["events"]
    assert rows and len(rows) < 1000
    for row in rows:
        assert "2016-01-01" <= row["date"] <= "2019-12-31"
        assert row["place_country"] in ("SYR", "IRQ") and row["cameo_root"] in ("18", "19", "20")
    gold = client.get("/events", params={"goldstein_min": -5, "goldstein_max": 1, "plover": "agree",
                                         "quad_class": "1"}).json()["events"]
    assert gold and all(-5 <= r["goldstein"] <= 1 and r["plover"] == "AGREE" for r in gold)


def test_radius_bbox_and_text_queries(client: TestClient) -> None:
    near = client.get("/events", params={"lat": 33.51, "lon": 36.29, "radius_km": 40,
                                         "_size": 1000}).json()["events"]
    assert near and len(near) < 1000
    from eventwire.serving.zones import haversine_km

    assert all(haversine_km(33.51, 36.29, r["lat"], r["lon"]) <= 40 for r in near)
    boxed = client.get("/events", params={"bbox": "30,45,40,55"}).json()["events"]
    assert boxed and all(30 <= r["lon"] <= 40 and 45 <= r["lat"] <= 55 for r in boxed)
    text = client.get("/events", params={"q": "about ASSAULT"}).json()["events"]
    assert text and all("ASSAULT" in r["sentence"] for r in text)
    assert client.get("/events", params={"q": "100%_"}).json()["events"] == []


def test_pages_follow_next_and_link_without_overlap(client: TestClient) -> None:
    seen: list[str] = []
    params: dict[str, str | int] = {"_size": 400, "_sort": "-goldstein", "country": "UKR"}
    response = client.get("/events", params=params)
    while True:
        body = response.json()
        seen += [e["event_id"] for e in body["events"]]
        if not body["next"]:
            break
        assert response.headers["link"] == f'<{body["next_url"]}>; rel="next"'
        response = client.get(body["next_url"])
    everything = client.get("/events", params={"country": "UKR", "_size": 1000}).json()["events"]
    assert len(seen) == len(set(seen)) == len(everything)
    goldstein = client.get("/events", params={**params, "_size": 1000}).json()["events"]
    values = [e["goldstein"] for e in goldstein]
    assert values == sorted(values, reverse=True)


def test_pages_sorted_by_date_walk_through_every_event(client: TestClient) -> None:
    seen: list[tuple[str, str]] = []
    response = client.get("/events", params={"_size": 300, "_sort": "-date", "country": "UKR"})
    while True:
        body = response.json()
        seen += [(e["date"], e["event_id"]) for e in body["events"]]
        if not body["next"]:
            break
        response = client.get(body["next_url"])
    everything = client.get("/events", params={"country": "UKR", "_size": 1000}).json()["events"]
    assert len(seen) == len({s[1] for s in seen}) == len(everything)
    dates = [d for d, _ in seen]
    assert dates == sorted(dates, reverse=True) and all(len(d) == 10 for d in dates)


def test_formats(client: TestClient, tmp_path: Path) -> None:
    params: dict[str, str | int] = {"country": "YEM", "_size": 20}
    rows = list(csv.DictReader(io.StringIO(client.get("/events", params={
        **params, "_format": "csv"}).text)))
    assert len(rows) == 20 and rows[0]["place_country"] == "YEM"
    geo = client.get("/events", params={**params, "_format": "geojson"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    feature = geo.json()["features"][0]
    assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2
    parquet = client.get("/events", params={**params, "_format": "parquet"})
    target = tmp_path / "page.parquet"
    target.write_bytes(parquet.content)
    count = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(target)])
    assert count.fetchone() == (20,)


def test_stats_by_day_root_country_and_dyad(client: TestClient) -> None:
    total = client.get("/stats", params={"by": "country"}).json()
    assert total["total"] == 3000 and sum(c["events"] for c in total["counts"]) == 3000
    assert total["counts"][0]["key"] == "SYR"  # the heaviest weight
    days = client.get("/stats", params={"by": "day", "country": "SYR"}).json()
    keys = [c["key"] for c in days["counts"]]
    assert keys == sorted(keys) and days["total"] < 3000
    months = client.get("/stats", params={"by": "month", "root": "19"}).json()
    assert all(len(c["key"]) == 7 for c in months["counts"])
    dyads = client.get("/stats", params={"by": "dyad", "_size": 5}).json()["counts"]
    assert len(dyads) == 5 and all("|" in d["key"] for d in dyads)


@pytest.mark.parametrize("params", [
    {"event_date": "2017-13-01"}, {"event_date": "yesterday"}, {"country": "SYRIA"},
    {"country": "SYR'; DROP TABLE events; --"}, {"root": "25"}, {"lat": 33},
    {"radius_km": 10, "lat": 1, "lon": 1000}, {"bbox": "1,2,3"}, {"bbox": "10,0,0,10"},
    {"_size": 100_000}, {"_size": 0}, {"_next": "not-a-token"}, {"_next": "eyJzIjoxfQ"},
    {"_sort": "sentence; DROP"}, {"_format": "xml"}, {"q": "x" * 5000},
    {"since": "not a time"}, {"goldstein_min": 3, "goldstein_max": -3},
    {"date_from": "2020-01-02", "date_to": "2020-01-01"}, {"quad_class": "7"},
])
def test_bad_parameters_get_a_json_4xx(client: TestClient,
                                       params: dict[str, str | int | float]) -> None:
    response = client.get("/events", params=params)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"] and response.json()["error"]["message"]
    assert client.get("/stats", params={"by": "colour"}).status_code == 400


def test_event_article_places_and_health(coded_db: Path) -> None:
    with TestClient(create_app(coded_db)) as c:
        listed = c.get("/events").json()["events"]
        assert len(listed) == 2
        detail = c.get(f"/events/{listed[0]['event_id']}").json()
        assert detail["mentions"] and detail["mentions"][0]["doc_id"] == "kidal-report"
        assert detail["mentions"][0]["sentence"]
        assert c.get("/events/no-such-event").status_code == 404
        assert c.get("/events/bad%20id%20'").status_code == 400
        got = c.get("/articles/kidal-report").json()
        assert got["article"]["doc_id"] == "kidal-report" and len(got["mentions"]) == 2
        # stored as DATE, answered as the record's ISO strings
        assert got["article"]["published"] == "2020-03-02"
        assert {e["date"] for e in listed} == {"2020-03-02"}
        assert (detail["event"]["first_reported"], detail["event"]["last_reported"]) == (
            "2020-03-02", "2020-03-02")
        assert detail["mentions"][0]["date"] == "2020-03-02"
        assert c.get("/events", params={"date_from": "2020-03-03"}).json()["events"] == []
        assert c.get("/articles/nope").json()["error"]["code"] == "not_found"
        health = c.get("/health").json()
        assert health == {"status": "ok", "version": health["version"],
                          "schema_version": SCHEMA_VERSION, "read_only": True, "events": 2}
        # article text goes out as JSON data, never as markup
        sentence = [e["sentence"] for e in listed if "script" in (e["sentence"] or "")][0]
        assert sentence == "Officials met <script>alert(1)</script> in Gao."
        assert c.get("/events").headers["content-type"] == "application/json"
        assert c.get("/no-such-route").json()["error"]["code"] == "not_found"


def test_writes_need_the_token(coded_db: Path) -> None:
    zone = {"name": "kidal", "lat": 18.44, "lon": 1.41, "radius_km": 30}
    with TestClient(create_app(coded_db)) as read_only:
        assert read_only.post("/zones", json=zone).json()["error"]["code"] == "read_only"
    with TestClient(create_app(coded_db, token=TOKEN)) as c:
        assert c.post("/zones", json=zone).status_code == 401
        wrong = {"Authorization": "Bearer " + TOKEN[:-1] + "x"}
        assert c.post("/zones", json=zone, headers=wrong).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        created = c.post("/zones", json={**zone, "webhook_url": "https://93.184.215.14/x"},
                         headers=auth)
        assert created.status_code == 201 and created.json()["webhook_secret"]
        zone_id = created.json()["zone"]["zone_id"]
        listed = c.get("/zones").json()["zones"]
        assert [z["zone_id"] for z in listed] == [zone_id]
        assert "webhook_secret" not in listed[0]
        assert listed[0]["webhook_url"] == "https://93.184.215.14/…"  # the path may hold a key
        changed = c.patch(f"/zones/{zone_id}", json={"name": "renamed", "radius_km": 5,
                                                     "lat": 18.4, "lon": 1.4}, headers=auth)
        assert changed.json()["name"] == "renamed" and changed.json()["radius_km"] == 5
        assert c.get(f"/zones/{zone_id}/alerts").json() == {"alerts": []}
        assert c.get(f"/zones/{zone_id}/alerts", params={"since": "soon"}).status_code == 400
        assert c.delete(f"/zones/{zone_id}").status_code == 401
        assert c.delete(f"/zones/{zone_id}", headers=auth).json() == {"deleted": zone_id}
        assert c.get(f"/zones/{zone_id}").status_code == 404


@pytest.mark.parametrize("body", [
    {"name": "x"}, {"name": "", "lat": 1, "lon": 1, "radius_km": 1},
    {"name": "x", "lat": 1, "lon": 1, "radius_km": 1e9},
    {"name": "x", "polygon": {"type": "Polygon", "coordinates": [[[0, 0]] * 6001]}},
    {"name": "x", "lat": 1, "lon": 1, "radius_km": 1, "webhook_url": "file:///etc/passwd"},
    {"name": "x", "lat": 1, "lon": 1, "radius_km": 1, "filters": {"roots": ["99"]}},
    {"name": "x", "lat": 1, "lon": 1, "radius_km": 1, "surprise": True},
])
def test_bad_zones_get_a_json_400(coded_db: Path, body: dict[str, object]) -> None:
    with TestClient(create_app(coded_db, token=TOKEN)) as c:
        response = c.post("/zones", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 400, response.text
        assert response.json()["error"]["message"]


def test_oversized_bodies_are_refused(coded_db: Path) -> None:
    with TestClient(create_app(coded_db, token=TOKEN)) as c:
        huge = b'{"name": "' + b"x" * 2_000_000 + b'"}'
        response = c.post("/zones", content=huge, headers={
            "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert response.status_code == 413 and response.json()["error"]["code"]


def test_slow_queries_are_stopped_with_a_503(synthetic_db: Path) -> None:
    database = Database(synthetic_db, read_only=True, query_timeout=0.2)
    try:
        with pytest.raises(ApiError) as caught:
            database.query("SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3")
        assert caught.value.status == 503 and caught.value.code == "query_timeout"
        assert database.query("SELECT 1")[1] == [(1,)]  # the connection still serves
    finally:
        database.close()


def test_pages_walk_through_null_sort_values(tmp_path: Path) -> None:
    path = tmp_path / "nulls.duckdb"
    with Store(path) as store:
        days = ["2020-01-02", None, "2020-01-01", None, "2020-01-02"]
        cameos = ["010", "040", "130", "190", "111"]
        places = ["Kidal", "Gao", "Kirkuk", "Aleppo", "Springfield"]
        for n, (day, cameo, place) in enumerate(zip(days, cameos, places, strict=True)):
            doc = f"doc-{n}"
            store.add_article(article(doc, f"Report {n} from {place}."),
                              [event(doc, 0, date=day, cameo=cameo, place=place,
                                     source=actor(f"SRC{n}", "MLI", "MIL"))], [])
    with TestClient(create_app(path)) as c:
        for sort in ("date", "-date"):
            seen, url = [], f"/events?_size=1&_sort={sort}"
            while url:
                body = c.get(url).json()
                seen += [(e["date"], e["event_id"]) for e in body["events"]]
                url = body["next_url"]
            assert len(seen) == len({i for _, i in seen}) == 5
            dated = [d for d, _ in seen if d is not None]
            assert dated == sorted(dated, reverse=sort.startswith("-"))
            assert [d for d, _ in seen][-2:] == [None, None]  # NULLs last either way


def test_since_returns_changes_and_deletions(tmp_path: Path) -> None:
    path = tmp_path / "since.duckdb"
    with Store(path) as store:
        store.add_article(article("a", "Troops attacked rebels near Kidal."),
                          [event("a", 0, source=actor("MLIMIL", "MLI", "MIL"))], [])
        store.add_article(article("b", "Officials met in Gao."),
                          [event("b", 0, cameo="040", place="Gao",
                                 source=actor("MLIGOV", "MLI", "GOV"))], [])
    with TestClient(create_app(path)) as c:
        everything = c.get("/events").json()["events"]
        assert len(everything) == 2
        mark = max(e["updated_at"] for e in everything)
        assert c.get("/events", params={"since": mark}).json()["events"] == []
    with Store(path) as store:  # a re-ingest finds no event in the changed text of "a"
        store.add_article(article("a", "Troops rested near Kidal."), [], [])
    with TestClient(create_app(path)) as c:
        live = c.get("/events").json()["events"]
        assert [e["place_name"] for e in live] == ["Gao"]
        changed = c.get("/events", params={"since": mark}).json()["events"]
        assert len(changed) == 1 and changed[0]["deleted_at"] is not None
        assert changed[0]["place_name"] == "Kidal"

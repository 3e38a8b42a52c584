"""The API's answers: no 500 from a request's values, nosniff everywhere, no Host in links,
docs that work offline, Bearer tokens only, and CSV cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from eventkit import actor, article, event
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwire.cli.main import app as cli
from eventwire.serving import zones
from eventwire.serving.api import create_app
from eventwire.store.database import Store

TOKEN = "a-test-token-of-some-length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FORMULA = "=HYPERLINK(\"http://evil.example/\",\"click\") said troops near Kidal."


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "api.duckdb"
    with Store(path) as store:
        events = [event("doc", n, cameo=c, sentence=s) for n, (c, s) in enumerate([
            ("190", FORMULA), ("040", "+cmd|' /C calc'!A0 in Gao."), ("043", "@SUM(1+1) met."),
            ("051", "Malian troops praised rebels near Kidal.")])]
        for e in events:
            e.source = actor("MLIMIL", "MLI", "MIL", "-Mali military")
        store.add_article(article("doc", "Troops attacked rebels near Kidal."), events, [])
        zones.add_zone(store.con, zones.validate_zone("kidal", 18.44, 1.41, 30))
    return path


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                   "9999-12-31T23:59:59.999999-00:01"])
def test_times_past_the_calendar_are_a_400(db: Path, since: str) -> None:
    with TestClient(create_app(db)) as client:
        zone_id = client.get("/zones").json()["zones"][0]["zone_id"]
        for path in ("/events", "/stats", f"/zones/{zone_id}/alerts"):
            answer = client.get(path, params={"since": since})
            assert answer.status_code == 400, (path, answer.text)
            assert answer.json()["error"]["code"] == "bad_time"
    result = CliRunner().invoke(cli, ["alerts", "--db", str(db), "--since", since])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _token(payload: object) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("payload", [
    {"s": "-goldstein", "k": 1e400, "id": "x"}, {"s": "-goldstein", "k": 10 ** 40, "id": "x"},
    {"s": "-updated_at", "k": "9999-12-31T23:59:59-14:00", "id": "x"},
    {"s": "-updated_at", "k": "0001-01-01T00:00:00+14:00", "id": "x"},
])
def test_page_tokens_out_of_range_are_a_400(db: Path, payload: dict[str, object]) -> None:
    with TestClient(create_app(db)) as client:
        params = {"_sort": str(payload["s"]), "_next": _token(payload)}
        answer = client.get("/events", params=params)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_next"


def test_a_zone_with_nan_is_refused_and_a_stored_one_breaks_nothing(db: Path) -> None:
    ring = [[1.0, 18.0, float("nan")], [2.0, 18.0], [2.0, 19.0], [1.0, 19.0], [1.0, 18.0, 0]]
    body = json.dumps({"name": "nan", "polygon": {"type": "Polygon", "coordinates": [ring]}})
    assert "NaN" in body
    with TestClient(create_app(db, token=TOKEN)) as client:
        answer = client.post("/zones", content=body,
                             headers={**AUTH, "Content-Type": "application/json"})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_zone"
    con = duckdb.connect(str(db))  # as stored by an older eventwire
    con.execute("UPDATE zones SET polygon = ?, lat = 'NaN'::DOUBLE",
                ['{"type": "Polygon", "coordinates": [[[1, 18, NaN], [2, 18], [2, 19], [1, 18]]]}'])
    con.close()
    with TestClient(create_app(db)) as client:
        listed = client.get("/zones")
        assert listed.status_code == 200 and listed.json()["zones"][0]["name"] == "kidal"
        zone_id = listed.json()["zones"][0]["zone_id"]
        assert client.get(f"/zones/{zone_id}").status_code == 200


def test_every_answer_says_nosniff(db: Path) -> None:
    with TestClient(create_app(db, token=TOKEN)) as client:
        answers = [
            client.get("/events"), client.get("/events", params={"_format": "csv"}),
            client.get("/events", params={"_size": 0}), client.get("/events/nope"),
            client.get("/no/such/route"), client.delete("/health"), client.get("/health"),
            client.get("/openapi.json"), client.get("/docs"), client.get("/"),
            client.get("/static/missing.js"), client.post("/zones", json={}),
            client.post("/zones", json={}, headers=AUTH),
            client.post("/zones", content=b"x" * 2_000_000, headers=AUTH),
            client.get("/stats"), client.get("/places"), client.get("/zones"),
        ]
    statuses = {a.status_code for a in answers}
    assert {200, 400, 401, 404, 405, 413} <= statuses
    assert [a.status_code for a in answers if a.headers.get("x-content-type-options")
            != "nosniff"] == []


def test_next_links_never_carry_the_host_header(db: Path) -> None:
    evil = {"Host": "evil.example"}
    with TestClient(create_app(db)) as client:
        page = client.get("/events", params={"_size": 1}, headers=evil)
        link = page.headers["link"]
        assert "evil" not in link and "evil" not in page.text
        assert link.startswith("</events?") and page.json()["next_url"].startswith("/events?")
        assert client.get(page.json()["next_url"]).status_code == 200
    with TestClient(create_app(db, base_url="https://events.example.org/")) as client:
        page = client.get("/events", params={"_size": 1}, headers=evil)
        assert page.headers["link"].startswith("<https://events.example.org/events?")


def test_docs_are_served_offline_under_a_policy(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        docs = client.get("/docs")
        assert docs.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source
        policy = docs.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert client.get("/openapi.json").json()["info"]["title"] == "eventwire"
        assert client.get("/redoc").status_code == 404  # it would load from a CDN


def test_a_token_without_bearer_is_refused(db: Path) -> None:
    zone = {"name": "gao", "lat": 16.27, "lon": -0.04, "radius_km": 20}
    with TestClient(create_app(db, token=TOKEN)) as client:
        for value in (TOKEN, f"Basic {TOKEN}", f"Token {TOKEN}", "Bearer", f"{TOKEN} Bearer"):
            answer = client.post("/zones", json=zone, headers={"Authorization": value})
            assert answer.status_code == 401, value
        assert client.post("/zones", json=zone, headers=AUTH).status_code == 201
        assert client.post("/zones", json=zone, headers={
            "Authorization": f"bearer {TOKEN}"}).status_code == 201  # the scheme has no case


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [c for row in rows for c in row if c[:1] in ("=", "+", "-", "@")
            and not re.fullmatch(r"-?\d+(\.\d+)?", c)]


def test_csv_cells_never_start_a_formula(db: Path, tmp_path: Path) -> None:
    with TestClient(create_app(db)) as client:
        text = client.get("/events", params={"_format": "csv"}).text
    api_rows = list(csv.reader(io.StringIO(text)))
    assert _formula_cells(api_rows) == []
    assert any(c == "'" + FORMULA for row in api_rows for c in row), "the text is kept, quoted"
    out = tmp_path / "events.csv"
    runner = CliRunner()
    for table in ("events", "mentions"):
        result = runner.invoke(cli, ["export", "--db", str(db), "--format", "csv", "--table",
                                     table, "--out", str(out)])
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(out.open(encoding="utf-8")))
        assert len(rows) > 1 and _formula_cells(rows) == [], table
    for fmt in ("acled", "gdelt", "polecat"):
        result = runner.invoke(cli, ["export", "--db", str(db), "--format", fmt, "--out",
                                     str(out)])
        if result.exit_code == 0:
            delimiter = "," if fmt == "acled" else "\t"
            rows = list(csv.reader(out.open(encoding="utf-8"), delimiter=delimiter))
            assert _formula_cells(rows) == [], fmt

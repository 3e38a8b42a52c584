"""Concurrent readers: a real server answers many clients at once exactly as it answers them
one at a time (each request reads through a cursor of its own)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from test_api_server import Server

from eventwire.quality.synthetic import COUNTRIES, make_database


def _urls() -> list[str]:
    rng = random.Random(11)
    urls = []
    for n in range(48):
        country, _, places = rng.choice(COUNTRIES)
        lat, lon = rng.choice(places)
        urls += [
            f"/events?country={country}&date_from=2016-01-01&date_to=2019-12-31&_size=50",
            f"/events?lat={lat}&lon={lon}&radius_km=80&_size=20&_sort=-goldstein",
            f"/stats?by={rng.choice(['day', 'month', 'root', 'dyad'])}&country={country}",
            f"/events?root=14-20&_size=30&_sort={rng.choice(['date', '-confidence'])}"
            f"&actor_country={country}",
        ][n % 4:n % 4 + 1]
    urls += ["/health", "/places?_size=20", "/events?_size=1000&_format=csv"]
    return urls


@pytest.mark.slow
def test_eight_clients_get_the_answers_one_client_gets(tmp_path: Path) -> None:
    db = tmp_path / "events.duckdb"
    make_database(db, 30_000)
    server = Server(db)
    try:
        urls = _urls()
        with httpx.Client(base_url=server.base, timeout=60) as client:
            alone = {url: client.get(url) for url in urls}
        assert all(r.status_code == 200 for r in alone.values())
        assert sum(len(r.json().get("events", [])) for u, r in alone.items()
                   if u.startswith("/events") and "csv" not in u) > 500

        def fetch(url: str) -> tuple[str, int, bytes]:
            with httpx.Client(base_url=server.base, timeout=60) as client:
                response = client.get(url)
                return url, response.status_code, response.content

        crowd = urls * 3
        random.Random(2).shuffle(crowd)
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(fetch, crowd))
    finally:
        server.stop()
    for url, status, body in together:
        assert status == 200, url
        assert body == alone[url].content, f"{url} answered differently under load"

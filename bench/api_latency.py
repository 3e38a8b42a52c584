"""Latency of the HTTP API on a large database, from a load client in its own process.

Starts ``eventwire serve`` on a free loopback port, sends a bounded number of
requests of each kind (one at a time, so the figures are latencies, not
throughput), and prints p50/p95/max in milliseconds as JSON.

    .venv/bin/python bench/make_events_db.py /tmp/eventwire-1m.duckdb
    .venv/bin/python bench/api_latency.py /tmp/eventwire-1m.duckdb --requests 200
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from eventwire.quality.synthetic import COUNTRIES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def queries(kind: str, rng: random.Random) -> str:
    country, _, places = rng.choice(COUNTRIES)
    if kind == "filtered":
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3400))
        end = start + timedelta(days=rng.choice((30, 90, 365)))
        root = rng.choice(("14", "18|19|20", "01-05", "13-20"))
        return f"/events?date_from={start}&date_to={end}&country={country}&root={root}&_size=100"
    if kind == "radius":
        lat, lon = rng.choice(places)
        return f"/events?lat={lat}&lon={lon}&radius_km={rng.choice((25, 55, 100))}&_size=100"
    if kind == "stats_day":
        return f"/stats?by=day&country={country}"
    if kind == "stats_day_all":
        return "/stats?by=day&_size=10000"
    raise ValueError(kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--requests", type=int, default=200, help="per kind of query")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per kind")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "eventwire.cli", "serve", "--db", str(args.db), "--port", str(port)],
        stderr=subprocess.DEVNULL)
    report: dict[str, dict[str, float]] = {}
    try:
        wait_ready(base)
        rng = random.Random(7)
        with httpx.Client(base_url=base, timeout=30) as client:
            for kind in ("filtered", "radius", "stats_day", "stats_day_all"):
                for _ in range(5):  # warm the caches as a running server would be
                    client.get(queries(kind, rng))
                times, errors, started = [], 0, time.monotonic()
                for _ in range(args.requests):
                    if time.monotonic() - started > args.time_limit:
                        break
                    url = queries(kind, rng)
                    t0 = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t0) * 1000)
                    errors += response.status_code != 200
                times.sort()
                report[kind] = {
                    "requests": len(times), "errors": errors,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                    "max_ms": round(times[-1], 1),
                }
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

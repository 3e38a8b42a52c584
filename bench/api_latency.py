"""Latency of the HTTP API on a large database, from a load client in its own process.

Starts ``eventwire serve`` on a free loopback port, sends a bounded number of
requests of each kind from ``--clients`` clients at once (each waits for its answer
before sending the next), and prints p50/p95/max in milliseconds, the requests
answered per second and the server's CPU milliseconds per request (from /proc) as JSON.
One client gives latencies; eight show whether the server answers in parallel.

    .venv/bin/python bench/make_events_db.py /tmp/eventwire-1m.duckdb
    .venv/bin/python bench/api_latency.py /tmp/eventwire-1m.duckdb --requests 200 --clients 8
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx

from eventwire.quality.synthetic import COUNTRIES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a live process, from /proc: what the server spent."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


KINDS = ("filtered", "radius", "stats_day", "stats_day_all")


def measure(base: str, kind: str, requests: int, clients: int, time_limit: float
            ) -> dict[str, float]:
    """``requests`` of one kind shared among ``clients`` threads, each with its own client."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + time_limit

    def client_loop(number: int) -> None:
        nonlocal errors
        rng = random.Random(7 + number)
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(2):  # warm the caches as a running server would be
                client.get(queries(kind, rng))
            for _ in range(requests // clients):
                if time.monotonic() > deadline:
                    break
                url = queries(kind, rng)
                t0 = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    times.append(elapsed)
                    errors += response.status_code != 200

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client_loop, range(clients)))
    seconds = time.perf_counter() - started
    times.sort()
    return {
        "requests": len(times), "errors": errors, "clients": clients,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "requests_per_second": round(len(times) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--requests", type=int, default=200, help="per kind of query")
    parser.add_argument("--clients", type=int, default=1, help="clients sending at once")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per kind")
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "eventwire.cli", "serve", "--db", str(args.db), "--port", str(port)],
        stderr=subprocess.DEVNULL)
    report: dict[str, dict[str, float]] = {}
    try:
        wait_ready(base)
        for kind in args.kinds.split(","):
            cpu = cpu_seconds(server.pid)
            report[kind] = measure(base, kind, args.requests, args.clients, args.time_limit)
            spent = cpu_seconds(server.pid) - cpu  # the warm-up requests included
            report[kind]["server_cpu_ms_per_request"] = round(
                spent * 1000 / (report[kind]["requests"] + 2 * args.clients), 1)
        report["load_average"] = {"1min": os.getloadavg()[0]}
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""Serve and ingest at once for minutes: no HTTP error, every article stored exactly once.

Starts a real ``eventwire serve`` with a spool folder and a token on a fresh store, then
for ``--minutes``: a feeder drops JSONL files of synthetic stories into the spool (written
under a ``.part`` name, then renamed, as a feed fetcher would) and POSTs others to
``/articles``, every few rounds sending again a batch it already sent; ``--clients``
readers query ``/events`` and ``/stats`` all the while. Then it waits for the spool to
drain, stops the server and checks the file: every article sent is stored once (no doc id
missing, none extra), each article's mentions are as many as its ``n_mentions`` says and
every mention belongs to one live event, the resent batches stored nothing, and the
server answered every request. Prints requests, p50/p95, articles stored per minute and
the server's CPU seconds as JSON.

    .venv/bin/python bench/soak.py [--minutes 10] [--rate 60] [--clients 2]

The stories are ``../shared/eval/events/ngec_synthetic_stories.jsonl``, read in place;
each copy sent gets an id of its own and a publication date.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from api_latency import cpu_seconds, free_port, queries, wait_ready

from eventwire.store.database import Store

STORIES = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "events" / \
    "ngec_synthetic_stories.jsonl"
TOKEN = "soak-token-0123456789abcdef"


@dataclass
class Tally:
    """What the feeder sent and what the readers saw, shared between threads."""

    sent: set[str] = field(default_factory=set)
    resent: int = 0
    stored_by_post: int = 0
    post_stored_on_resend: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def stories(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def records(pool: list[dict[str, Any]], start: int, count: int) -> list[dict[str, Any]]:
    """``count`` stories from ``pool``, each with an id of its own and a date."""
    out = []
    for number in range(start, start + count):
        story = pool[number % len(pool)]
        day = date(2024, 1, 1) + timedelta(days=number % 200)
        out.append({"id": f"soak-{number:06d}", "title": story.get("title"),
                    "text": story["text"], "date": day.isoformat()})
    return out


def feed(base: str, spool: Path, pool: list[dict[str, Any]], tally: Tally, until: float,
         rate: float, batch: int) -> None:
    """Alternate spool files and POSTs at ``rate`` articles a minute; resend every fifth."""
    sent_batches: list[list[dict[str, Any]]] = []
    number, round_no = 0, 0
    with httpx.Client(base_url=base, timeout=600,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        while time.monotonic() < until:
            started = time.monotonic()
            resend = round_no % 5 == 4 and bool(sent_batches)
            chunk = (random.Random(round_no).choice(sent_batches) if resend
                     else records(pool, number, batch))
            if not resend:
                number += batch
                sent_batches.append(chunk)
            if round_no % 2 == 0:
                name = spool / f"feed-{round_no:05d}.jsonl"
                part = name.with_suffix(".part")
                part.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
                part.rename(name)
            else:
                response = client.post("/articles", json={"records": chunk})
                with tally.lock:
                    if response.status_code != 200:
                        tally.errors.append(f"POST /articles {response.status_code}")
                    elif resend:
                        tally.post_stored_on_resend += response.json()["stored"]
                    else:
                        tally.stored_by_post += response.json()["stored"]
            with tally.lock:
                tally.sent.update(r["id"] for r in chunk)
                tally.resent += len(chunk) if resend else 0
            round_no += 1
            time.sleep(max(0.0, started + batch * 60 / rate - time.monotonic()))


def read(base: str, tally: Tally, until: float, seed: int) -> None:
    rng = random.Random(seed)
    kinds = ("filtered", "radius", "stats_day")
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < until:
            url = queries(rng.choice(kinds), rng)
            t0 = time.perf_counter()
            try:
                response = client.get(url)
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = (time.perf_counter() - t0) * 1000
            with tally.lock:
                tally.latencies.append(elapsed)
                if status != "200":
                    tally.errors.append(f"GET {url} {status}")
            time.sleep(rng.uniform(0.0, 0.2))


def drained(spool: Path, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not [p for p in spool.iterdir() if p.is_file()]:
            return True
        time.sleep(1.0)
    return False


def check(db: Path, tally: Tally) -> dict[str, Any]:
    """What the file holds against what was sent."""
    with Store(db, read_only=True) as store:
        con = store.con
        stored = {r[0] for r in con.execute("SELECT doc_id FROM articles").fetchall()}
        failed = {r[0] for r in con.execute("SELECT doc_id FROM errors").fetchall()}
        bad_counts = con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN (SELECT doc_id, count(*) AS n FROM "
            "mentions GROUP BY doc_id) m USING (doc_id) WHERE a.n_mentions <> coalesce(m.n, 0)"
        ).fetchall()[0][0]
        orphans = con.execute(
            "SELECT count(*) FROM mentions m LEFT JOIN events e USING (event_id) "
            "WHERE e.event_id IS NULL OR e.deleted_at IS NOT NULL").fetchall()[0][0]
        mentions, events = con.execute(
            "SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM events WHERE "
            "deleted_at IS NULL)").fetchall()[0]
        summed = con.execute("SELECT coalesce(sum(n_mentions), 0) FROM events "
                             "WHERE deleted_at IS NULL").fetchall()[0][0]
    return {
        "articles_sent": len(tally.sent), "articles_resent": tally.resent,
        "articles_stored": len(stored), "inputs_failed": len(failed & tally.sent),
        "missing": sorted(tally.sent - stored - failed)[:10],
        "not_sent": sorted(stored - tally.sent)[:10],
        "articles_with_wrong_mention_count": bad_counts, "mentions_without_live_event": orphans,
        "mentions": mentions, "events": events, "events_mentions_sum": summed,
        "stored_by_resent_posts": tally.post_stored_on_resend,
    }


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    db, spool = folder / "soak.duckdb", folder / "spool"
    Store(db).close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db), "--port", str(port),
         "--spool", str(spool), "--token", TOKEN], stderr=subprocess.PIPE, text=True)
    tally = Tally()
    try:
        wait_ready(base, 120)
        started, cpu = time.monotonic(), cpu_seconds(server.pid)
        until = started + args.minutes * 60
        threads = [threading.Thread(target=feed, args=(base, spool, stories(args.stories),
                                                       tally, until, args.rate, args.batch))]
        threads += [threading.Thread(target=read, args=(base, tally, until, n))
                    for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        emptied = drained(spool, args.drain_limit)
        minutes = (time.monotonic() - started) / 60
        server_cpu = cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        _, log = server.communicate(timeout=60)
    report = check(db, tally)
    times = sorted(tally.latencies) or [0.0]
    report.update({
        "minutes": round(minutes, 1), "spool_drained": emptied,
        "requests": len(tally.latencies), "http_errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "articles_stored_per_minute": round(report["articles_stored"] / minutes, 1),
        "server_cpu_seconds": round(server_cpu, 1),
        "load_average": os.getloadavg()[0],
        "server_log_tail": log.strip().splitlines()[-3:],
    })
    report["ok"] = (not tally.errors and emptied and not report["missing"]
                    and not report["not_sent"] and not bad_counts_or_orphans(report)
                    and report["stored_by_resent_posts"] == 0)
    return report


def bad_counts_or_orphans(report: dict[str, Any]) -> bool:
    return bool(report["articles_with_wrong_mention_count"] or report["mentions_without_live_event"]
                or report["events_mentions_sum"] != report["mentions"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=60.0, help="articles sent a minute")
    parser.add_argument("--batch", type=int, default=8, help="articles a file or a POST")
    parser.add_argument("--clients", type=int, default=2, help="readers querying meanwhile")
    parser.add_argument("--drain-limit", type=float, default=300.0,
                        help="seconds to wait for the spool to empty at the end")
    parser.add_argument("--stories", type=Path, default=STORIES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = run(args, Path(folder))
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()

"""Map and timeline latency of the dashboard with several thousand events, in headless Chromium.

    .venv/bin/python bench/dashboard.py [--events 6000] [--rounds 30]

Ingests the bundled samples (and the seed article when ../shared is beside the checkout),
copies their events to other places and dates up to ``--events``, serves the file with
``eventwire serve`` and times pans, zooms, timeline brushes and type filters in the page,
then counts frames while the map flies across. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from dashboard_harness import (  # noqa: E402
    EVENTWIRE,
    MEASURE_JS,
    REPO,
    browser,
    multiply_events,
    open_dashboard,
    server,
    shoot,
    summarise,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    seed = REPO.parent / "shared" / "seed" / "at-tanf-leaflets-2017-06-02.txt"
    inputs = [str(REPO / "eventwire" / "samples")] + ([str(seed)] if seed.exists() else [])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "many.duckdb"
        subprocess.run([str(EVENTWIRE), "ingest", *inputs, "--db", str(db)], check=True,
                       capture_output=True)
        total = multiply_events(db, args.events)
        with server(db) as base, browser() as context:
            started = time.perf_counter()
            page = open_dashboard(context, base)
            load_s = time.perf_counter() - started
            figures = page.evaluate(MEASURE_JS, {"rounds": args.rounds})
            shoot(page, "bench-many-events")
    report = {
        "events_in_store": total,
        "events_loaded": figures["events"],
        "page_ready_s": round(load_s, 2),
        **{name: summarise(figures[name]) for name in ("pan", "zoom", "brush", "filter")},
        "fly": {k: round(v, 1) for k, v in figures["fly"].items()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

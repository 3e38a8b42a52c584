"""Make a synthetic events database for the API benchmarks (default: 1,000,000 events in /tmp).

    .venv/bin/python bench/make_events_db.py /tmp/eventwire-1m.duckdb --events 1000000
"""

from __future__ import annotations

import argparse
import time

from eventwire.quality.synthetic import make_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default="/tmp/eventwire-1m.duckdb")
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = make_database(args.path, args.events)
    print(f"{counts} in {time.perf_counter() - started:.1f} s -> {args.path}")


if __name__ == "__main__":
    main()

"""How fast the store exports: 1,000,000 events to Parquet (and, optionally, other formats).

The events are generated straight into a schema-v2 file with SQL (this measures the
export, not ingest), then written by ``eventwire.store.export.export_events``.

    .venv/bin/python bench/export_speed.py [--events 1000000] [--formats parquet,csv]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from eventwire.store.database import Store
from eventwire.store.export import export_events

FILL = """
INSERT INTO events
SELECT 'ev-' || lpad(CAST(i AS VARCHAR), 16, '0'),
       strftime(DATE '2020-01-01' + CAST(i % 1500 AS INTEGER), '%Y-%m-%d'), 'day',
       ['190', '183', '141', '173', '040'][1 + i % 5], ['19', '18', '14', '17', '04'][1 + i % 5],
       ['FIGHT', 'ASSAULT', 'PROTEST', 'COERCE', 'CONSULT'][1 + i % 5], NULL,
       [4, 4, 3, 4, 1][1 + i % 5], -10.0 + (i % 20),
       'Mali military', 'MLIMIL', 'MLI', 'MIL', 'Mali rebels', 'MLIREB', 'MLI', 'REB',
       'Kidal', 18.44 + (i % 100) / 100.0, 1.41 + (i % 70) / 100.0, 'MLI', 'Kidal', 2455290,
       'city', 'Malian troops attacked rebel positions near Kidal on Monday, the army said.',
       0.5 + (i % 50) / 100.0, 1 + i % 7, 1 + i % 5, 1 + i % 4, '2020-01-01', '2020-01-02',
       now()::TIMESTAMP, now()::TIMESTAMP, NULL, NULL, 'm' || i, 1 + i % 3, 'city',
       'Malian troops', 'rebel positions', NULL, NULL, 'doc' || (i // 3), 'attacked',
       'rules+model v1'
FROM range(?) t(i)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--formats", default="parquet")
    args = parser.parse_args()
    report: dict[str, object] = {"events": args.events}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        with Store(db) as store:
            started = time.perf_counter()
            store.con.execute(FILL, [args.events])
            report["generate_seconds"] = round(time.perf_counter() - started, 2)
        with Store(db, read_only=True) as store:
            for fmt in args.formats.split(","):
                out = Path(tmp) / f"events.{fmt}"
                started = time.perf_counter()
                rows = export_events(store, fmt, out)
                seconds = time.perf_counter() - started
                report[fmt] = {"rows": rows, "seconds": round(seconds, 2),
                               "rows_per_second": round(rows / seconds),
                               "file_mb": round(out.stat().st_size / 2**20, 1)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

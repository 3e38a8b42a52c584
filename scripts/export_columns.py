"""Write docs/exports/FORMAT.md: every column of each export and how full it is.

The demo corpus (the bundled sample articles) is coded into a fresh store, each
format is exported, and the share of rows that fill each column is counted; a page
per format lists them under the format's published column names. Run after a change
to an export or to the coder, and commit the pages:

    python scripts/export_columns.py            # codes the samples into a temporary store
    python scripts/export_columns.py --db x.duckdb
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import tempfile
from pathlib import Path

from eventwire.data import SAMPLES_DIR
from eventwire.store.database import Store
from eventwire.store.export import export_events
from eventwire.store.filters import EventFilter
from eventwire.store.formats import FORMAT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "exports"
LAYOUTS = {
    "events": ("csv", "events", "One row per real-world event: the `events` table of "
               "`docs/schema.md`, as `csv`, `parquet`, `jsonl` and `geojson` (properties) write "
               "it. Parquet keeps `date`, `first_reported` and `last_reported` as dates (date32) "
               "and `added_at`, `updated_at`, `deleted_at` as timestamps (UTC); CSV, JSON lines "
               "and GeoJSON write them as ISO text (`2017-06-02`)."),
    "mentions": ("csv", "mentions", "One row per telling, as `eventwire code` prints it "
                 "(`--table mentions`), with `mention_id` and the `event_id` of the "
                 "real-world event it tells, so it joins the events export."),
    "gdelt": ("gdelt", "events", "GDELT 2.0's event table (61 columns, tab-separated, no "
              "header): FIPS 10-4 country codes, ADM1 codes as FIPS country + division."),
    "gdelt-mentions": ("gdelt-mentions", "events", "GDELT 2.0's mentions table: one row per "
                       "telling of an event."),
    "polecat": ("polecat", "events", "POLECAT's weekly-file layout: PLOVER type, mode and "
                "intensity, actors with sectors, place. `Contexts` holds the event's PLOVER "
                "contexts joined by `;` (\"military;terrorism\"), read from its sentence, the "
                "sectors of its sides and its salience (`eventwire/data/plover_contexts.tsv`)."),
    "acled": ("acled", "events", "ACLED's layout: disorder, event and sub-event types, actor "
              "types and interaction, admin units, fatalities (0 where no number is given)."),
}


def _rows(store: Store, fmt: str, table: str) -> tuple[list[str], list[list[str]]]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export"
        export_events(store, fmt, out, EventFilter(), table)
        text = out.read_text(encoding="utf-8")
    delimiter = "\t" if fmt in ("gdelt", "gdelt-mentions", "polecat") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if fmt in ("gdelt", "gdelt-mentions"):
        return FORMAT_COLUMNS[fmt], rows
    return rows[0], rows[1:]


def fill_shares(store: Store, fmt: str, table: str) -> tuple[int, dict[str, float]]:
    header, rows = _rows(store, fmt, table)
    shares = {}
    for i, name in enumerate(header):
        filled = sum(1 for row in rows if i < len(row) and row[i].strip() not in ("", "0"))
        shares[name] = filled / len(rows) if rows else 0.0
    return len(rows), shares


def page(name: str, about: str, count: int, shares: dict[str, float]) -> str:
    lines = [f"# Export: `{name}`", "", about, "",
             f"Filled: the share of rows with a value other than empty or 0, on the {count} rows "
             "the bundled sample articles give (`scripts/export_columns.py`).", "",
             "| column | filled |", "|---|---|"]
    lines += [f"| {column} | {share:.0%} |" for column, share in shares.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store to measure (default: code the samples)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            from typer.testing import CliRunner

            from eventwire.cli.main import app

            db = Path(folder) / "demo.duckdb"
            CliRunner().invoke(app, ["ingest", str(SAMPLES_DIR), "--db", str(db)],
                               catch_exceptions=False)
        DOCS.mkdir(parents=True, exist_ok=True)
        summary = {}
        with Store(db, read_only=True) as store:
            for name, (fmt, table, about) in LAYOUTS.items():
                count, shares = fill_shares(store, fmt, table)
                (DOCS / f"{name}.md").write_text(page(name, about, count, shares))
                summary[name] = count
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

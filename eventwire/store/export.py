"""Export: event records as JSON lines or CSV, and the store in the formats analysts load.

``write_records`` writes records as ``eventwire code`` prints them. ``export_events``
writes the store's real-world events (one row each, counts of mentions and sources
included) as JSON lines, CSV, Parquet or GeoJSON; the published layouts of other
event datasets (GDELT, POLECAT, ACLED) are in ``eventwire.store.formats``.

CSV of records flattens nested objects with underscores (``source_country``,
``location_lat``, ``evidence_trigger``) so the columns stay stable whether or
not an event has a target or a place.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.records.model import EVENT_FIELDS, PLACE_FIELDS
from eventwire.store import formats
from eventwire.store.filters import EventFilter
from eventwire.store.sinks import open_binary, open_text, safe_dict, safe_row

if TYPE_CHECKING:
    from eventwire.store.database import Store

NESTED = {
    "source": ("text", "name", "code", "country", "agent", "backer"),
    "target": ("text", "name", "code", "country", "agent", "backer"),
    "location": PLACE_FIELDS,
    "evidence": ("sentence", "sentence_index", "start", "end", "trigger"),
}
FORMATS = ("jsonl", "csv")


def csv_columns() -> list[str]:
    columns: list[str] = []
    for name in EVENT_FIELDS:
        if name in NESTED:
            columns.extend(f"{name}_{sub}" for sub in NESTED[name])
        else:
            columns.append(name)
    return columns


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name in EVENT_FIELDS:
        value = record.get(name)
        if name in NESTED:
            inner = value or {}
            for sub in NESTED[name]:
                flat[f"{name}_{sub}"] = inner.get(sub)
        else:
            flat[name] = value
    return flat


def write_records(records: Iterable[dict[str, Any]], out: TextIO, fmt: str,
                  extra_columns: tuple[str, ...] = ()) -> int:
    """Write records in ``fmt``; returns how many were written. ``extra_columns`` are top-level
    fields outside the record's contract that a CSV should carry first (``mention_id``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=[*extra_columns, *csv_columns()])
    writer.writeheader()
    for record in records:
        writer.writerow(safe_dict(flatten(record)))
        count += 1
    return count



# -- exports of the store: one row per real-world event (or per mention) -------------------

EXPORT_FORMATS = ("jsonl", "csv", "parquet", "geojson", "gdelt", "gdelt-mentions", "polecat",
                  "acled")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def event_batches(store: Store, filters: EventFilter, batch_rows: int = 100_000,
                  table: str = "events") -> Iterator[pa.RecordBatch]:
    """The filtered rows of ``events`` (or ``mentions`` of live events) in Arrow batches."""
    where, params = filters.where()
    if table == "mentions":
        sql = (f"SELECT m.* FROM mentions m JOIN events e USING (event_id) WHERE {where} "
               "ORDER BY m.doc_id, m.mention_id")
    else:
        sql = f"SELECT * FROM events e WHERE {where} ORDER BY e.date, e.event_id"
    relation = store.con.sql(sql, params=params)
    reader: pa.RecordBatchReader = relation.to_arrow_reader(batch_rows)
    yield from reader


def _write_parquet(store: Store, filters: EventFilter, out: Path | None,
                   table: str = "events") -> int:
    count = 0
    with open_binary(out) as handle:
        writer: pq.ParquetWriter | None = None
        for batch in event_batches(store, filters, table=table):
            if writer is None:
                writer = pq.ParquetWriter(handle, batch.schema, compression="zstd")
            writer.write_batch(batch)
            count += batch.num_rows
        if writer is None:  # no rows: the table's columns, with their types
            empty = store.con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
            writer = pq.ParquetWriter(handle, empty)
        writer.close()
    return count


def _write_events_csv(store: Store, filters: EventFilter, out: Path | None,
                      table: str = "events") -> int:
    count = 0
    with open_text(out) as handle:
        writer = csv.writer(handle)
        header_written = False
        for batch in event_batches(store, filters, table=table):
            if not header_written:
                writer.writerow(batch.schema.names)
                header_written = True
            for row in zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)),
                           strict=True):
                writer.writerow(safe_row("" if v is None else _jsonable(v) for v in row))
                count += 1
        if not header_written:
            from eventwire.store.database import TABLES

            writer.writerow(TABLES[table])
    return count


def _event_rows(store: Store, filters: EventFilter, table: str = "events"
                ) -> Iterator[dict[str, Any]]:
    for batch in event_batches(store, filters, table=table):
        yield from batch.to_pylist()


def _write_events_jsonl(store: Store, filters: EventFilter, out: Path | None,
                        table: str = "events") -> int:
    count = 0
    with open_text(out) as handle:
        for row in _event_rows(store, filters, table):
            handle.write(json.dumps({k: _jsonable(v) for k, v in row.items()},
                                    ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_geojson(store: Store, filters: EventFilter, out: Path | None,
                   table: str = "events") -> int:
    """A FeatureCollection of the events that have coordinates (RFC 7946: lon, lat)."""
    count = 0
    with open_text(out) as handle:
        handle.write('{"type": "FeatureCollection", "features": [\n')
        for row in _event_rows(store, filters, table):
            if row["lat"] is None or row["lon"] is None:
                continue
            properties = {k: _jsonable(v) for k, v in row.items() if k not in ("lat", "lon")}
            feature = {"type": "Feature", "id": row["event_id"],
                       "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                       "properties": properties}
            handle.write(("," if count else "") + json.dumps(feature, ensure_ascii=False) + "\n")
            count += 1
        handle.write("]}\n")
    return count


def _write_mention_records(store: Store, filters: EventFilter, out: Path | None,
                           fmt: str) -> int:
    """Mentions as ``eventwire code`` prints them (JSON lines, or its flattened CSV), with the
    id of the real-world event each tells as ``event_id`` (so they join the events export)
    and their own id as ``mention_id``."""

    def records() -> Iterator[dict[str, Any]]:
        for row in _event_rows(store, filters, "mentions"):
            record: dict[str, Any] = json.loads(row["record"])
            yield {"mention_id": record["event_id"], **record, "event_id": row["event_id"]}

    with open_text(out) as handle:
        return write_records(records(), handle, fmt, extra_columns=("mention_id",))


def export_events(store: Store, fmt: str, out: Path | None, filters: EventFilter | None = None,
                  table: str = "events") -> int:
    """Write the store's events (or mentions) in ``fmt`` to ``out`` (stdout when None)."""
    filters = filters or EventFilter()
    if table not in ("events", "mentions"):
        raise ValueError("table must be events or mentions")
    if table == "mentions" and fmt in ("jsonl", "csv"):
        return _write_mention_records(store, filters, out, fmt)
    writers = {"jsonl": _write_events_jsonl, "csv": _write_events_csv,
               "parquet": _write_parquet, "geojson": _write_geojson}
    if fmt in writers:
        return writers[fmt](store, filters, out, table)
    return formats.write(store, fmt, out, filters)

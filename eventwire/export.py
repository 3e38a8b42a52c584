"""Export: event records as JSON lines or CSV, to a file or standard output.

CSV flattens nested objects with underscores (``source_country``,
``location_lat``, ``evidence_trigger``) so the columns stay stable whether or
not an event has a target or a place.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from eventwire.model import EVENT_FIELDS

NESTED = {
    "source": ("text", "name", "code", "country", "agent", "backer"),
    "target": ("text", "name", "code", "country", "agent", "backer"),
    "location": ("name", "lat", "lon", "country", "admin1", "geonameid", "feature"),
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


def write_records(records: Iterable[dict[str, Any]], out: TextIO, fmt: str) -> int:
    """Write records in ``fmt``; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=csv_columns())
    writer.writeheader()
    for record in records:
        writer.writerow(flatten(record))
        count += 1
    return count


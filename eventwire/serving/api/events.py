"""/events and /events/{id}: filtered, sorted, paged events in JSON, CSV, GeoJSON or Parquet."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
import threading
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventwire.serving.api.deps import (
    DB,
    DEFAULT_PAGE_SIZE,
    ERRORS,
    EVENT_COLUMNS,
    ID_PATTERN,
    MAX_PAGE_SIZE,
    MENTION_COLUMNS,
    ApiError,
    Database,
    _clean,
    _json,
    _next_url,
    decode_token,
    encode_token,
    known_params_only,
)
from eventwire.serving.api.filters import Filters
from eventwire.serving.api.models import EventDetail, EventPage
from eventwire.serving.hygiene import BadValue, checked_number, checked_time
from eventwire.store.sinks import safe_dict

router = APIRouter(dependencies=[Depends(known_params_only)])

class Sort(StrEnum):
    date = "date"
    date_desc = "-date"
    goldstein = "goldstein"
    goldstein_desc = "-goldstein"
    confidence = "confidence"
    confidence_desc = "-confidence"
    n_mentions = "n_mentions"
    n_mentions_desc = "-n_mentions"
    n_articles = "n_articles"
    n_articles_desc = "-n_articles"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"
    event_id = "event_id"


# sortable columns and the kind of value a page token carries for each; NULLs sort last
SORT_KEYS: dict[str, str] = {
    "date": "day", "goldstein": "number", "confidence": "number", "n_mentions": "number",
    "n_articles": "number", "updated_at": "time", "event_id": "text",
}


def _token_key(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _key_from_token(key: Any, kind: str) -> Any:
    """The sort value a token carries, checked against the column's kind; None for NULL."""
    if key is None:
        return None
    with contextlib.suppress(BadValue, ValueError):
        if kind == "number":
            return checked_number(key)
        if kind == "text" and isinstance(key, str) and len(key) <= 300:
            return key
        if kind == "day" and isinstance(key, str):
            return date.fromisoformat(key)
        if kind == "time" and isinstance(key, str):
            return checked_time(datetime.fromisoformat(key))
    raise ApiError(400, "bad_next", "_next does not belong to this sort order")


def _after(column: str, op: str, key: Any, last_id: str) -> tuple[str, list[Any]]:
    """Rows after (key, last_id) in an order with NULLs last, as SQL with parameters."""
    if key is None:
        return f"({column} IS NULL AND event_id {op} ?)", [last_id]
    return (f"({column} {op} ? OR {column} IS NULL OR ({column} = ? AND event_id {op} ?))",
            [key, key, last_id])



@router.get("/events", response_model=EventPage, responses={
    **ERRORS, 200: {"content": {"text/csv": {}, "application/geo+json": {},
                                "application/vnd.apache.parquet": {}}}})
def list_events(
    request: Request,
    database: DB,
    filters: Filters,
    sort: Annotated[Sort, Query(alias="_sort", description="Column; - for descending")
                    ] = Sort.date_desc,
    size: Annotated[int, Query(alias="_size", ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    next_token: Annotated[str | None, Query(alias="_next", max_length=600)] = None,
    fmt: Annotated[Literal["json", "csv", "geojson", "parquet"],
                   Query(alias="_format")] = "json",
) -> Response:
    """Events matching every filter given, one page at a time (``Link: rel=next``)."""
    descending = sort.value.startswith("-")
    sort_name = sort.value.lstrip("-")
    column, kind = sort_name, SORT_KEYS[sort_name]
    where, params = filters.sql(), list(filters.params)
    if next_token:
        payload = decode_token(next_token)
        last_id = payload.get("id")
        if payload.get("s") != sort.value or not isinstance(last_id, str) or "k" not in payload:
            raise ApiError(400, "bad_next", "_next does not belong to this sort order")
        key = _key_from_token(payload["k"], kind)
        clause, extra = _after(column, "<" if descending else ">", key, last_id)
        where += f" AND {clause}"
        params += extra
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY {column} {direction} NULLS LAST, event_id {direction}"
    columns = ", ".join(EVENT_COLUMNS)
    params.append(size + 1)
    if fmt == "parquet":
        sql = f"SELECT {columns} FROM events WHERE {where} {order} LIMIT ?"
        return _parquet(database, sql, params, size)
    # the page's rows are chosen on the filter and sort columns alone, then only those rows'
    # other columns are read (a radius query may match thousands of events)
    page = database.rows(
        f"SELECT {columns} FROM events WHERE rowid IN (SELECT rowid FROM events WHERE {where} "
        f"{order} LIMIT ?) {order}", params)
    token_out = None
    if len(page) > size:
        page = page[:size]
        token_out = encode_token({"s": sort.value, "k": _token_key(page[-1][column]),
                                  "id": page[-1]["event_id"]})
    events = [_clean(row) for row in page]
    headers: dict[str, str] = {}
    next_url = _next_url(request, token_out) if token_out else None
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    if fmt == "csv":
        return Response(_csv(events, EVENT_COLUMNS), media_type="text/csv; charset=utf-8",
                        headers=headers)
    if fmt == "geojson":
        return Response(json.dumps(_geojson(events, token_out, next_url), ensure_ascii=False),
                        media_type="application/geo+json", headers=headers)
    return _json({"events": events, "next": token_out, "next_url": next_url},
                 headers=headers)

@router.get("/events/{event_id}", response_model=EventDetail, responses=ERRORS)
def get_event(
    database: DB,
    event_id: Annotated[str, PathParam(pattern=ID_PATTERN)],
) -> Response:
    """One event with every mention of it: article, sentence, trigger and offsets."""
    columns = ", ".join(EVENT_COLUMNS)
    found = database.rows(f"SELECT {columns} FROM events WHERE event_id = ?", [event_id])
    if not found:
        raise ApiError(404, "not_found", f"no event {event_id!r}")
    mentions = database.rows(
        f"SELECT {', '.join('m.' + c for c in MENTION_COLUMNS)}, a.title, a.url, "
        "a.source AS article_source, a.published FROM mentions m "
        "LEFT JOIN articles a ON a.doc_id = m.doc_id WHERE m.event_id = ? "
        "ORDER BY m.doc_id, m.sentence_index, m.mention_id",
        [event_id],
    )
    return _json({"event": _clean(found[0]), "mentions": [_clean(m) for m in mentions]})


def _csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_dict(row) for row in rows)
    return out.getvalue()


def _geojson(rows: list[dict[str, Any]], token: str | None, next_url: str | None
             ) -> dict[str, Any]:
    features = []
    for row in rows:
        lat, lon = row.get("lat"), row.get("lon")
        geometry = ({"type": "Point", "coordinates": [lon, lat]}
                    if lat is not None and lon is not None else None)
        properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": row["event_id"], "geometry": geometry,
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features, "next": token,
            "next_url": next_url}


def _parquet(database: Database, sql: str, params: list[Any], size: int) -> Response:
    """One page as a Parquet file (no next token: page with JSON or narrow the filters)."""
    params = [*params[:-1], size]
    with tempfile.TemporaryDirectory(prefix="eventwire-") as folder:
        target = Path(folder) / "events.parquet"
        cursor = database.con.cursor()
        timer = threading.Timer(database.query_timeout, cursor.interrupt)
        timer.start()
        try:
            # the file name is ours, never the request's
            cursor.execute(
                f"COPY ({sql}) TO '{target}' (FORMAT parquet)", params)
        except duckdb.InterruptException as exc:
            raise ApiError(503, "query_timeout", "the query ran past its time limit") from exc
        finally:
            timer.cancel()
            cursor.close()
        data = target.read_bytes()
    return Response(data, media_type="application/vnd.apache.parquet",
                    headers={"Content-Disposition": 'attachment; filename="events.parquet"'})


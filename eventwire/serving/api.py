"""HTTP API: query stored events the way ACLED and datasette users already do.

``create_app(db)`` builds a FastAPI app over one DuckDB file. It is read-only
unless a token is configured; every write (zones, ``POST /articles``) then
needs ``Authorization: Bearer TOKEN``, compared in constant time. Every value from a request reaches
SQL as a bound parameter; column names come only from fixed tables here. Page
sizes, polygon sizes, parameter lengths, request bodies and query time are
bounded, and every bad request gets a 4xx with a JSON body
``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import hmac
import io
import json
import math
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwire import __version__
from eventwire.records.errors import InputError
from eventwire.records.geometry import EARTH_RADIUS_KM
from eventwire.serving import zones as zones_mod
from eventwire.serving.hygiene import BadValue, bearer, checked_number, checked_time, next_url
from eventwire.serving.hygiene import install as install_hygiene
from eventwire.store.sinks import safe_dict

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
MAX_BODY_BYTES = 1_000_000
DEFAULT_QUERY_TIMEOUT = 10.0
MAX_LIST_VALUES = 50

# columns of the store's events table (SCHEMA-CONTRACT), in the order the API shows them
EVENT_COLUMNS = (
    "event_id", "date", "date_precision", "cameo", "cameo_root", "plover", "plover_mode",
    "quad_class", "goldstein", "source_name", "source_code", "source_country", "source_agent",
    "target_name", "target_code", "target_country", "target_agent", "place_name", "lat", "lon",
    "place_country", "admin1", "admin1_code", "admin2", "admin2_code", "geonameid",
    "place_precision", "sentence", "confidence", "n_mentions", "n_articles", "n_sources",
    "first_reported", "last_reported", "added_at", "updated_at", "deleted_at",
)
MENTION_COLUMNS = (
    "mention_id", "event_id", "doc_id", "sentence_index", "start_char", "end_char", "trigger",
    "sentence", "confidence", "date", "date_precision", "cameo", "cameo_root", "plover",
    "plover_mode", "quad_class", "goldstein", "source_text", "source_name", "source_code",
    "source_country", "source_agent", "target_text", "target_name", "target_code",
    "target_country", "target_agent", "place_name", "lat", "lon", "place_country", "admin1",
    "admin1_code", "admin2", "admin2_code", "geonameid", "place_precision", "coder", "added_at",
    "updated_at",
)
ARTICLE_COLUMNS = (
    "doc_id", "title", "published", "url", "source", "language", "text_sha1", "wire_copy_of",
    "n_mentions", "added_at", "updated_at",
)
PLACE_COLUMNS = ("name", "country", "admin1", "lat", "lon", "feature", "geonameid")

ISO_DATE = r"\d{4}-\d{2}-\d{2}"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:~/@+=-]{0,255}$"


# ---------------------------------------------------------------- errors


class ApiError(Exception):
    """A request the API refuses, with an HTTP status and a stable code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def _error(status: int, code: str, message: str,
           details: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is malformed or out of range"},
    404: {"model": ErrorBody, "description": "Nothing with that id"},
    503: {"model": ErrorBody, "description": "The query ran past its time limit"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorBody, "description": "The token is missing or wrong"},
    403: {"model": ErrorBody, "description": "The server is read-only (no token configured)"},
    413: {"model": ErrorBody, "description": "The request body is too large"},
}


# ---------------------------------------------------------------- database


@dataclass
class Database:
    """One DuckDB connection for the app; each request takes its own cursor."""

    path: Path
    read_only: bool
    query_timeout: float = DEFAULT_QUERY_TIMEOUT
    con: duckdb.DuckDBPyConnection = field(init=False)
    store: Any = field(init=False)
    closed: bool = field(init=False, default=False)
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        from eventwire.store.database import Store

        self.store = Store(self.path, read_only=self.read_only)  # migrates; no extensions
        self.con = self.store.con
        self.closed = False
        if not self.read_only:
            zones_mod.ensure_tables(self.con)

    def close(self) -> None:
        self.closed = True
        self.store.close()

    def query(
        self, sql: str, params: Sequence[Any] = ()
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Rows of a bound query, interrupted when it runs past the time limit."""
        cursor = self.con.cursor()
        timer = threading.Timer(self.query_timeout, cursor.interrupt)
        timer.start()
        try:
            cursor.execute(sql, list(params))
            columns = [d[0] for d in cursor.description or []]
            return columns, cursor.fetchall()
        except duckdb.InterruptException as exc:
            message = f"the query ran past {self.query_timeout:g} s; narrow the filters"
            raise ApiError(503, "query_timeout", message) from exc
        finally:
            timer.cancel()
            cursor.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        columns, rows = self.query(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def has_table(self, name: str) -> bool:
        _, rows = self.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        )
        return bool(rows[0][0])

    def schema_version(self) -> int | None:
        if not self.has_table("schema_info"):
            return None
        _, rows = self.query("SELECT max(version) FROM schema_info")
        return int(rows[0][0]) if rows and rows[0][0] is not None else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in row.items()}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(content, status_code=status, media_type="application/json", headers=headers)


# ---------------------------------------------------------------- filters


def _split(value: str) -> list[str]:
    parts = [p.strip() for p in value.split("|") if p.strip()]
    if len(parts) > MAX_LIST_VALUES:
        raise ApiError(400, "too_many_values", f"at most {MAX_LIST_VALUES} values separated by |")
    return parts


def _parse_day(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise ApiError(400, "bad_date", f"{name}: {value!r} is not a date YYYY-MM-DD") from exc


def parse_time(value: str, name: str = "since") -> datetime:
    """An ISO date or date-time (UTC when no zone is given) as a naive UTC datetime."""
    text = value.strip().replace(" ", "T")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ApiError(400, "bad_time", f"{name}: {value!r} is not an ISO date-time") from exc
    try:
        return checked_time(moment)
    except BadValue as exc:
        raise ApiError(400, "bad_time", f"{name}: {value!r}: {exc}") from exc


def _roots(value: str) -> list[str]:
    out: set[str] = set()
    for part in _split(value):
        try:
            out.update(zones_mod._expand_roots(part))
        except zones_mod.ZoneError as exc:
            raise ApiError(400, "bad_root", str(exc)) from exc
    return sorted(out)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def radius_sql(lat: float, lon: float, radius_km: float) -> tuple[list[str], list[Any]]:
    """A bounding box the zone maps can prune with, then the great-circle distance itself."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    where = ["lat BETWEEN ? AND ?"]
    params: list[Any] = [lat - dlat, lat + dlat]
    cos_lat = math.cos(math.radians(lat))
    if abs(lat) + dlat < 89 and cos_lat > 0:
        dlon = dlat / cos_lat
        if lon - dlon >= -180 and lon + dlon <= 180:
            where.append("lon BETWEEN ? AND ?")
            params += [lon - dlon, lon + dlon]
    where.append(
        "2 * 6371.0088 * asin(least(1.0, sqrt(pow(sin(radians(lat - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(lat)) * pow(sin(radians(lon - ?) / 2), 2)))) <= ?"
    )
    params += [lat, lat, lon, radius_km]
    return where, params


@dataclass
class EventFilters:
    """The WHERE clause of an events query, built only from bound parameters."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    include_deleted: bool = False

    def add(self, clause: str, params: Sequence[Any] = ()) -> None:
        self.where.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        clauses = list(self.where)
        if not self.include_deleted:
            clauses.append("deleted_at IS NULL")
        return " AND ".join(clauses) if clauses else "TRUE"


Codes = r"^[A-Za-z]{3}(\|[A-Za-z]{3}){0,49}$"


def event_filters(
    event_date: Annotated[str | None, Query(
        description="A day YYYY-MM-DD, or a range FROM|TO (inclusive)",
        pattern=rf"^{ISO_DATE}(\|{ISO_DATE})?$")] = None,
    date_from: Annotated[str | None, Query(description="First day, inclusive",
                                           pattern=rf"^{ISO_DATE}$")] = None,
    date_to: Annotated[str | None, Query(description="Last day, inclusive",
                                         pattern=rf"^{ISO_DATE}$")] = None,
    country: Annotated[str | None, Query(
        description="ISO3 country of the event's place; several with |", pattern=Codes)] = None,
    actor_country: Annotated[str | None, Query(
        description="ISO3 country of the source or the target; several with |",
        pattern=Codes)] = None,
    actor: Annotated[str | None, Query(
        description="Actor code (exact) or name (part of it), source or target",
        min_length=1, max_length=100)] = None,
    source: Annotated[str | None, Query(description="Source actor code or name",
                                        min_length=1, max_length=100)] = None,
    target: Annotated[str | None, Query(description="Target actor code or name",
                                        min_length=1, max_length=100)] = None,
    cameo: Annotated[str | None, Query(
        description="CAMEO code or its prefix (190 matches 190-1904); several with |",
        pattern=r"^\d{2,4}(\|\d{2,4}){0,49}$")] = None,
    root: Annotated[str | None, Query(
        description="CAMEO root 01-20 or range 14-20; several with |",
        pattern=r"^\d{1,2}(-\d{1,2})?(\|\d{1,2}(-\d{1,2})?){0,19}$")] = None,
    plover: Annotated[str | None, Query(description="PLOVER type; several with |",
                                        pattern=r"^[A-Za-z_]{1,40}(\|[A-Za-z_]{1,40}){0,49}$")
                      ] = None,
    plover_mode: Annotated[str | None, Query(
        description="PLOVER mode; several with |",
        pattern=r"^[A-Za-z_ -]{1,40}(\|[A-Za-z_ -]{1,40}){0,49}$")] = None,
    quad_class: Annotated[str | None, Query(description="Quad class 1-4; several with |",
                                            pattern=r"^[1-4](\|[1-4]){0,3}$")] = None,
    goldstein_min: Annotated[float | None, Query(ge=-10, le=10)] = None,
    goldstein_max: Annotated[float | None, Query(ge=-10, le=10)] = None,
    confidence_min: Annotated[float | None, Query(ge=0, le=1)] = None,
    bbox: Annotated[str | None, Query(
        description="min_lon,min_lat,max_lon,max_lat", max_length=120)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Centre of a radius query")
                   ] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=zones_mod.MAX_RADIUS_KM)] = None,
    q: Annotated[str | None, Query(description="Words in the evidence sentence",
                                   min_length=1, max_length=200)] = None,
    since: Annotated[str | None, Query(
        description="Only events changed after this time (ISO), deletions included",
        max_length=40)] = None,
) -> EventFilters:
    f = EventFilters()
    first, last = None, None
    if event_date:
        days = event_date.split("|")
        first = _parse_day(days[0], "event_date")
        last = _parse_day(days[-1], "event_date")
    if date_from:
        first = _parse_day(date_from, "date_from")
    if date_to:
        last = _parse_day(date_to, "date_to")
    if first and last and first > last:
        raise ApiError(400, "bad_date_range", "the first day is after the last")
    if first:
        f.add("date >= ?", [first])
    if last:
        f.add("date <= ?", [last])
    if country:
        f.add(*_in("place_country", [c.upper() for c in _split(country)]))
    if actor_country:
        codes = [c.upper() for c in _split(actor_country)]
        a, pa = _in("source_country", codes)
        b, pb = _in("target_country", codes)
        f.add(f"({a} OR {b})", pa + pb)
    for value, sides in ((actor, ("source", "target")), (source, ("source",)),
                         (target, ("target",))):
        if value:
            parts = []
            params: list[Any] = []
            for side in sides:
                parts.append(f"{side}_code = ? OR {side}_name ILIKE ? ESCAPE '\\'")
                params += [value.upper(), _like(value)]
            f.add("(" + " OR ".join(parts) + ")", params)
    if cameo:
        codes = _split(cameo)
        f.add("(" + " OR ".join("starts_with(cameo, ?)" for _ in codes) + ")", codes)
    if root:
        f.add(*_in("cameo_root", _roots(root)))
    if plover:
        f.add(*_in("upper(plover)", [p.upper() for p in _split(plover)]))
    if plover_mode:
        f.add(*_in("lower(plover_mode)", [p.lower() for p in _split(plover_mode)]))
    if quad_class:
        f.add(*_in("quad_class", sorted({int(v) for v in _split(quad_class)})))
    if goldstein_min is not None:
        f.add("goldstein >= ?", [goldstein_min])
    if goldstein_max is not None:
        f.add("goldstein <= ?", [goldstein_max])
    if goldstein_min is not None and goldstein_max is not None and goldstein_min > goldstein_max:
        raise ApiError(400, "bad_range", "goldstein_min is above goldstein_max")
    if confidence_min is not None:
        f.add("confidence >= ?", [confidence_min])
    if bbox:
        f.add("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", _bbox(bbox))
    if (lat, lon, radius_km).count(None) not in (0, 3):
        raise ApiError(400, "bad_radius", "a radius query needs lat, lon and radius_km together")
    if lat is not None and lon is not None and radius_km is not None:
        clauses, params = radius_sql(lat, lon, radius_km)
        for clause in clauses:
            f.add(clause)
        f.params.extend(params)
    if q:
        f.add("sentence ILIKE ? ESCAPE '\\'", [_like(q)])
    if since:
        moment = parse_time(since)
        f.add("(updated_at > ? OR deleted_at > ?)", [moment, moment])
        f.include_deleted = True
    return f


def _bbox(value: str) -> list[float]:
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError as exc:
        raise ApiError(400, "bad_bbox", "bbox is four numbers min_lon,min_lat,max_lon,max_lat"
                       ) from exc
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ApiError(400, "bad_bbox", "bbox is four numbers min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApiError(400, "bad_bbox", "bbox corners are out of range or in the wrong order")
    return [min_lon, max_lon, min_lat, max_lat]


Filters = Annotated[EventFilters, Depends(event_filters)]
ZoneId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


# ---------------------------------------------------------------- sorting and pages


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
    "date": "text", "goldstein": "number", "confidence": "number", "n_mentions": "number",
    "n_articles": "number", "updated_at": "time", "event_id": "text",
}


def _token_key(value: Any) -> Any:
    if isinstance(value, datetime):
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
        if kind == "time" and isinstance(key, str):
            return checked_time(datetime.fromisoformat(key))
    raise ApiError(400, "bad_next", "_next does not belong to this sort order")


def _after(column: str, op: str, key: Any, last_id: str) -> tuple[str, list[Any]]:
    """Rows after (key, last_id) in an order with NULLs last, as SQL with parameters."""
    if key is None:
        return f"({column} IS NULL AND event_id {op} ?)", [last_id]
    return (f"({column} {op} ? OR {column} IS NULL OR ({column} = ? AND event_id {op} ?))",
            [key, key, last_id])


def encode_token(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_next", "_next is not a token this API gave out") from exc
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_next", "_next is not a token this API gave out")
    return payload


def _next_url(request: Request, token: str) -> str:
    return next_url(request, token)  # from the configured base, never the request's Host


# ---------------------------------------------------------------- response models


class EventOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    event_id: str
    date: str | None = None
    date_precision: str | None = None
    cameo: str | None = None
    cameo_root: str | None = None
    plover: str | None = None
    plover_mode: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    source_name: str | None = None
    source_code: str | None = None
    source_country: str | None = None
    source_agent: str | None = None
    target_name: str | None = None
    target_code: str | None = None
    target_country: str | None = None
    target_agent: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    place_precision: str | None = None
    sentence: str | None = None
    confidence: float | None = None
    n_mentions: int | None = None
    n_articles: int | None = None
    n_sources: int | None = None
    first_reported: str | None = None
    last_reported: str | None = None
    added_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class EventPage(BaseModel):
    events: list[EventOut]
    next: str | None = Field(None, description="Token for the next page, or null on the last")
    next_url: str | None = None


class MentionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    mention_id: str
    event_id: str | None = None
    doc_id: str | None = None
    sentence: str | None = None
    trigger: str | None = None
    title: str | None = None
    url: str | None = None


class EventDetail(BaseModel):
    event: EventOut
    mentions: list[MentionOut]


class StatRow(BaseModel):
    key: str | None
    events: int


class Stats(BaseModel):
    by: str
    total: int
    counts: list[StatRow]


class PlaceOut(BaseModel):
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    geonameid: int | None = None
    mentions: int
    articles: int


class PlacePage(BaseModel):
    places: list[PlaceOut]
    next: str | None = None


class ArticleOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    doc_id: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None


class ArticleDetail(BaseModel):
    article: ArticleOut
    mentions: list[MentionOut]
    places: list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    schema_version: int | None
    read_only: bool
    events: int | None


class RecordIn(BaseModel):
    """One input record, as in a JSONL file."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = Field(None, max_length=300)
    text: str = Field(min_length=1, max_length=MAX_BODY_BYTES)
    title: str | None = Field(None, max_length=1000)
    date: str | None = Field(None, max_length=40)
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=300)


class IngestIn(BaseModel):
    records: list[RecordIn] = Field(min_length=1, max_length=100)


class IngestReport(BaseModel):
    stored: int
    skipped: int
    alerts: int
    errors: list[dict[str, str]]


class ZoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=zones_mod.MAX_NAME_LENGTH)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0, le=zones_mod.MAX_RADIUS_KM)
    polygon: dict[str, Any] | None = Field(None, description="GeoJSON Polygon or MultiPolygon")
    filters: dict[str, list[Any]] | None = Field(
        None, description="roots (e.g. ['14-20']), actors, plover, quad_classes")
    webhook_url: str | None = Field(None, max_length=2000)
    webhook_secret: str | None = Field(None, min_length=16, max_length=200)


class ZonePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=zones_mod.MAX_NAME_LENGTH)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0, le=zones_mod.MAX_RADIUS_KM)
    polygon: dict[str, Any] | None = None
    filters: dict[str, list[Any]] | None = None
    webhook_url: str | None = Field(None, max_length=2000)


class ZoneOut(BaseModel):
    zone_id: str
    name: str
    kind: Literal["circle", "polygon"]
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    polygon: dict[str, Any] | None = None
    filters: dict[str, list[Any]]
    webhook_url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class ZoneCreated(BaseModel):
    zone: ZoneOut
    webhook_secret: str | None = Field(
        None, description="Shown once: the key that signs this zone's webhook calls")


class ZoneList(BaseModel):
    zones: list[ZoneOut]


class AlertOut(BaseModel):
    alert_id: str
    zone_id: str
    zone_name: str
    event_id: str
    raised_at: str | None
    event: dict[str, Any]
    webhook: str | None = None


class AlertList(BaseModel):
    alerts: list[AlertOut]


class Deleted(BaseModel):
    deleted: str


# ---------------------------------------------------------------- body size limit


ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]],
                    Callable[[MutableMapping[str, Any]], Awaitable[None]]], Awaitable[None]]


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes, by header and as they stream in."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _error(413, "body_too_large",
                                 f"request bodies are limited to {self.limit} bytes")(
                        scope, receive, send)
                    return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise ApiError(413, "body_too_large", "request body too large")
            return message

        await self.app(scope, limited, send)


# ---------------------------------------------------------------- the app


def create_app(
    db: Path | str,
    token: str | None = None,
    query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    base_url: str | None = None,
) -> FastAPI:
    """The API over one DuckDB file: read-only without ``token``, writable with it."""
    database = Database(Path(db), read_only=token is None, query_timeout=query_timeout)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if database.closed:  # an app served again after a shutdown
            database.open()
        yield
        database.close()

    app = FastAPI(
        title="eventwire",
        lifespan=lifespan,
        version=__version__,
        description="Coded political and conflict events: query, count, map, and watch zones.",
        docs_url=None, redoc_url=None,  # /docs comes from install(): offline, under a CSP
    )
    app.state.database = database
    app.add_middleware(BodyLimit)
    install_hygiene(app, base_url)
    from eventwire.serving.web import mount as mount_dashboard  # the page at / and /static
    mount_dashboard(app)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        where = ", ".join(".".join(d["loc"]) for d in details[:3])
        return _error(400, "bad_request", f"invalid parameter: {where}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(duckdb.Error)
    async def _db_error(request: Request, exc: duckdb.Error) -> JSONResponse:
        return _error(503, "database_error", f"{type(exc).__name__}: {str(exc)[:200]}")

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if token is None:
            raise ApiError(403, "read_only", "this server is read-only: start it with a token")
        given = bearer(authorization) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "bad_token", "send Authorization: Bearer TOKEN")

    # ------------------------------------------------------------ events

    @app.get("/events", response_model=EventPage, responses={
        **ERRORS, 200: {"content": {"text/csv": {}, "application/geo+json": {},
                                    "application/vnd.apache.parquet": {}}}})
    def list_events(
        request: Request,
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
        # the page's ids first (only the filter and sort columns are read), then its rows
        page = database.rows(
            f"SELECT event_id, {column} AS _key FROM events WHERE {where} {order} LIMIT ?",
            params)
        token_out = None
        if len(page) > size:
            page = page[:size]
            token_out = encode_token({"s": sort.value, "k": _token_key(page[-1]["_key"]),
                                      "id": page[-1]["event_id"]})
        ids = [r["event_id"] for r in page]
        events = _rows_by_id(database, ids, column, [r["_key"] for r in page])
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

    @app.get("/events/{event_id}", response_model=EventDetail, responses=ERRORS)
    def get_event(
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

    # ------------------------------------------------------------ stats

    STATS_KEYS = {
        "day": "left(CAST(date AS VARCHAR), 10)",
        "week": "strftime(date_trunc('week', TRY_CAST(date AS DATE)), '%Y-%m-%d')",
        "month": "left(CAST(date AS VARCHAR), 7)",
        "year": "left(CAST(date AS VARCHAR), 4)",
        "root": "cameo_root",
        "cameo": "cameo",
        "plover": "plover",
        "quad_class": "CAST(quad_class AS VARCHAR)",
        "country": "place_country",
        "source": "source_code",
        "target": "target_code",
        "dyad": "coalesce(source_code, '') || '|' || coalesce(target_code, '')",
    }
    TIME_KEYS = {
        "day": "left(CAST(k AS VARCHAR), 10)",
        "week": "strftime(date_trunc('week', TRY_CAST(k AS DATE)), '%Y-%m-%d')",
        "month": "left(CAST(k AS VARCHAR), 7)",
        "year": "left(CAST(k AS VARCHAR), 4)",
    }

    @app.get("/stats", response_model=Stats, responses=ERRORS)
    def stats(
        filters: Filters,
        by: Annotated[Literal["day", "week", "month", "year", "root", "cameo", "plover",
                              "quad_class", "country", "source", "target", "dyad"],
                      Query(description="What to count events by")] = "day",
        size: Annotated[int, Query(alias="_size", ge=1, le=10_000)] = 1000,
    ) -> Response:
        """Counts of events by time, type, country or dyad, under the same filters as /events."""
        order = "key ASC NULLS LAST" if by in TIME_KEYS else "events DESC, key ASC NULLS LAST"
        if by in TIME_KEYS:
            # count per stored date first (few thousand groups), then fold into days/weeks/...:
            # string work on a few thousand keys instead of on every event
            key = TIME_KEYS[by]
            sql = (f"SELECT {key} AS key, sum(n) AS events FROM (SELECT date AS k, count(*) AS n "
                   f"FROM events WHERE {filters.sql()} GROUP BY k) GROUP BY key")
        else:
            sql = (f"SELECT {STATS_KEYS[by]} AS key, count(*) AS events FROM events "
                   f"WHERE {filters.sql()} GROUP BY key")
        rows = database.rows(
            f"SELECT key, events, sum(events) OVER () AS total FROM ({sql}) "
            f"ORDER BY {order} LIMIT ?", [*filters.params, size])
        total = int(rows[0]["total"]) if rows else 0
        counts = [{"key": None if r["key"] is None else str(r["key"]), "events": int(r["events"])}
                  for r in rows]
        return _json({"by": by, "total": total, "counts": counts})

    # ------------------------------------------------------------ places and articles

    @app.get("/places", response_model=PlacePage, responses=ERRORS)
    def list_places(
        request: Request,
        country: Annotated[str | None, Query(pattern=Codes)] = None,
        q: Annotated[str | None, Query(min_length=1, max_length=200,
                                       description="Part of the place's name")] = None,
        bbox: Annotated[str | None, Query(max_length=120)] = None,
        size: Annotated[int, Query(alias="_size", ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        next_token: Annotated[str | None, Query(alias="_next", max_length=100)] = None,
    ) -> Response:
        """Resolved places mentioned in stored articles, most mentioned first."""
        where, params = ["name IS NOT NULL"], []
        if country:
            clause, values = _in("country", [c.upper() for c in _split(country)])
            where.append(clause)
            params += values
        if q:
            where.append("name ILIKE ? ESCAPE '\\'")
            params.append(_like(q))
        if bbox:
            where.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
            params += _bbox(bbox)
        offset = 0
        if next_token:
            offset = decode_token(next_token).get("o", -1)
            if not isinstance(offset, int) or isinstance(offset, bool) or not (
                    0 <= offset <= 10_000_000):
                raise ApiError(400, "bad_next", "_next is not a token this API gave out")
        group = ", ".join(PLACE_COLUMNS)
        rows = database.rows(
            f"SELECT {group}, count(*) AS mentions, count(DISTINCT doc_id) AS articles "
            f"FROM places WHERE {' AND '.join(where)} GROUP BY {group} "
            f"ORDER BY mentions DESC, name, country, lat, lon LIMIT ? OFFSET ?",
            [*params, size + 1, offset],
        )
        token_out = encode_token({"o": offset + size}) if len(rows) > size else None
        headers = {"Link": f'<{_next_url(request, token_out)}>; rel="next"'} if token_out else {}
        return _json({"places": [_clean(r) for r in rows[:size]], "next": token_out},
                     headers=headers)

    @app.get("/articles/{doc_id:path}", response_model=ArticleDetail, responses=ERRORS)
    def get_article(doc_id: Annotated[str, PathParam(pattern=ID_PATTERN)]) -> Response:
        """One stored article: its metadata, its event mentions and its place mentions."""
        found = database.rows(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE doc_id = ?", [doc_id])
        if not found:
            raise ApiError(404, "not_found", f"no article {doc_id!r}")
        mentions = database.rows(
            f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions WHERE doc_id = ? "
            "ORDER BY sentence_index, mention_id", [doc_id])
        places = database.rows(
            "SELECT start_char, end_char, mention, name, lat, lon, country, admin1, geonameid, "
            "feature, confidence FROM places WHERE doc_id = ? ORDER BY start_char", [doc_id])
        return _json({"article": _clean(found[0]), "mentions": [_clean(m) for m in mentions],
                      "places": [_clean(p) for p in places]})

    @app.get("/health", response_model=Health, responses=ERRORS)
    def health() -> Response:
        """Whether the server and its database answer, and what they hold."""
        events = None
        if database.has_table("events"):
            events = int(database.query("SELECT count(*) FROM events")[1][0][0])
        return _json({"status": "ok", "version": __version__,
                      "schema_version": database.schema_version(),
                      "read_only": database.read_only, "events": events})

    # ------------------------------------------------------------ ingest

    pipelines: list[Any] = []

    def pipeline() -> Any:
        """The coding pipeline, loaded on the first ingest (it takes seconds), then kept."""
        if not pipelines:
            from eventwire.coding.pipeline import Pipeline

            pipelines.append(Pipeline())
        return pipelines[0]

    @app.post("/articles", response_model=IngestReport, responses=WRITE_ERRORS,
              dependencies=[Depends(require_token)])
    def ingest_articles(body: IngestIn) -> Response:
        """Code and store articles (as JSONL records), raising zone alerts, like ``ingest``."""
        from eventwire.readers import english_only
        from eventwire.readers.jsonl import record_to_article
        from eventwire.records.model import ArticleResult

        items = [item for n, r in enumerate(body.records, start=1)
                 for item in record_to_article(r.model_dump(exclude_none=True), f"record {n}")]
        report: dict[str, Any] = {"stored": 0, "skipped": 0, "alerts": 0, "errors": []}
        with database.write_lock:
            store = database.store
            raiser = zones_mod.AlertRaiser(store.con)
            fresh = []
            for item in english_only(items):
                if not isinstance(item, InputError) and store.has_article(item):
                    report["skipped"] += 1
                else:
                    fresh.append(item)
            for result in pipeline().run(fresh):
                if isinstance(result, InputError):
                    store.add_error(result)
                    report["errors"].append(result.to_dict())
                elif isinstance(result, ArticleResult):
                    if store.add_article(result.article, result.events, result.places):
                        report["stored"] += 1
                        report["alerts"] += raiser.article_stored(result.article.doc_id)
                    else:
                        report["skipped"] += 1
            report["alerts"] += raiser.check()
        response = _json(report)
        # after the answer and outside the write lock (taken only for the queue's rows): one try
        # each now; failures wait for the next ingest, `watch` or `alerts --deliver`
        response.background = BackgroundTask(deliver_queued)
        return response

    def deliver_queued() -> None:
        cursor = database.con.cursor()
        try:
            zones_mod.deliver_pending(cursor, wait=False, timeout=5.0, lock=database.write_lock)
        finally:
            cursor.close()

    # ------------------------------------------------------------ zones

    def _zone_or_404(zone_id: str) -> zones_mod.Zone:
        zone = zones_mod.get_zone(database.con.cursor(), zone_id)
        if zone is None:
            raise ApiError(404, "not_found", f"no zone {zone_id!r}")
        return zone

    @app.get("/zones", response_model=ZoneList, responses=ERRORS)
    def list_zones() -> Response:
        """Every watch zone (webhook secrets are never shown)."""
        zones = zones_mod.list_zones(database.con.cursor())
        return _json({"zones": [z.public() for z in zones]})

    @app.post("/zones", status_code=201, response_model=ZoneCreated, responses=WRITE_ERRORS,
              dependencies=[Depends(require_token)])
    def create_zone(body: ZoneIn) -> Response:
        """Draw a zone: lat/lon/radius_km or a GeoJSON polygon, optional filters and webhook."""
        try:
            zone = zones_mod.validate_zone(
                body.name, body.lat, body.lon, body.radius_km, body.polygon, body.filters,
                body.webhook_url)
        except zones_mod.ZoneError as exc:
            raise ApiError(400, "bad_zone", str(exc)) from exc
        with database.write_lock:
            zone, secret = zones_mod.add_zone(database.con.cursor(), zone, body.webhook_secret)
        return _json({"zone": zone.public(), "webhook_secret": secret}, status=201)

    @app.get("/zones/{zone_id}", response_model=ZoneOut, responses=ERRORS)
    def get_zone(zone_id: ZoneId) -> Response:
        return _json(_zone_or_404(zone_id).public())

    @app.patch("/zones/{zone_id}", response_model=ZoneOut, responses=WRITE_ERRORS,
               dependencies=[Depends(require_token)])
    def change_zone(zone_id: ZoneId, body: ZonePatch) -> Response:
        """Change a zone's name, geometry (replaced whole), filters or webhook."""
        _zone_or_404(zone_id)
        changes = body.model_dump(exclude_unset=True)
        try:
            with database.write_lock:
                zone = zones_mod.update_zone(database.con.cursor(), zone_id, changes)
        except zones_mod.ZoneError as exc:
            raise ApiError(400, "bad_zone", str(exc)) from exc
        return _json(zone.public())

    @app.delete("/zones/{zone_id}", response_model=Deleted, responses=WRITE_ERRORS,
                dependencies=[Depends(require_token)])
    def delete_zone(zone_id: ZoneId) -> Response:
        """Delete a zone with its alerts."""
        with database.write_lock:
            if not zones_mod.remove_zone(database.con.cursor(), zone_id):
                raise ApiError(404, "not_found", f"no zone {zone_id!r}")
        return _json({"deleted": zone_id})

    @app.get("/zones/{zone_id}/alerts", response_model=AlertList, responses=ERRORS)
    def zone_alerts(
        zone_id: ZoneId,
        since: Annotated[str | None, Query(max_length=40,
                                           description="Only alerts raised after this time")
                         ] = None,
        size: Annotated[int, Query(alias="_size", ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
    ) -> Response:
        """The zone's alerts, oldest first; poll with ``since`` = the last ``raised_at`` seen."""
        _zone_or_404(zone_id)
        moment = parse_time(since) if since else None
        alerts = zones_mod.list_alerts(database.con.cursor(), zone_id, moment, size)
        return _json({"alerts": alerts})

    return app


def _rows_by_id(database: Database, ids: list[str], column: str, keys: list[Any]
               ) -> list[dict[str, Any]]:
    """Full rows for a page of ids, in the page's order.

    The range of the page's sort values is given too, so the zone maps of a
    table stored roughly in that order skip most of it.
    """
    if not ids:
        return []
    where = f"event_id IN ({', '.join('?' * len(ids))})"
    params: list[Any] = list(ids)
    if column != "event_id" and all(k is not None for k in keys):
        where += f" AND {column} BETWEEN ? AND ?"
        params += [min(keys), max(keys)]
    columns = ", ".join(EVENT_COLUMNS)
    found = {r["event_id"]: r for r in database.rows(
        f"SELECT {columns} FROM events WHERE {where}", params)}
    return [_clean(found[i]) for i in ids if i in found]


# ---------------------------------------------------------------- formats


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


"""What every router shares: the database, errors, JSON answers, the token and page tokens.

One DuckDB file per app; each request reads through its own cursor. Every value from a
request reaches SQL as a bound parameter; column names come only from fixed tables.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from eventwire.serving import zones as zones_mod
from eventwire.serving.hygiene import bearer, next_url

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
    "place_precision", "sentence", "confidence", "fatalities", "fatalities_text", "salience",
    "n_mentions", "n_articles", "n_sources", "first_reported", "last_reported", "added_at",
    "updated_at", "deleted_at",
)
MENTION_COLUMNS = (
    "mention_id", "event_id", "doc_id", "sentence_index", "start_char", "end_char", "trigger",
    "sentence", "confidence", "date", "date_precision", "cameo", "cameo_root", "plover",
    "plover_mode", "quad_class", "goldstein", "source_text", "source_name", "source_code",
    "source_country", "source_agent", "target_text", "target_name", "target_code",
    "target_country", "target_agent", "place_name", "lat", "lon", "place_country", "admin1",
    "admin1_code", "admin2", "admin2_code", "geonameid", "place_precision", "fatalities",
    "fatalities_text", "salience", "coder", "added_at", "updated_at",
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


PLAIN = frozenset({str, int, bool, type(None)})
"""Types JSON takes as they are: most of a row, passed over without a call per value."""


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v if type(v) in PLAIN else _jsonable(v) for k, v in row.items()}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(content, status_code=status, media_type="application/json", headers=headers)


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



def get_database(request: Request) -> Database:
    """The app's database (a dependency, so routers need no global)."""
    database: Database = request.app.state.database
    return database


DB = Annotated[Database, Depends(get_database)]


def require_token(request: Request,
                  authorization: Annotated[str | None, Header()] = None) -> None:
    """Writes need the server's token, compared in constant time."""
    token: str | None = request.app.state.token
    if token is None:
        raise ApiError(403, "read_only", "this server is read-only: start it with a token")
    given = bearer(authorization) or ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "bad_token", "send Authorization: Bearer TOKEN")


def shared_pipeline(state: Any) -> Any:
    """The server's coding pipeline (``POST /articles`` and the spool), loaded on first use.

    Callers hold the database's ``write_lock`` while they code, so one pipeline serves both.
    """
    pipelines: list[Any] = state.pipelines
    if not pipelines:
        from eventwire.coding.pipeline import Pipeline

        pipelines.append(Pipeline())
    return pipelines[0]


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_params_only(request: Request) -> None:
    """A misspelt parameter (``contry=SYR``) is an error, not a filter silently ignored."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set(request.query_params) - _query_names(dependant))
    if unknown:
        raise ApiError(400, "unknown_parameter", f"unknown parameter: {', '.join(unknown)}; "
                       f"known: {', '.join(sorted(_query_names(dependant)))}")

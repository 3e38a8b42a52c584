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

import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwire import __version__
from eventwire.serving.api import articles, events, health, places, zones
from eventwire.serving.api.deps import (
    DEFAULT_QUERY_TIMEOUT,
    MAX_BODY_BYTES,
    ApiError,
    Database,
    _error,
    shared_pipeline,
)
from eventwire.serving.hygiene import install as install_hygiene
from eventwire.serving.spool import Spool

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


# ---------------------------------------------------------------- errors


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.code, exc.message)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    where = ", ".join(".".join(d["loc"]) for d in details[:3])
    return _error(400, "bad_request", f"invalid parameter: {where}", details)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return _error(exc.status_code, code, str(exc.detail))


async def _db_error(request: Request, exc: Exception) -> JSONResponse:
    return _error(503, "database_error", f"{type(exc).__name__}: {str(exc)[:200]}")


# ---------------------------------------------------------------- the app


def create_app(
    db: Path | str,
    token: str | None = None,
    query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    spool: Path | str | None = None,
    spool_every: float = 1.0,
    base_url: str | None = None,
) -> FastAPI:
    """The API over one DuckDB file: read-only without ``token``, writable with it.

    With ``spool``, the server also stores every file moved into that folder
    (:mod:`eventwire.serving.spool`): the file is this process's to write.
    """
    database = Database(Path(db), read_only=token is None and spool is None,
                        query_timeout=query_timeout)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if database.closed:  # an app served again after a shutdown
            database.open()
        drain = None
        if spool is not None:
            drain = Spool(Path(spool), database, lambda: shared_pipeline(app.state),
                          every=spool_every,
                          report=lambda line: print(line, file=sys.stderr))
            drain.start()
        app.state.spool = drain
        yield
        if drain is not None:
            drain.stop()
        database.close()

    app = FastAPI(
        title="eventwire",
        lifespan=lifespan,
        version=__version__,
        description="Coded political and conflict events: query, count, map, and watch zones.",
        docs_url=None, redoc_url=None,  # /docs comes from install(): offline, under a CSP
    )
    app.state.database = database
    app.state.token = token
    app.state.pipelines = []  # the coding pipeline, loaded by the first POST /articles
    app.add_middleware(BodyLimit)
    install_hygiene(app, base_url)
    from eventwire.serving.web import mount as mount_dashboard  # the page at / and /static
    mount_dashboard(app)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(duckdb.Error, _db_error)
    for module in (events, health, places, articles, zones):
        app.include_router(module.router)
    return app

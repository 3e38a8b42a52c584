"""What every HTTP answer carries and what every request value is checked against.

Kept apart from the routes so that one call, :func:`install`, adds it to an
app: ``X-Content-Type-Options: nosniff`` on every answer (errors too), the
interactive docs served from the installed ``swagger-ui-bundle`` package under
a Content-Security-Policy (never from a CDN, so they work offline), next-page
links built from the configured base URL, never from the request's ``Host``,
and the range checks a timestamp or number from a request passes before it
reaches SQL or Python's dates.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

DOCS_ASSETS = "/docs-assets"
# the widest a stored timestamp may be: DuckDB's TIMESTAMP and Python's datetime both hold it
EARLIEST = datetime(1, 1, 1)
LATEST = datetime(9999, 12, 31, 23, 59, 59)
LARGEST_NUMBER = 1e15  # no sort key, count or offset is anywhere near


class BadValue(ValueError):
    """A request value out of range; the message says which and why."""


def checked_time(moment: datetime) -> datetime:
    """``moment`` as a naive UTC datetime, refused when the shift to UTC leaves the calendar."""
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError as exc:
            raise BadValue("the time is out of range once moved to UTC") from exc
    if not EARLIEST <= moment <= LATEST:
        raise BadValue("the time is out of range")
    return moment


def checked_number(value: Any) -> float | int:
    """A number from a request (a page token's sort key): finite and of a sane size."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue("not a number")
    if isinstance(value, float) and not math.isfinite(value) or abs(value) > LARGEST_NUMBER:
        raise BadValue("the number is out of range")
    return value


def bearer(authorization: str | None) -> str | None:
    """The token of ``Authorization: Bearer TOKEN``; None for any other form (a bare token too)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def next_url(request: Request, token: str) -> str:
    """The next page's URL: the configured base (or none: a relative link) and this query."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "_next"]
    params.append(("_next", token))
    base = str(getattr(request.app.state, "base_url", None) or "").rstrip("/")
    return f"{base}{request.url.path}?{urlencode(params)}"


def _docs_page(openapi_url: str) -> tuple[str, str]:
    """The docs page and its Content-Security-Policy (the one inline script allowed by hash)."""
    page = bytes(get_swagger_ui_html(
        openapi_url=openapi_url, title="eventwire API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
    ).body).decode()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    ]
    policy = "; ".join([
        "default-src 'none'", f"script-src 'self' {' '.join(hashes)}".strip(),
        "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'",
        "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'",
    ])
    return page, policy


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` on every answer; a CSP where the route gave none."""

    def __init__(self, app: Any, policies: dict[str, str] | None = None) -> None:
        self.app, self.policies = app, policies or {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policies.get(scope.get("path", ""))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if policy and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = policy
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, base_url: str | None = None) -> None:
    """Headers, offline docs and the base for links; call once, after the app's own middleware."""
    import swagger_ui_bundle

    app.state.base_url = base_url
    page, policy = _docs_page(app.openapi_url or "/openapi.json")
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="docs-assets")

    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
    app.add_middleware(SecurityHeaders, policies={"/docs": policy})

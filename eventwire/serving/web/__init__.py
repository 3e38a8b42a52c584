"""The dashboard: the page at ``/`` and its bundled scripts, styles and outlines under ``/static``.

The bundle is built from npm packages by ``make web`` into ``eventwire/serving/web/dist`` (never
committed); this module only serves it, with headers that keep article text inert: a
Content-Security-Policy that allows no inline or foreign script, style, frame or connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).parent
DIST_DIR = WEB_DIR / "dist"
INDEX = WEB_DIR / "index.html"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>eventwire</title>
<body><h1>The dashboard is not built</h1>
<p>Run <code>make web</code> (or <code>make demo</code>) in the eventwire checkout: it installs the
front-end packages with npm and bundles them into <code>eventwire/serving/web/dist</code>.
The API itself works: see <a href="/docs">/docs</a>.</p></body></html>"""


def is_built() -> bool:
    """True when the bundle the page needs is on disk."""
    return (DIST_DIR / "app.js").is_file() and (DIST_DIR / "app.css").is_file()


class _SecuredStatic(StaticFiles):
    async def check_config(self) -> None:
        """An unbuilt bundle answers 404, not a server error."""
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


def index_response() -> Response:
    if not is_built():
        return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
    return HTMLResponse(
        INDEX.read_text(encoding="utf-8"),
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


def mount(app: Any) -> None:
    """Add the dashboard to a FastAPI (or Starlette) app: ``/`` and ``/static/...``."""
    app.add_api_route("/", index_response, methods=["GET"], include_in_schema=False)
    app.mount("/static", _SecuredStatic(directory=DIST_DIR, check_dir=False), name="static")

"""The dashboard's routes on the API app: the page, its bundle and the headers that guard them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eventwire.serving import web


def test_page_and_bundle_carry_the_security_headers() -> None:
    if not web.is_built():
        pytest.skip("the dashboard is not built (make web)")
    app = FastAPI()
    web.mount(app)
    client = TestClient(app)
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert script.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/world/countries-110m.json").json()["type"] == "Topology"
    assert client.get("/static/../__init__.py").status_code == 404


def test_an_unbuilt_dashboard_says_how_to_build_it(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setattr(web, "DIST_DIR", tmp_path / "dist")
    app = FastAPI()
    web.mount(app)
    page = TestClient(app).get("/")
    assert page.status_code == 503
    assert "make web" in page.text
    assert "content-security-policy" in page.headers


def test_the_lock_file_names_no_registry() -> None:
    lock = (Path(web.__file__).parents[3] / "package-lock.json").read_text()
    assert '"resolved"' not in lock and "://" not in lock

"""A real server process over a real DuckDB file, and Debian's Chromium driven by Playwright.

Used by the browser tests and by ``bench/dashboard.py``. The browser is the system one
(``/usr/bin/chromium``); Playwright never downloads one here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("EVENTWIRE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

SERVER = """
import sys, uvicorn
from eventwire.api import create_app
uvicorn.run(create_app(sys.argv[1], token=sys.argv[2] or None), host="127.0.0.1",
            port=int(sys.argv[3]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(db: Path, token: str | None = None) -> Iterator[str]:
    """Run the API with the dashboard in its own process; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(db), token or "", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"server did not start: {out[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile and no network beyond loopback."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="eventwire-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 900},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def open_dashboard(context: Any, base: str, *, width: int = 1400, height: int = 900,
                   offline: bool = True) -> Any:
    """A page at the dashboard, loaded and ready; requests off loopback are refused."""
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type in ("error", "warning")
            and page.problems.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    if offline:
        page.foreign = []  # type: ignore[attr-defined]

        def gate(route: Any) -> None:
            url = route.request.url
            if url.startswith(base) or url.startswith("data:"):
                route.continue_()
            else:
                page.foreign.append(url)
                route.abort()

        page.route("**/*", gate)
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    return page


def shoot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path

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

REPO = Path(__file__).resolve().parents[1]
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

EVENTWIRE = Path(sys.executable).parent / "eventwire"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(db: Path, token: str | None = None) -> Iterator[str]:
    """``eventwire serve`` in its own process; yields its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    if token:
        env["EVENTWIRE_TOKEN"] = token  # in the environment, not on a command line
    proc = subprocess.Popen(
        [str(EVENTWIRE), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
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


def multiply_events(db: Path, total: int, seed: float = 0.42) -> int:
    """Fill a stored file up to ``total`` events by copying its own placed events to other
    places and dates (deterministic), as a stand-in for a large archive in the map tests."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute("SELECT setseed(?)", [seed])
        have = int(con.execute("SELECT count(*) FROM events").fetchone()[0])  # type: ignore[index]
        changed = {
            "event_id": "'ev-many-' || r.i",
            "lat": "greatest(-60, least(70, t.lat + (random() - 0.5) * 24))",
            "lon": "((t.lon + (random() - 0.5) * 40 + 180) % 360) - 180",
            "date": "strftime(DATE '2016-01-01' + CAST(floor(random() * 3200) AS INTEGER),"
                    " '%Y-%m-%d')",
            "n_mentions": "1 + CAST(floor(random() * 6) AS INTEGER)",
        }
        columns = [row[0] for row in con.execute("DESCRIBE events").fetchall()]
        select = ", ".join(changed.get(c, f't."{c}"') for c in columns)
        con.execute(
            f"""
            INSERT INTO events ({", ".join(f'"{c}"' for c in columns)})
            SELECT {select}
            FROM (SELECT *, row_number() OVER (ORDER BY event_id) - 1 AS k
                  FROM events WHERE lat IS NOT NULL) t
            JOIN range(?) r(i)
              ON t.k = r.i % (SELECT count(*) FROM events WHERE lat IS NOT NULL)
            """,
            [max(0, total - have)],
        )
        return int(con.execute("SELECT count(*) FROM events").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


# Interaction latency measured inside the page: each step is timed from the call to the second
# animation frame after it (so layout and paint are included), then a fly-over counts frames.
MEASURE_JS = """
async ({rounds}) => {
  const d = window.eventwireDashboard;
  const m = d.leaflet;
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const timed = async (fn) => { const t = performance.now(); fn(); await frame();
                                return performance.now() - t; };
  const out = {pan: [], zoom: [], brush: [], filter: []};
  m.setView([30, 30], 3, {animate: false}); await frame();
  for (let i = 0; i < rounds; i++) {
    const step = [i % 2 ? -160 : 160, 80 * (i % 3 - 1)];
    out.pan.push(await timed(() => m.panBy(step, {animate: false})));
  }
  for (let i = 0; i < rounds; i++) {
    out.zoom.push(await timed(() => m.setZoom(i % 2 ? 3 : 5, {animate: false})));
  }
  const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023];
  for (let i = 0; i < rounds; i++) {
    const y = years[i % years.length];
    out.brush.push(await timed(() => d.brush(`${y}-01-01`, `${y + 1}-06-30`)));
  }
  const box = document.querySelector("input[name='f-type']");
  for (let i = 0; i < rounds; i++) {
    out.filter.push(await timed(() => { box.checked = !box.checked; d.refilter(); }));
  }
  if (box.checked) { box.checked = false; d.refilter(); }
  await frame();
  m.setView([30, 30], 3, {animate: false}); await frame();
  const gaps = [];
  let last = performance.now();
  let running = true;
  const tick = () => { const now = performance.now(); gaps.push(now - last); last = now;
                       if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const started = performance.now();
  m.flyTo([34, 38], 7, {duration: 2.0});
  await new Promise((r) => m.once("moveend", r));
  running = false;
  const seconds = (performance.now() - started) / 1000;
  out.fly = {frames: gaps.length, seconds, fps: gaps.length / seconds,
             worst_frame_ms: Math.max(...gaps)};
  out.events = d.state.all.length;
  out.drawn = d.drawn();
  return out;
}
"""


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5), 1), "p95_ms": round(pick(0.95), 1),
            "max_ms": round(ordered[-1], 1)}

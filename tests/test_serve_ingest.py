"""One store, many users: a real ``eventwire serve`` stores files dropped in its spool folder
and articles sent with ``POST /articles`` while clients keep reading, and an ``ingest``
against the file it holds says which process holds it."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_api_server import Server, eventwire
from test_kill import _corpus, _state

from eventwire.serving.spool import wait_drained

TOKEN = "a-token-for-the-spool-test"
POSTED = [
    {"id": "posted-1", "date": "2021-04-02", "source": "wire",
     "text": "Police fired tear gas at protesters in Nairobi on Friday, witnesses said."},
    {"id": "posted-2", "date": "2021-04-03", "source": "wire",
     "text": "Ugandan troops shelled rebel camps near Beni on Saturday, the army said."},
]


def _drop(spool: Path, name: str, records: list[dict[str, Any]]) -> None:
    """Write the way the spool asks: a hidden name first, renamed when complete."""
    part = spool / f".{name}"
    part.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    part.rename(spool / name)


class Reader:
    """A client reading events and health over and over on its own thread."""

    def __init__(self, base: str) -> None:
        self.base, self.statuses, self.counts = base, [], []  # type: ignore[var-annotated]
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop)
        self.thread.start()

    def _loop(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                health = client.get("/health")
                page = client.get("/events", params={"_size": 20})
                self.statuses += [health.status_code, page.status_code]
                if health.status_code == 200:
                    self.counts.append(health.json()["events"])

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(60)


@pytest.mark.slow
def test_serve_stores_the_spool_and_posts_while_clients_read(tmp_path: Path) -> None:
    db, spool = tmp_path / "team.duckdb", tmp_path / "spool"
    eventwire("ingest", "--db", str(db))  # an empty store at the current schema
    records = _corpus()
    server = Server(db, "--token", TOKEN, "--spool", str(spool))
    try:
        reader = Reader(server.base)
        for number in range(3):  # three deliveries of a third of the corpus each
            _drop(spool, f"batch-{number}.jsonl", records[number::3])
        posted = httpx.post(server.base + "/articles", json={"records": POSTED}, timeout=300,
                            headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert posted["stored"] == len(POSTED), posted
        assert wait_drained(spool, limit=300)
        _drop(spool, "again.jsonl", records[:6])  # delivered twice: stored once
        assert wait_drained(spool, limit=120)
        held = eventwire("ingest", str(spool / "done" / "again.jsonl"), "--db", str(db),
                         "--no-model", check=False)
        assert held.returncode == 2
        assert "[E030]" in held.stderr and "`eventwire serve`" in held.stderr
        assert f"pid {server.process.pid}" in held.stderr
        reader.stop()
    finally:
        server.stop()
    assert reader.statuses and set(reader.statuses) == {200}
    assert reader.counts == sorted(reader.counts), "readers see committed chunks, in order"
    assert sorted(p.name for p in (spool / "done").iterdir()) == [
        "again.jsonl", "batch-0.jsonl", "batch-1.jsonl", "batch-2.jsonl"]

    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(json.dumps(r) for r in [*records, *POSTED]) + "\n")
    eventwire("ingest", str(clean), "--db", str(tmp_path / "clean.duckdb"))
    assert _state(db) == _state(tmp_path / "clean.duckdb"), "nothing lost, nothing doubled"

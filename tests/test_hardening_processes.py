"""Killing the main process of ``--workers 2`` takes its workers down with it (a real kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

TEXT = ("Malian troops attacked rebels near Kidal on Monday, the army said, and at least ten "
        "fighters were killed in clashes that followed. Officials in Bamako condemned the "
        "attack number {n}.\n")


def _children(pid: int) -> list[int]:
    """Living processes whose parent is ``pid`` (zombies count as gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def test_killing_the_main_process_ends_its_workers(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(200):
        (inbox / f"a{n:03d}.txt").write_text(TEXT.format(n=n))
    main = subprocess.Popen(
        [sys.executable, "-m", "eventwire.cli", "ingest", str(inbox), "--db",
         str(tmp_path / "x.duckdb"), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and main.poll() is None:
            workers = _children(main.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the pool started its workers"
        time.sleep(1.0)  # the workers are loading their models or coding
        os.kill(main.pid, signal.SIGKILL)
        main.wait(30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        left = [w for w in workers if _alive(w)]
    finally:
        for pid in [main.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert left == [], "workers outlived their parent"

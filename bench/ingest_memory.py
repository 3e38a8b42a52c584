"""Memory of ``eventwire ingest --workers N``: the peak of all its processes together.

Runs a real ingest into a new file and samples every process of its tree twice a second:
the sum of their PSS (shared pages split between the processes that share them, so the
sum is what the machine gives) and of their RSS, and the parent's own RSS.

    .venv/bin/python bench/ingest_memory.py CORPUS.jsonl [--workers 2] [--limit 200]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        todo += [int(p) for p in text.split()]
    return found


def _kb(pid: int, path: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=200, help="articles of the corpus")
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as source:
            lines = [line for _, line in zip(range(args.limit), source, strict=False)]
        corpus.write_text("".join(lines), encoding="utf-8")
        command = [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db",
                   str(Path(tmp) / "m.duckdb"), "--workers", str(args.workers)]
        if args.no_model:
            command.append("--no-model")
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = {"pss_mb": 0.0, "rss_mb": 0.0, "parent_rss_mb": 0.0, "processes": 0}
        while process.poll() is None:
            pids = _children(process.pid)
            pss = sum(_kb(p, "smaps_rollup", "Pss") for p in pids) / 1024
            rss = sum(_kb(p, "status", "VmRSS") for p in pids) / 1024
            if pss > peak["pss_mb"]:
                peak.update(pss_mb=round(pss), rss_mb=round(rss), processes=len(pids))
            peak["parent_rss_mb"] = max(peak["parent_rss_mb"],
                                        round(_kb(process.pid, "status", "VmRSS") / 1024))
            time.sleep(0.5)
        _, err = process.communicate()
    print(json.dumps({"workers": args.workers, "articles": len(lines),
                      "seconds": round(time.perf_counter() - started, 1),
                      "exit": process.returncode, "summary": err.decode().strip()[-200:],
                      **peak}, indent=2))


if __name__ == "__main__":
    main()

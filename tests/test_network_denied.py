"""A real coding and a real ingest with the network denied: any lookup or connection fails the test.

Three layers, each used where this machine allows it:

* an audit hook installed by a ``sitecustomize`` in every Python process (the
  workers too) records and refuses every DNS lookup and every connection that
  is not a Unix socket, and records onnxruntime imported with its telemetry on;
* ``strace`` records the ``connect`` calls of native code (onnxruntime's
  telemetry is C++, which no Python hook sees);
* ``unshare -n`` runs the command in a network namespace with no way out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.data import SAMPLES_DIR

GUARD = '''
import os, socket, sys

_LOG = os.environ["EVENTWIRE_NETWORK_LOG"]
_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "socket.getnameinfo"}
_SENDS = {"socket.connect", "socket.sendto", "socket.sendmsg"}


def _note(line):
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {line}\\n")


def _hook(event, args):
    if event == "import" and args and args[0] == "onnxruntime":
        if os.environ.get("ORT_DISABLE_TELEMETRY") != "1":
            _note("onnxruntime imported with its telemetry on")
    elif event in _LOOKUPS:
        _note(f"{event} {args[0]!r}")
        raise OSError("network denied by the test")
    elif event in _SENDS and args and getattr(args[0], "family", None) != socket.AF_UNIX:
        _note(f"{event} {args[1:]!r}")
        raise OSError("network denied by the test")


sys.addaudithook(_hook)
'''


def _works(*command: str) -> bool:
    try:
        return subprocess.run([*command, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _guarded(tmp_path: Path, args: list[str], trace: Path) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "guard"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(GUARD)
    env = {**os.environ, "PYTHONPATH": str(site), "EVENTWIRE_NETWORK_LOG": str(
        tmp_path / "network.log")}
    env.pop("ORT_DISABLE_TELEMETRY", None)  # eventwire must set it itself
    prefix: list[str] = []
    if shutil.which("unshare") and _works("unshare", "-n"):
        prefix += ["unshare", "-n"]
    if shutil.which("strace") and _works("strace", "-f", "-qq", "-o", os.devnull):
        prefix += ["strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace)]
    command = [*prefix, sys.executable, "-m", "eventwire.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600,
                          cwd=tmp_path)


def _outward(trace: Path) -> list[str]:
    """Traced calls to an internet address (a Unix socket or a netlink query is not one)."""
    if not trace.exists():
        return []
    lines = trace.read_text(errors="replace").splitlines()
    return [line for line in lines if re.search(r"sa_family=AF_INET6?\b", line)]


def test_coding_and_ingest_make_no_lookup_and_no_connection(tmp_path: Path) -> None:
    if not SAMPLES_DIR.is_dir():
        pytest.skip("the samples are not installed")
    log = tmp_path / "network.log"
    coded = _guarded(tmp_path, ["code", str(SAMPLES_DIR), "--format", "jsonl"],
                     tmp_path / "code.trace")
    assert coded.returncode == 0, coded.stderr[-2000:]
    assert coded.stdout.count('"event_id"') > 0, "a real coding ran"
    stored = _guarded(tmp_path, ["ingest", str(SAMPLES_DIR), "--db", str(tmp_path / "x.duckdb"),
                                 "--workers", "2"], tmp_path / "ingest.trace")
    assert stored.returncode == 0, stored.stderr[-2000:]
    assert " stored" in stored.stderr
    noted = log.read_text() if log.exists() else ""
    assert noted == "", noted
    for trace in ("code.trace", "ingest.trace"):
        assert _outward(tmp_path / trace) == [], trace

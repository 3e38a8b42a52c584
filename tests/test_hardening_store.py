"""``--db`` never deletes, truncates or blocks on what is not its own database file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.records.errors import ErrorCode
from eventwire.store.database import Store, StoreError

runner = CliRunner()
IS_ROOT = os.geteuid() == 0


def _code(path: Path, read_only: bool = False) -> ErrorCode:
    with pytest.raises(StoreError) as failure:
        Store(path, read_only=read_only)
    assert "\n" not in str(failure.value)
    return failure.value.code


def _a_character_device(tmp_path: Path) -> Path:
    """A null device of our own where we may make one (so the old unlink harms nothing)."""
    if IS_ROOT:
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return device
    return Path("/dev/null")


def test_a_character_device_is_refused_and_left_in_place(tmp_path: Path) -> None:
    device = _a_character_device(tmp_path)
    assert _code(device) is ErrorCode.E042_DB_SPECIAL_FILE
    assert _code(device, read_only=True) is ErrorCode.E042_DB_SPECIAL_FILE
    assert stat.S_ISCHR(device.stat().st_mode), "the device is still a device"
    result = runner.invoke(app, ["ingest", "--db", str(device)])
    assert result.exit_code == 2 and result.stderr.startswith("[E042]")
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_fifo_as_db_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.duckdb"
    os.mkfifo(fifo)
    # in a child, so that a regression hangs that child, not the test run
    done = subprocess.run(
        [sys.executable, "-m", "eventwire.cli", "ingest", "--db", str(fifo)],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("[E042]"), done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_folders_and_missing_folders_have_their_own_codes(tmp_path: Path) -> None:
    assert _code(tmp_path) is ErrorCode.E043_DB_IS_FOLDER
    assert _code(tmp_path / "no" / "such" / "x.duckdb") is ErrorCode.E044_DB_NO_FOLDER
    assert not (tmp_path / "no").exists(), "no folder is made on the way"
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    assert _code(a_file / "x.duckdb") is ErrorCode.E044_DB_NO_FOLDER


def test_an_empty_file_is_replaced_only_when_it_is_ours_alone(tmp_path: Path) -> None:
    empty = tmp_path / "cut-short.duckdb"
    empty.touch()
    with Store(empty) as store:
        assert store.version() > 0  # a failed create's leftover is started afresh
    kept = tmp_path / "kept.txt"
    kept.touch()
    link = tmp_path / "second-name.duckdb"
    os.link(kept, link)  # an empty file with another name is somebody's
    assert _code(link) is ErrorCode.E033_DB_NOT_DUCKDB
    assert kept.exists() and link.exists()
    assert _code(kept, read_only=True) is ErrorCode.E033_DB_NOT_DUCKDB


def test_a_text_schema_version_is_a_coded_error(tmp_path: Path) -> None:
    db = tmp_path / "odd.duckdb"
    with Store(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE schema_info ALTER version TYPE VARCHAR")
    con.execute("INSERT INTO schema_info VALUES ('two', now())")
    con.close()
    assert _code(db) is ErrorCode.E045_DB_BAD_SCHEMA_INFO
    assert _code(db, read_only=True) is ErrorCode.E045_DB_BAD_SCHEMA_INFO
    result = runner.invoke(app, ["export", "--db", str(db)])
    assert result.exit_code == 2 and result.stderr.startswith("[E045]")
    assert "Traceback" not in result.output

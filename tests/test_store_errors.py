"""Store failures are one line with a stable code and a hint, never a traceback."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from eventkit import article, event
from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.records.errors import ErrorCode, InputError
from eventwire.store.database import Coded, Store, StoreError

runner = CliRunner()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _code(path: Path, read_only: bool = False) -> ErrorCode:
    with pytest.raises(StoreError) as failure:
        Store(path, read_only=read_only)
    message = str(failure.value)
    assert "\n" not in message and message.startswith(f"[{failure.value.code.value}]")
    return failure.value.code


def _small_store(path: Path) -> None:
    with Store(path) as store:
        store.add_article(article("a", "Troops attacked rebels near Kidal."), [event("a")], [])


def test_not_a_database_and_sqlite_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("just some notes, not a database at all\n")
    assert _code(text) is ErrorCode.E033_DB_NOT_DUCKDB
    assert _code(text, read_only=True) is ErrorCode.E033_DB_NOT_DUCKDB
    lite = tmp_path / "lite.db"
    sqlite3.connect(lite).execute("CREATE TABLE t (x)").connection.commit()
    assert _code(lite) is ErrorCode.E034_DB_SQLITE
    assert text.read_text().startswith("just some notes"), "a refused file is left untouched"
    result = runner.invoke(app, ["export", "--db", str(lite)])
    assert result.exit_code == 2 and result.stderr.startswith("[E034]")
    assert "Traceback" not in result.output


def test_no_extension_is_ever_loaded(tmp_path: Path) -> None:
    with Store(tmp_path / "x.duckdb") as store:
        settings = dict(store.con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    assert settings == {"autoload_known_extensions": "false",
                        "autoinstall_known_extensions": "false"}


def test_missing_database_for_a_reader(tmp_path: Path) -> None:
    assert _code(tmp_path / "none.duckdb", read_only=True) is ErrorCode.E037_DB_MISSING
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "[E037]" in result.stderr
    assert not (tmp_path / "none.duckdb").exists(), "a reader never creates the file"


def test_read_only_open_never_writes(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    _small_store(db)
    before = db.read_bytes()
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] == 1
        with pytest.raises(duckdb.Error):
            store.con.execute("CREATE TABLE t (x INTEGER)")
    assert db.read_bytes() == before
    assert not Path(str(db) + ".wal").exists()


def test_locked_by_another_process(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    _small_store(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom eventwire.store.database import Store\n"
         f"s = Store({str(db)!r})\nprint('open', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert _code(db) is ErrorCode.E030_DB_LOCKED
        assert _code(db, read_only=True) is ErrorCode.E030_DB_LOCKED
        result = runner.invoke(app, ["export", "--db", str(db)])
        assert result.exit_code == 2
        assert f"held by process {holder.pid} (python" in result.stderr  # who holds it
        assert "wait for it to finish" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True)


@pytest.mark.skipif(not IS_ROOT, reason="read-only and full disks are mounted as root")
def test_read_only_folder_and_file(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "16m") as mnt:
        _small_store(mnt / "x.duckdb")
        _remount(mnt, "ro")
        assert _code(mnt / "x.duckdb") is ErrorCode.E031_DB_READ_ONLY
        assert _code(mnt / "new.duckdb") is ErrorCode.E031_DB_READ_ONLY
        with Store(mnt / "x.duckdb", read_only=True) as store:  # export still reads it
            assert store.counts()["events"] == 1
        out = tmp_path / "out.jsonl"
        result = runner.invoke(app, ["export", "--db", str(mnt / "x.duckdb"), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert len(out.read_text().splitlines()) == 1


@pytest.mark.skipif(IS_ROOT, reason="root may write a file whatever its mode says")
def test_read_only_file_by_mode(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    _small_store(db)
    db.chmod(0o444)
    assert _code(db) is ErrorCode.E031_DB_READ_ONLY
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] == 1


def _batch(start: int, count: int) -> list[Coded]:
    filler = " ".join(f"word{n}" for n in range(400))
    return [Coded(article(f"d{n:05d}", f"Troops attacked rebels near Kidal. {n} {filler}"),
                  [event(f"d{n:05d}", k, date=f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                         sentence=f"Troops attacked rebels near Kidal {n}.")
                   for k in range(5)], []) for n in range(start, start + count)]


@pytest.mark.slow
@pytest.mark.skipif(not IS_ROOT, reason="a small tmpfs is mounted as root")
def test_full_disk_is_one_line_and_leaves_a_consistent_file(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "3m") as mnt:
        db = mnt / "x.duckdb"
        failure: StoreError | None = None
        stored = 0
        with Store(db) as store:
            for start in range(0, 20_000, 50):
                try:
                    store.add_batch(_batch(start, 50))
                except StoreError as exc:
                    failure = exc
                    break
                stored += 50
        assert failure is not None, "the disk never filled"
        assert failure.code is ErrorCode.E032_DB_DISK_FULL, str(failure)
        assert "no transaction is active" not in str(failure)
        _remount(mnt, "size=64m")
        with Store(db) as store:
            counts = store.counts()
            assert counts["articles"] >= stored
            mismatched = store.con.execute(
                "SELECT count(*) FROM articles a WHERE n_mentions <> "
                "(SELECT count(*) FROM mentions m WHERE m.doc_id = a.doc_id)").fetchall()
            assert mismatched == [(0,)]
            store.add_batch(_batch(0, stored + 100))  # a rerun completes the batch
            assert store.counts()["articles"] == stored + 100


def test_errors_table_does_not_grow_on_reruns(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as store:
        for _ in range(3):
            store.add_error(InputError("bad.jsonl:2", ErrorCode.E006_BAD_JSON, "line 2"))
        rows = store.con.execute("SELECT doc_id, code, first_seen <= last_seen FROM errors"
                                 ).fetchall()
    assert rows == [("bad.jsonl:2", "E006", True)]

"""Store: an embedded DuckDB file of articles, mentions, events, places and errors.

The schema (version 4, documented in ``docs/schema.md``) is a contract with
the HTTP API and the dashboard: columns may be added, never renamed.

- A *mention* is one record that ``eventwire code`` prints: one telling of an
  event in one article. An *event* is one real-world happening: the mentions
  that ``eventwire.store.dedup`` groups together, across articles and ingest runs.
- Each batch of articles is written in one transaction, so a crash or
  ``kill -9`` leaves all of an article or none of it; a rerun skips what is
  stored (same id, same text) and completes the rest. Everything derived
  (wire-copy groups, events and their counts) is a function of the stored
  articles alone, so a resumed run ends exactly where a clean run would.
- The wire-copy index (MinHash signatures) lives in the file too, so copies are
  found across runs.
- Every row says when it was added and last changed; an event whose mentions a
  re-ingest removed keeps its row with ``deleted_at`` set, so clients asking
  for changes since a time see deletions.
- Failures to open or write the file are one line with a stable code and a
  hint (:class:`StoreError`). DuckDB never loads or installs an extension.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from eventwire.records.errors import MESSAGES, ErrorCode, EventwireError, InputError
from eventwire.records.model import Article, Event, PlaceMention
from eventwire.store.articles import known_hashes, write
from eventwire.store.copygroups import CopyGroups
from eventwire.store.events import EventTable
from eventwire.store.paths import check_db_path, remove_empty
from eventwire.store.schema import (
    EVENT_FROM_MENTION,
    KEYS,
    NOT_NULL,
    SCHEMA_VERSION,
    TABLES,
    Coded,
    _now,
    mention_row,
    place_row,
    schema_sql,
    text_sha1,
)

__all__ = [
    "EVENT_FROM_MENTION", "KEYS", "NOT_NULL", "SCHEMA_VERSION", "TABLES", "Coded", "Store",
    "StoreError", "iter_rows", "mention_row", "open_store", "place_row", "schema_sql",
    "text_sha1",
]

HINTS = {
    ErrorCode.E030_DB_LOCKED: "wait for it to finish or use another --db; while `eventwire "
    "serve --token` holds it, send articles with POST /articles or drop files into its "
    "--spool folder",
    ErrorCode.E031_DB_READ_ONLY: "choose a writable --db path; export and serve can still read "
    "this file",
    ErrorCode.E032_DB_DISK_FULL: "free some space and rerun: every article stored before is kept",
    ErrorCode.E033_DB_NOT_DUCKDB: "point --db at a file eventwire wrote, or at a new path",
    ErrorCode.E034_DB_SQLITE: "eventwire stores in DuckDB; choose a new --db path",
    ErrorCode.E035_DB_NEWER_SCHEMA: "upgrade eventwire to read this file",
    ErrorCode.E036_DB_OLD_SCHEMA: "run `eventwire ingest --db FILE` once to migrate it in place",
    ErrorCode.E037_DB_MISSING: "run `eventwire ingest INPUT --db FILE` first",
    ErrorCode.E038_DB_FAILED: "the file is left as it was before this batch",
    ErrorCode.E042_DB_SPECIAL_FILE: "point --db at a regular file or a new path in a folder",
    ErrorCode.E043_DB_IS_FOLDER: "name a file inside the folder, e.g. FOLDER/events.duckdb",
    ErrorCode.E044_DB_NO_FOLDER: "create the folder first, or choose a path in one that exists",
    ErrorCode.E045_DB_BAD_SCHEMA_INFO: "the file was changed outside eventwire; use a new --db",
}
# no extension is ever loaded or fetched: the file is read with the core engine only
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False, "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
}
COMMANDS = ("serve", "ingest", "watch", "demo", "export", "zones", "alerts")
"""The commands that open a store, named when one of them holds the file."""


class StoreError(EventwireError):
    """A store failure: one line with a stable code, the path and what to do."""

    def __init__(self, code: ErrorCode, path: Path | str, detail: str = "") -> None:
        self.path = str(path)
        self.hint = HINTS.get(code, "")
        super().__init__(code, detail)
        self.args = (self.message,)

    @property
    def message(self) -> str:
        text = f"[{self.code.value}] {self.path}: {MESSAGES[self.code]}"
        if self.detail:
            text += f" ({self.detail})"
        return text + (f"; {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return self.message


def _classify(exc: BaseException) -> ErrorCode:
    """The stable code for a DuckDB or OS failure, read from its kind and message."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "no space left" in text:
        return ErrorCode.E032_DB_DISK_FULL
    if "could not set lock" in text or "conflicting lock" in text:
        return ErrorCode.E030_DB_LOCKED
    if ("permission denied" in text or "read-only file system" in text
            or "read only" in text and "attempting to" in text or isinstance(exc, PermissionError)):
        return ErrorCode.E031_DB_READ_ONLY
    if "not a valid duckdb database" in text or "not a duckdb" in text or "magic" in text:
        return ErrorCode.E033_DB_NOT_DUCKDB
    return ErrorCode.E038_DB_FAILED


def holder(message: str) -> str:
    """Which process holds a locked file, read from DuckDB's error ("... (PID 123)")."""
    match = re.search(r"\(PID (\d+)\)", message)
    if not match:
        return "held by another process"
    pid = match.group(1)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"held by process {pid}"  # another user's, or gone
    args = [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
    words = [Path(a).name if n == 0 else a for n, a in enumerate(args)]
    if "eventwire.cli" in words or any(w.endswith("eventwire") for w in words[:2]):
        command = next((w for w in words if w in COMMANDS), "")
        return f"held by `{('eventwire ' + command).strip()}` (pid {pid})"
    return f"held by process {pid} ({' '.join(' '.join(words).split())[:80]})"


def _short(exc: BaseException) -> str:
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return line[:160]


class Store:
    """A DuckDB file holding everything eventwire has coded.

    ``read_only=True`` opens the file without ever writing to it (exports, the API).
    """

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._check_file()
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=DUCKDB_CONFIG)
        except duckdb.Error as exc:
            raise self._error(exc) from None
        except OSError as exc:
            raise self._error(exc) from None
        self.copies = CopyGroups(self.con)
        self.events = EventTable(self.con)
        try:
            self._prepare()
        except BaseException:
            self.con.close()
            raise

    # -- opening ---------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> StoreError:
        code = _classify(exc)
        if code is ErrorCode.E038_DB_FAILED and not self.read_only:
            folder = self.path.parent if str(self.path.parent) else Path(".")
            if not os.access(folder, os.W_OK) or (self.path.exists()
                                                 and not os.access(self.path, os.W_OK)):
                code = ErrorCode.E031_DB_READ_ONLY
        if code is ErrorCode.E030_DB_LOCKED:
            return StoreError(code, self.path, holder(str(exc)))
        return StoreError(code, self.path, "" if code is not ErrorCode.E038_DB_FAILED
                          else _short(exc))

    def _check_file(self) -> None:
        """Refuse what is not a database file before DuckDB or ``open`` touches it."""
        verdict = check_db_path(self.path, self.read_only)
        if verdict.problem is not None:
            raise StoreError(verdict.problem.code, self.path, verdict.problem.detail)
        if verdict.replace_empty:
            remove_empty(self.path)  # an empty file is what a failed create leaves; start afresh

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, the result read to its end (DuckDB wants it finished)."""
        rows = self.con.execute(sql, list(params)).fetchall()
        return rows[0] if rows else None

    def _tables(self) -> set[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return {r[0] for r in rows}

    def version(self) -> int:
        """The schema version of the file: 0 empty, 1 the first layout, 2 before admin codes
        and fatalities, 3 before dates were DATE, 4 this one."""
        tables = self._tables()
        if "schema_info" in tables:
            try:
                row = self.one("SELECT max(TRY_CAST(version AS BIGINT)), count(version) - "
                               "count(TRY_CAST(version AS BIGINT)) FROM schema_info")
            except duckdb.Error as exc:
                raise StoreError(ErrorCode.E045_DB_BAD_SCHEMA_INFO, self.path, _short(exc)
                                 ) from None
            if row and row[1]:
                raise StoreError(ErrorCode.E045_DB_BAD_SCHEMA_INFO, self.path)
            return int(row[0]) if row and row[0] is not None else 0
        if "events" in tables:
            return 1
        return 0

    def _prepare(self) -> None:
        version = self.version()
        if version > SCHEMA_VERSION:
            raise StoreError(ErrorCode.E035_DB_NEWER_SCHEMA, self.path,
                             f"schema v{version}, this eventwire reads up to v{SCHEMA_VERSION}")
        if self.read_only:
            if version < SCHEMA_VERSION:
                code = ErrorCode.E036_DB_OLD_SCHEMA if version else ErrorCode.E037_DB_MISSING
                raise StoreError(code, self.path, f"schema v{version}" if version else "")
            return
        if version < SCHEMA_VERSION:
            self._upgrade(version)
        self.events.ensure_index()

    def _upgrade(self, version: int) -> None:
        with self._transaction():
            # DuckDB alters no table an index depends on: the event index is made again after
            self.events.drop_index()
            if version == 1:
                from eventwire.store.migrations import migrate_v1

                migrate_v1(self.con, schema_sql(), _now())
                self.events.recluster_all()
            elif version in (2, 3):
                from eventwire.store.migrations import migrate_v2, migrate_v3

                if version == 2:
                    migrate_v2(self.con)
                migrate_v3(self.con)
            else:
                self.con.execute(schema_sql())
            self.con.execute("INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, _now()])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One atomic write; a failure rolls back and is raised as a :class:`StoreError`."""
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
        except (duckdb.Error, OSError) as exc:
            raise self._error(exc) from None
        try:
            yield
            con.execute("COMMIT")
        except BaseException as exc:
            # after a failed write DuckDB may already have ended the transaction (a full disk
            # says "cannot rollback - no transaction is active"): the first error is the one
            # to report, never the rollback's
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            self.copies.reset()  # rebuilt from what the file holds
            if isinstance(exc, (duckdb.Error, OSError)) and not isinstance(exc, StoreError):
                raise self._error(exc) from None
            raise

    # -- writing ---------------------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        return known_hashes(self.con, [article.doc_id]).get(article.doc_id) == text_sha1(article)

    def add_article(
        self,
        article: Article,
        events: list[Event],
        places: list[PlaceMention],
        wire_copy_of: str | None = None,
    ) -> bool:
        """Store one article with its events and places; False if it was already stored.

        ``wire_copy_of`` names an earlier article this one nearly repeats; when it is
        not given the store finds copies itself in its own wire-copy index.
        """
        return self.add_batch([Coded(article, events, places, wire_copy_of)])[0]

    def add_batch(self, batch: Sequence[Coded]) -> list[bool]:
        """Store many articles in one transaction; for each, whether it was new or changed."""
        stored = [False] * len(batch)
        seen: set[str] = set()
        fresh: list[Coded] = []
        known = known_hashes(self.con, [c.article.doc_id for c in batch])
        for number, item in enumerate(batch):
            doc_id, digest = item.article.doc_id, text_sha1(item.article)
            if known.get(doc_id) == digest or doc_id in seen:
                continue
            seen.add(doc_id)
            stored[number] = True
            fresh.append(item)
        if not fresh:
            return stored
        with self._transaction():
            replaced = [c.article.doc_id for c in fresh if c.article.doc_id in known]
            write(self.con, self.copies, self.events, fresh, replaced)
        return stored

    def add_error(self, error: InputError) -> None:
        """Record a failed input once per (doc_id, code); a rerun only moves ``last_seen``."""
        now = _now()
        with self._transaction():
            self.con.execute(
                "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id, code) DO "
                "UPDATE SET reason = excluded.reason, detail = excluded.detail, "
                "last_seen = excluded.last_seen",
                [error.doc_id, error.code.value, error.to_dict()["reason"], error.detail, now,
                 now])

    # -- reading ---------------------------------------------------------------------------

    def is_wire_copy(self, doc_id: str) -> bool:
        """Whether the article shares a wire story with another stored article."""
        row = self.one("SELECT count(*) FROM articles WHERE copy_group = "
                       "(SELECT copy_group FROM articles WHERE doc_id = ?)", [doc_id])
        return bool(row and row[0] > 1)

    def wire_copies_among(self, doc_ids: list[str]) -> int:
        """How many of these articles repeat another stored article's wire story."""
        if not doc_ids:
            return 0
        row = self.one("SELECT count(*) FROM articles WHERE doc_id IN (SELECT unnest(?)) "
                       "AND wire_copy_of IS NOT NULL", [doc_ids])
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ("articles", "mentions", "events", "places", "errors"):
            where = " WHERE deleted_at IS NULL" if table == "events" else ""
            row = self.one(f"SELECT count(*) FROM {table}{where}")
            out[table] = int(row[0]) if row else 0
        return out

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Mention records as ``eventwire code`` prints them, ordered by article and id."""
        cursor = self.con.execute("SELECT record FROM mentions ORDER BY doc_id, mention_id")
        while rows := cursor.fetchmany(1000):
            for (record,) in rows:
                yield json.loads(record)


def open_store(path: Path | str, read_only: bool = False, wait: float = 0.0) -> Store:
    """Open a store, retrying for up to ``wait`` seconds while another process holds it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return Store(path, read_only=read_only)
        except StoreError as exc:
            if exc.code is not ErrorCode.E030_DB_LOCKED or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def iter_rows(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable[Any] = ()
              ) -> Iterator[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(1000):
        for values in rows:
            yield dict(zip(names, values, strict=True))


"""Store: an embedded DuckDB file of articles, mentions, events, places and errors.

The schema (version 2, documented in ``docs/schema.md``) is a contract with
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
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.records.errors import MESSAGES, ErrorCode, EventwireError, InputError
from eventwire.records.model import Article, Event, PlaceMention
from eventwire.store.dedup import Mention, cluster, date_window, family_of
from eventwire.store.migrations import ADMIN_COLUMNS, admin_values
from eventwire.store.paths import check_db_path, remove_empty
from eventwire.store.wirecopies import WireCopyIndex, signature_bytes, signature_from_bytes

SCHEMA_VERSION = 3

# column name -> DuckDB type, in table order; docs/schema.md is checked against these
TABLES: dict[str, dict[str, str]] = {
    "schema_info": {"version": "INTEGER", "migrated_at": "TIMESTAMP"},
    "articles": {
        "doc_id": "VARCHAR", "title": "VARCHAR", "published": "VARCHAR", "url": "VARCHAR",
        "source": "VARCHAR", "language": "VARCHAR", "text_sha1": "VARCHAR",
        "wire_copy_of": "VARCHAR", "n_mentions": "INTEGER", "added_at": "TIMESTAMP",
        "updated_at": "TIMESTAMP", "copy_group": "VARCHAR",
    },
    "mentions": {
        "mention_id": "VARCHAR", "event_id": "VARCHAR", "doc_id": "VARCHAR",
        "sentence_index": "INTEGER", "start_char": "INTEGER", "end_char": "INTEGER",
        "trigger": "VARCHAR", "sentence": "VARCHAR", "confidence": "DOUBLE", "date": "VARCHAR",
        "date_precision": "VARCHAR", "cameo": "VARCHAR", "cameo_root": "VARCHAR",
        "plover": "VARCHAR", "plover_mode": "VARCHAR", "quad_class": "INTEGER",
        "goldstein": "DOUBLE", "source_text": "VARCHAR", "source_name": "VARCHAR",
        "source_code": "VARCHAR", "source_country": "VARCHAR", "source_agent": "VARCHAR",
        "target_text": "VARCHAR", "target_name": "VARCHAR", "target_code": "VARCHAR",
        "target_country": "VARCHAR", "target_agent": "VARCHAR", "place_name": "VARCHAR",
        "lat": "DOUBLE", "lon": "DOUBLE", "place_country": "VARCHAR", "admin1": "VARCHAR",
        "geonameid": "BIGINT", "place_precision": "VARCHAR", "coder": "VARCHAR",
        "record": "JSON", "added_at": "TIMESTAMP", "updated_at": "TIMESTAMP",
        "source_backer": "VARCHAR", "target_backer": "VARCHAR", "feature": "VARCHAR",
        "family": "VARCHAR", "day_lo": "DATE", "day_hi": "DATE",
        **ADMIN_COLUMNS,
    },
    "events": {
        "event_id": "VARCHAR", "date": "VARCHAR", "date_precision": "VARCHAR",
        "cameo": "VARCHAR", "cameo_root": "VARCHAR", "plover": "VARCHAR",
        "plover_mode": "VARCHAR", "quad_class": "INTEGER", "goldstein": "DOUBLE",
        "source_name": "VARCHAR", "source_code": "VARCHAR", "source_country": "VARCHAR",
        "source_agent": "VARCHAR", "target_name": "VARCHAR", "target_code": "VARCHAR",
        "target_country": "VARCHAR", "target_agent": "VARCHAR", "place_name": "VARCHAR",
        "lat": "DOUBLE", "lon": "DOUBLE", "place_country": "VARCHAR", "admin1": "VARCHAR",
        "geonameid": "BIGINT", "place_precision": "VARCHAR", "sentence": "VARCHAR",
        "confidence": "DOUBLE", "n_mentions": "INTEGER", "n_articles": "INTEGER",
        "n_sources": "INTEGER", "first_reported": "VARCHAR", "last_reported": "VARCHAR",
        "added_at": "TIMESTAMP", "updated_at": "TIMESTAMP", "deleted_at": "TIMESTAMP",
        "merged_into": "VARCHAR", "anchor_mention_id": "VARCHAR", "n_outlets": "INTEGER",
        "feature": "VARCHAR", "source_text": "VARCHAR", "target_text": "VARCHAR",
        "source_backer": "VARCHAR", "target_backer": "VARCHAR", "doc_id": "VARCHAR",
        "trigger": "VARCHAR", "coder": "VARCHAR",
        **ADMIN_COLUMNS,
    },
    "places": {
        "doc_id": "VARCHAR", "start_char": "INTEGER", "end_char": "INTEGER",
        "mention": "VARCHAR", "name": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE",
        "country": "VARCHAR", "admin1": "VARCHAR", "geonameid": "BIGINT", "feature": "VARCHAR",
        "confidence": "DOUBLE", "added_at": "TIMESTAMP",
        **ADMIN_COLUMNS,
    },
    "errors": {
        "doc_id": "VARCHAR", "code": "VARCHAR", "reason": "VARCHAR", "detail": "VARCHAR",
        "first_seen": "TIMESTAMP", "last_seen": "TIMESTAMP",
    },
    "wire_signatures": {"doc_id": "VARCHAR", "signature": "BLOB"},
}
KEYS = {
    "articles": "PRIMARY KEY (doc_id)",
    "mentions": "PRIMARY KEY (mention_id)",
    "events": "PRIMARY KEY (event_id)",
    "places": "PRIMARY KEY (doc_id, start_char, end_char)",
    "errors": "PRIMARY KEY (doc_id, code)",
    "wire_signatures": "PRIMARY KEY (doc_id)",
}
NOT_NULL = {"articles": {"text_sha1", "n_mentions", "added_at", "updated_at"},
            "mentions": {"doc_id", "cameo", "record", "added_at", "updated_at"},
            "events": {"n_mentions", "added_at", "updated_at"}}
# event columns copied from its most confident mention
EVENT_FROM_MENTION = [
    "date", "date_precision", "cameo", "cameo_root", "plover", "plover_mode", "quad_class",
    "goldstein", "source_name", "source_code", "source_country", "source_agent", "target_name",
    "target_code", "target_country", "target_agent", "place_name", "lat", "lon",
    "place_country", "admin1", "geonameid", "place_precision", "sentence", "confidence",
    "feature", "source_text", "target_text", "source_backer", "target_backer", "doc_id",
    "trigger", "coder", *ADMIN_COLUMNS,
]
HINTS = {
    ErrorCode.E030_DB_LOCKED: "another eventwire ingest holds this file; wait for it to finish "
    "or use another --db",
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


def _short(exc: BaseException) -> str:
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return line[:160]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def text_sha1(article: Article) -> str:
    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()


def _ddl(table: str) -> str:
    required = NOT_NULL.get(table, set())
    columns = [f"{name} {kind}" + (" NOT NULL" if name in required else "")
               for name, kind in TABLES[table].items()]
    if table in KEYS:
        columns.append(KEYS[table])
    return f"CREATE TABLE IF NOT EXISTS {table} (\n    " + ",\n    ".join(columns) + "\n)"


def schema_sql() -> str:
    return ";\n".join(_ddl(table) for table in TABLES) + ";"


def mention_row(event: Event) -> dict[str, Any]:
    """The ``mentions`` columns of one coded event (event_id and timestamps come later)."""
    src, tgt, loc, ev = event.source, event.target, event.location, event.evidence
    window = date_window(event.date, event.date_precision)
    return {
        "mention_id": event.event_id, "doc_id": event.doc_id,
        "sentence_index": ev.sentence_index, "start_char": ev.start, "end_char": ev.end,
        "trigger": ev.trigger, "sentence": ev.sentence, "confidence": round(event.confidence, 3),
        "date": event.date, "date_precision": event.date_precision, "cameo": event.cameo,
        "cameo_root": event.cameo_root, "plover": event.plover, "plover_mode": event.plover_mode,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "source_text": src.text if src else None, "source_name": src.name if src else None,
        "source_code": src.code if src else None, "source_country": src.country if src else None,
        "source_agent": src.agent if src else None,
        "target_text": tgt.text if tgt else None, "target_name": tgt.name if tgt else None,
        "target_code": tgt.code if tgt else None, "target_country": tgt.country if tgt else None,
        "target_agent": tgt.agent if tgt else None,
        "place_name": loc.name if loc else None, "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None, "place_country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "geonameid": loc.geonameid if loc else None,
        "place_precision": event.location_precision, "coder": event.coder,
        "record": json.dumps(event.to_dict(), ensure_ascii=False),
        "source_backer": src.backer if src else None, "target_backer": tgt.backer if tgt else None,
        "feature": loc.feature if loc else None, "family": family_of(event.cameo_root),
        "day_lo": window[0] if window else None, "day_hi": window[1] if window else None,
        **admin_values(loc),
    }


def place_row(mention: PlaceMention) -> dict[str, Any]:
    place = mention.place
    return {
        "doc_id": mention.doc_id, "start_char": mention.start, "end_char": mention.end,
        "mention": mention.text, "name": place.name if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "country": place.country if place else None, "admin1": place.admin1 if place else None,
        "geonameid": place.geonameid if place else None,
        "feature": place.feature if place else None, "confidence": mention.confidence,
        **admin_values(place),
    }


def _arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with the store's column order (missing columns are NULL)."""
    columns = TABLES[table]
    data = {name: [row.get(name) for row in rows] for name in columns}
    return pa.table(data)


@dataclass
class Coded:
    """One article with what the pipeline coded from it, ready to store."""

    article: Article
    events: list[Event]
    places: list[PlaceMention]
    wire_copy_of: str | None = None


class Store:
    """A DuckDB file holding everything eventwire has coded.

    ``read_only=True`` opens the file without ever writing to it (exports, the API).
    """

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._copies: WireCopyIndex | None = None
        self._pending_groups: dict[str, set[str]] = {}
        self._merged: dict[str, str] = {}
        self._check_file()
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=DUCKDB_CONFIG)
        except duckdb.Error as exc:
            raise self._error(exc) from None
        except OSError as exc:
            raise self._error(exc) from None
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
        """The schema version of the file: 0 empty, 1 the first layout, 2 before admin codes,
        3 this one."""
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
        if version == SCHEMA_VERSION:
            return
        with self._transaction():
            if version == 1:
                from eventwire.store.migrations import migrate_v1

                migrate_v1(self.con, schema_sql(), _now())
                self._recluster_all()
            elif version == 2:
                from eventwire.store.migrations import migrate_v2

                migrate_v2(self.con)
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
            self._copies = None  # rebuilt from what the file holds
            if isinstance(exc, (duckdb.Error, OSError)) and not isinstance(exc, StoreError):
                raise self._error(exc) from None
            raise

    # -- writing ---------------------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        row = self.one("SELECT text_sha1 FROM articles WHERE doc_id = ?", [article.doc_id])
        return row is not None and row[0] == text_sha1(article)

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
        known = self._known_hashes([c.article.doc_id for c in batch])
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
            self._write(fresh, replaced=[c.article.doc_id for c in fresh
                                         if c.article.doc_id in known])
        return stored

    def _known_hashes(self, doc_ids: list[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        rows = self.con.execute(
            "SELECT doc_id, text_sha1 FROM articles WHERE doc_id IN (SELECT unnest(?))",
            [doc_ids],
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def _write(self, batch: list[Coded], replaced: list[str]) -> None:
        con, now = self.con, _now()
        touched_events: set[str] = set()
        old_added: dict[str, datetime] = {}
        groups_before: set[str] = set()
        if replaced:
            touched_events |= {r[0] for r in con.execute(
                "SELECT DISTINCT event_id FROM mentions WHERE doc_id IN (SELECT unnest(?)) "
                "AND event_id IS NOT NULL", [replaced]).fetchall()}
            groups_before = {r[0] for r in con.execute(
                "SELECT DISTINCT copy_group FROM articles WHERE doc_id IN (SELECT unnest(?))",
                [replaced]).fetchall()}
            old_added = dict(con.execute(
                "SELECT doc_id, added_at FROM articles WHERE doc_id IN (SELECT unnest(?))",
                [replaced]).fetchall())
            for table in ("mentions", "places", "articles"):
                con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [replaced])
        groups_changed = self._wire_copies(batch, replaced) | groups_before

        mentions = []
        for item in batch:
            for event in item.events:
                row = mention_row(event)
                row.update(added_at=now, updated_at=now)
                mentions.append(row)
        unique_mentions = list({m["mention_id"]: m for m in mentions}.values())
        place_rows = list({(p["doc_id"], p["start_char"], p["end_char"]): p for p in
                           (dict(place_row(p), added_at=now)
                            for item in batch for p in item.places)}.values())
        per_doc: dict[str, int] = {}
        for m in unique_mentions:
            per_doc[m["doc_id"]] = per_doc.get(m["doc_id"], 0) + 1
        articles = []
        for item in batch:
            a = item.article
            articles.append({
                "doc_id": a.doc_id, "title": a.title, "published": a.published, "url": a.url,
                "source": a.source, "language": a.language, "text_sha1": text_sha1(a),
                "wire_copy_of": None, "n_mentions": per_doc.get(a.doc_id, 0),
                "added_at": old_added.get(a.doc_id, now), "updated_at": now,
                "copy_group": a.doc_id,
            })
        self._insert("articles", articles)
        self._insert("places", place_rows)
        self._insert("mentions", unique_mentions)
        self._apply_copy_groups(batch, now)
        published = {c.article.doc_id: c.article.published for c in batch}
        new = [Mention.from_row(m, published.get(m["doc_id"])) for m in unique_mentions]
        touched_events |= self._recluster(new, touched_events)
        if groups_changed:
            touched_events |= {r[0] for r in con.execute(
                "SELECT DISTINCT m.event_id FROM mentions m JOIN articles a USING (doc_id) "
                "WHERE a.copy_group IN (SELECT unnest(?)) AND m.event_id IS NOT NULL",
                [sorted(groups_changed)]).fetchall()}
        self._refresh_events(touched_events, now)

    def _insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        self.con.register("_incoming", _arrow(table, rows))
        try:
            names = ", ".join(TABLES[table])
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    # -- wire copies -----------------------------------------------------------------------

    def _wire_index(self) -> WireCopyIndex:
        if self._copies is None:
            index = WireCopyIndex()
            rows = self.con.execute(
                "SELECT doc_id, signature FROM wire_signatures ORDER BY doc_id").fetchall()
            for doc_id, blob in rows:
                index.insert(doc_id, signature_from_bytes(blob) if blob else None)
            self._copies = index
        return self._copies

    def _wire_copies(self, batch: list[Coded], replaced: list[str]) -> set[str]:
        """Index the batch's texts and note which stored articles each repeats."""
        index = self._wire_index()
        changed: set[str] = set()
        self._pending_groups = {}
        for doc_id in replaced:
            index.remove(doc_id)
        if replaced:
            self.con.execute("DELETE FROM wire_signatures WHERE doc_id IN (SELECT unnest(?))",
                             [replaced])
        rows = []
        for item in batch:
            doc_id = item.article.doc_id
            signature = index.signature(item.article.body or item.article.text)
            linked = {d for d, _ in index.copies(signature) if d != doc_id}
            if item.wire_copy_of:
                linked.add(item.wire_copy_of)
            index.insert(doc_id, signature)
            self._pending_groups[doc_id] = linked
            rows.append({"doc_id": doc_id,
                         "signature": signature_bytes(signature) if signature is not None
                         else None})
        self._insert("wire_signatures", rows)
        return changed

    def _apply_copy_groups(self, batch: list[Coded], now: datetime) -> None:
        """Join each new article to the copy groups of the articles it repeats.

        A group's canonical article (the one the others are copies of) is the first
        published, then the smallest id, so the groups and flags do not depend on the
        order articles arrived in.
        """
        con = self.con
        for item in batch:
            doc_id = item.article.doc_id
            linked = self._pending_groups.get(doc_id, set())
            if not linked:
                continue
            groups = {r[0] for r in con.execute(
                "SELECT copy_group FROM articles WHERE doc_id IN (SELECT unnest(?))",
                [sorted(linked | {doc_id})]).fetchall()}
            members = con.execute(
                "SELECT doc_id, coalesce(published, '9999') FROM articles "
                "WHERE copy_group IN (SELECT unnest(?)) OR doc_id = ?",
                [sorted(groups), doc_id]).fetchall()
            canonical = min(members, key=lambda r: (r[1][:10], r[0]))[0]
            con.execute(
                "UPDATE articles SET copy_group = ?, wire_copy_of = CASE WHEN doc_id = ? THEN "
                "NULL ELSE ? END, updated_at = ? WHERE doc_id IN (SELECT unnest(?)) AND "
                "(copy_group IS DISTINCT FROM ? OR wire_copy_of IS DISTINCT FROM "
                "CASE WHEN doc_id = ? THEN NULL ELSE ? END)",
                [canonical, canonical, canonical, now, [m[0] for m in members], canonical,
                 canonical, canonical])

    # -- events ----------------------------------------------------------------------------

    def _mentions(self, where: str, params: list[Any]) -> list[Mention]:
        cursor = self.con.execute(
            "SELECT m.mention_id, m.doc_id, m.event_id, m.family, m.cameo_root, m.date, "
            "m.date_precision, m.source_code, m.source_country, m.source_agent, m.target_code, "
            "m.target_country, m.target_agent, m.lat, m.lon, m.place_country, "
            "m.place_precision, m.sentence, m.source_text, m.target_text, m.place_name, "
            "a.published FROM mentions m "
            f"JOIN articles a USING (doc_id) WHERE {where}", params)
        names = [d[0] for d in cursor.description]
        out = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            out.append(Mention.from_row(row, row["published"]))
        return out

    def _recluster(self, new: list[Mention], broken: set[str]) -> set[str]:
        """Assign events to new mentions and regroup events that lost a mention.

        Returns every event id whose membership may have changed.
        """
        con = self.con
        loose = (self._mentions("m.event_id IN (SELECT unnest(?))", [sorted(broken)])
                 if broken else [])
        # stored mentions that could match a new one (same family, overlapping days), and the
        # anchors of their events: the anchor is each event's first report, so the first of a
        # merged group is among them. Other members need not be read: they move with their event.
        keys = {(m.family, m.window) for m in new}
        settled: list[Mention] = []
        if keys:
            con.register("_ranges", pa.table({
                "family": [k[0] for k in keys],
                "lo": [k[1][0] if k[1] else None for k in keys],
                "hi": [k[1][1] if k[1] else None for k in keys],
            }))
            try:
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE _near AS SELECT DISTINCT m.mention_id, "
                    "m.event_id FROM mentions m JOIN _ranges r ON m.family = r.family AND "
                    "((m.day_lo <= r.hi AND m.day_hi >= r.lo) OR (m.day_lo IS NULL AND r.lo IS "
                    "NULL)) WHERE m.event_id IS NOT NULL AND m.event_id NOT IN "
                    "(SELECT unnest(?::VARCHAR[]))", [sorted(broken)])
            finally:
                con.unregister("_ranges")
            settled = self._mentions(
                "m.mention_id IN (SELECT mention_id FROM _near UNION SELECT anchor_mention_id "
                "FROM events WHERE event_id IN (SELECT event_id FROM _near))", [])
            con.execute("DROP TABLE _near")
        events = cluster(new, settled, loose)
        settled_ids = {m.mention_id for m in settled}
        moved: dict[str, str] = {}  # settled event -> the event it now belongs to
        updates = []
        for event_id, members in events.items():
            for mention in members:
                if mention.event_id == event_id:
                    continue
                if mention.mention_id in settled_ids:
                    moved[str(mention.event_id)] = event_id
                else:
                    updates.append((mention.mention_id, event_id))
        if updates:
            con.register("_assign", pa.table({"mention_id": [u[0] for u in updates],
                                              "event_id": [u[1] for u in updates]}))
            try:
                con.execute("UPDATE mentions SET event_id = _assign.event_id FROM _assign "
                            "WHERE mentions.mention_id = _assign.mention_id")
            finally:
                con.unregister("_assign")
        if moved:
            con.register("_moved", pa.table({"old": list(moved), "new": list(moved.values())}))
            try:
                con.execute("UPDATE mentions SET event_id = _moved.new FROM _moved "
                            "WHERE mentions.event_id = _moved.old")
            finally:
                con.unregister("_moved")
        old_ids = {m.event_id for m in [*settled, *loose] if m.event_id}
        self._merged = {old: new_id for new_id, members in events.items()
                        for old in {m.event_id for m in members if m.event_id}
                        if old != new_id}
        return set(events) | old_ids | broken

    def _recluster_all(self) -> None:
        rows = self.con.execute("SELECT mention_id FROM mentions ORDER BY mention_id").fetchall()
        ids = [r[0] for r in rows]
        new = self._mentions("m.mention_id IN (SELECT unnest(?))", [ids]) if ids else []
        touched = self._recluster(new, set())
        self._refresh_events(touched, _now())

    def _refresh_events(self, event_ids: set[str], now: datetime) -> None:
        """Recompute the rows of ``event_ids`` from their mentions; flag emptied ones deleted."""
        if not event_ids:
            return
        con = self.con
        ids = sorted(event_ids)
        picked = ", ".join(f"b.{c}" for c in EVENT_FROM_MENTION)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _fresh AS "
            "WITH m AS (SELECT m.*, a.published, a.source AS outlet, "
            "coalesce(a.copy_group, a.doc_id) AS copy_group FROM mentions m "
            "JOIN articles a USING (doc_id) WHERE m.event_id IN (SELECT unnest(?))), "
            "best AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY "
            "confidence DESC NULLS LAST, mention_id) AS rank FROM m) WHERE rank = 1), "
            "anchor AS (SELECT * FROM (SELECT event_id, mention_id, row_number() OVER "
            "(PARTITION BY event_id ORDER BY coalesce(left(published, 10), '9999'), mention_id) "
            "AS rank FROM m) WHERE rank = 1), "
            "stats AS (SELECT event_id, count(*) AS n_mentions, count(DISTINCT doc_id) AS "
            "n_articles, count(DISTINCT copy_group) AS n_sources, count(DISTINCT "
            "coalesce(outlet, copy_group)) AS n_outlets, min(published) AS first_reported, "
            "max(published) AS last_reported FROM m GROUP BY event_id) "
            f"SELECT b.event_id, {picked}, s.n_mentions, s.n_articles, s.n_sources, "
            "s.n_outlets, s.first_reported, s.last_reported, an.mention_id AS anchor_mention_id "
            "FROM best b JOIN stats s USING (event_id) JOIN anchor an USING (event_id)",
            [ids])
        columns = ["event_id", *EVENT_FROM_MENTION, "n_mentions", "n_articles", "n_sources",
                   "n_outlets", "first_reported", "last_reported", "anchor_mention_id"]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "event_id")
        names = ", ".join(columns)
        con.execute(
            f"INSERT INTO events ({names}, added_at, updated_at, deleted_at, merged_into) "
            f"SELECT {names}, ?, ?, NULL, NULL FROM _fresh ON CONFLICT (event_id) DO UPDATE SET "
            f"{updates}, updated_at = excluded.updated_at, deleted_at = NULL, merged_into = NULL",
            [now, now])
        merged = self._merged
        gone = [r[0] for r in con.execute(
            "SELECT event_id FROM events WHERE event_id IN (SELECT unnest(?)) AND event_id NOT IN "
            "(SELECT event_id FROM _fresh) AND deleted_at IS NULL", [ids]).fetchall()]
        for event_id in gone:
            con.execute("UPDATE events SET deleted_at = ?, updated_at = ?, merged_into = ?, "
                        "n_mentions = 0, n_articles = 0, n_sources = 0, n_outlets = 0 "
                        "WHERE event_id = ?", [now, now, merged.get(event_id), event_id])
        con.execute("DROP TABLE _fresh")

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

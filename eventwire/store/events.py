"""Events: the mentions that tell one real-world happening, and the row that sums them up.

Matching is :mod:`eventwire.store.dedup`'s; this module reads the stored mentions a
batch could match, writes each mention's ``event_id`` and recomputes the ``events`` rows
those assignments touched (an emptied event keeps its row with ``deleted_at`` set).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.store.dedup import Mention, cluster
from eventwire.store.migrations import REPORT_COLUMNS
from eventwire.store.schema import EVENT_FROM_MENTION, _now

EVENT_INDEX = "mentions_event_id"
LOOKUP = 2000
"""Keys looked up per statement: DuckDB uses an index for an IN list up to 2,048 values."""
MATCHED = ("mention_id, doc_id, event_id, family, cameo_root, date, date_precision, "
           "source_code, source_country, source_agent, target_code, target_country, "
           "target_agent, lat, lon, place_country, place_precision, sentence, source_text, "
           "target_text, place_name")
"""The columns of a mention that matching reads."""
LATEST_FIRST = "published DESC NULLS LAST"
REPORTED = (
    # the dead as the latest day's reports count them, the lowest of those (ACLED keeps the
    # most conservative figure, and tolls are revised as reports come in), never a sum
    f"first(fatalities ORDER BY {LATEST_FIRST}, fatalities) FILTER (WHERE fatalities IS NOT "
    "NULL) AS fatalities, "
    f"first(fatalities_text ORDER BY fatalities IS NULL, {LATEST_FIRST}, fatalities) FILTER "
    "(WHERE fatalities_text IS NOT NULL) AS fatalities_text, "
    # news when any report tells it as news; the lead of any report makes it a headline
    "CASE WHEN bool_or(salience = 'headline') THEN 'headline' WHEN bool_or(salience = 'main') "
    "THEN 'main' WHEN bool_and(salience = 'background') THEN 'background' END AS salience"
)


def marks(values: list[str]) -> str:
    """``(?, ?, ...)`` for an IN list: DuckDB looks parameters up by index, never ``unnest``."""
    return "(" + ", ".join("?" * len(values)) + ")"


def parts(values: list[str]) -> list[list[str]]:
    """``values`` in lists short enough for an index lookup each."""
    return [values[start:start + LOOKUP] for start in range(0, len(values), LOOKUP)]


class EventTable:
    """Event assignment and the ``events`` rows of one store."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._merged: dict[str, str] = {}

    def ensure_index(self) -> None:
        """Index ``mentions.event_id``: a chunk reads and regroups a few hundred events by id,
        and without the index each of those reads scans every mention in the store."""
        self.con.execute(f"CREATE INDEX IF NOT EXISTS {EVENT_INDEX} ON mentions (event_id)")

    def drop_index(self) -> None:
        self.con.execute(f"DROP INDEX IF EXISTS {EVENT_INDEX}")

    def mentions(self, column: str, values: list[str]) -> list[Mention]:
        """The stored mentions whose ``column`` (``mention_id`` or ``event_id``) is in ``values``.

        Point lookups through the key and the event index, then the articles' dates by their
        key: a join would scan both tables.
        """
        rows: list[dict[str, Any]] = []
        for part in parts(values):
            cursor = self.con.execute(
                f"SELECT {MATCHED} FROM mentions WHERE {column} IN {marks(part)}", part)
            names = [d[0] for d in cursor.description]
            rows.extend(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
        published: dict[str, date | None] = {}
        for part in parts(sorted({row["doc_id"] for row in rows})):
            published.update(self.con.execute(
                f"SELECT doc_id, published FROM articles WHERE doc_id IN {marks(part)}", part
            ).fetchall())
        return [Mention.from_row(row, published.get(row["doc_id"])) for row in rows]

    def recluster(self, new: list[Mention], broken: set[str]
                  ) -> tuple[dict[str, str], set[str]]:
        """Assign events to new mentions and regroup events that lost a mention.

        The new mentions need not be stored yet: their events are returned (mention id ->
        event id) to be written with them, so no row is written twice. Returns also every
        event id whose membership may have changed.
        """
        loose = self.mentions("event_id", sorted(broken))
        settled = self._near(new, broken)
        events = cluster(new, settled, loose)
        settled_ids = {m.mention_id for m in settled}
        fresh_ids = {m.mention_id for m in new}
        moved: dict[str, str] = {}  # settled event -> the event it now belongs to
        assigned: dict[str, str] = {}
        updates = []
        for event_id, members in events.items():
            for mention in members:
                if mention.mention_id in fresh_ids:
                    assigned[mention.mention_id] = event_id
                elif mention.event_id == event_id:
                    continue
                elif mention.mention_id in settled_ids:
                    moved[str(mention.event_id)] = event_id
                else:
                    updates.append((mention.mention_id, event_id))
        self._write_moves(updates, moved)
        # events that gained, lost or merged members; a settled event nothing joined is as it
        # was, and its row (and updated_at) is left alone
        changed = {event_id for event_id, members in events.items()
                   if any(m.mention_id not in settled_ids or m.event_id != event_id
                          for m in members)}
        old_ids = {m.event_id for event_id in changed for m in events[event_id] if m.event_id}
        self._merged = {old: new_id for new_id, members in events.items()
                        for old in {m.event_id for m in members if m.event_id}
                        if old != new_id}
        return assigned, changed | old_ids | broken

    def _near(self, new: list[Mention], broken: set[str]) -> list[Mention]:
        """Stored mentions that could match a new one (same family, overlapping days), and
        the anchors of their events.

        The anchor is each event's first report, so the first of a merged group is among
        them. Other members need not be read: they move with their event.
        """
        keys = {(m.family, m.window) for m in new}
        if not keys:
            return []
        con = self.con
        con.register("_ranges", pa.table({
            "family": [k[0] for k in keys],
            "lo": [k[1][0] if k[1] else None for k in keys],
            "hi": [k[1][1] if k[1] else None for k in keys],
        }))
        # the chunk's span of days as constants, so the scan skips row groups by their
        # min/max (stores grow roughly in date order); the join then matches day by day
        spans = [w for _, w in keys if w]
        bounds = ([("m.day_hi >= ? AND m.day_lo <= ?",
                    [min(w[0] for w in spans), max(w[1] for w in spans)])] if spans else [])
        if len(spans) < len(keys):
            bounds.append(("m.day_lo IS NULL", []))
        near: set[tuple[str, str]] = set()
        try:
            for bound, params in bounds:
                near.update(con.execute(
                    "SELECT m.mention_id, m.event_id FROM mentions m JOIN _ranges r ON "
                    "m.family = r.family AND ((m.day_lo <= r.hi AND m.day_hi >= r.lo) OR "
                    f"(m.day_lo IS NULL AND r.lo IS NULL)) WHERE {bound} AND m.event_id IS NOT "
                    "NULL AND m.event_id NOT IN (SELECT unnest(?::VARCHAR[]))",
                    [*params, sorted(broken)]).fetchall())
        finally:
            con.unregister("_ranges")
        events = sorted({r[1] for r in near})
        anchors = {r[0] for part in parts(events) for r in con.execute(
            f"SELECT anchor_mention_id FROM events WHERE event_id IN {marks(part)} AND "
            "anchor_mention_id IS NOT NULL", part).fetchall()}
        return self.mentions("mention_id", sorted({r[0] for r in near} | anchors))

    def _write_moves(self, updates: list[tuple[str, str]], moved: dict[str, str]) -> None:
        """Stored mentions to new events: one by one, and whole events merged into others."""
        con = self.con
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
                old = sorted(moved)  # the IN list lets DuckDB reach them through the index
                con.execute("UPDATE mentions SET event_id = _moved.new FROM _moved "
                            f"WHERE mentions.event_id = _moved.old AND mentions.event_id IN "
                            f"{marks(old)}", old)
            finally:
                con.unregister("_moved")

    def recluster_all(self) -> None:
        rows = self.con.execute("SELECT mention_id FROM mentions ORDER BY mention_id").fetchall()
        ids = [r[0] for r in rows]
        new = self.mentions("mention_id", ids)
        assigned, touched = self.recluster(new, set())
        self._write_moves(sorted(assigned.items()), {})
        self.refresh(touched, _now())

    def refresh(self, event_ids: set[str], now: datetime) -> None:
        """Recompute the rows of ``event_ids`` from their mentions; flag emptied ones deleted."""
        if not event_ids:
            return
        con = self.con
        ids = sorted(event_ids)
        picked = ", ".join(f"b.{c}" for c in EVENT_FROM_MENTION)
        # only the columns an event takes (a mention's JSON record is most of its bytes)
        needed = ", ".join(dict.fromkeys(
            ["event_id", "mention_id", "doc_id", "confidence", *EVENT_FROM_MENTION,
             *REPORT_COLUMNS]))
        self._collect("_members", f"SELECT {needed} FROM mentions", "event_id", ids)
        docs = sorted(r[0] for r in con.execute("SELECT DISTINCT doc_id FROM _members").fetchall())
        self._collect("_docs", "SELECT doc_id, published, source AS outlet, "
                      "coalesce(copy_group, doc_id) AS copy_group FROM articles", "doc_id", docs)
        fresh_sql = (
            "WITH m AS (SELECT * FROM _members JOIN _docs USING (doc_id)), "
            # one pass: the most confident mention gives the event its columns, the first
            # report is its anchor
            "stats AS (SELECT event_id, count(*) AS n_mentions, count(DISTINCT doc_id) AS "
            "n_articles, count(DISTINCT copy_group) AS n_sources, count(DISTINCT "
            "coalesce(outlet, copy_group)) AS n_outlets, min(published) AS first_reported, "
            "max(published) AS last_reported, first(mention_id ORDER BY confidence DESC NULLS "
            "LAST, mention_id) AS best_id, first(mention_id ORDER BY "
            "published NULLS LAST, mention_id) AS anchor_mention_id, "
            f"{REPORTED} FROM m GROUP BY event_id) "
            f"SELECT s.event_id, {picked}, s.n_mentions, s.n_articles, s.n_sources, "
            "s.n_outlets, s.first_reported, s.last_reported, s.anchor_mention_id, "
            "s.fatalities, s.fatalities_text, s.salience "
            "FROM stats s JOIN _members b ON b.mention_id = s.best_id")
        columns = ["event_id", *EVENT_FROM_MENTION, "n_mentions", "n_articles", "n_sources",
                   "n_outlets", "first_reported", "last_reported", "anchor_mention_id",
                   *REPORT_COLUMNS]
        names = ", ".join(columns)
        # a changed event's row is deleted and written again, keeping when it was first
        # added: DuckDB's upsert of a wide row costs ten times as much
        con.execute(f"CREATE OR REPLACE TEMP TABLE _fresh AS {fresh_sql}")
        fresh = sorted(r[0] for r in con.execute("SELECT event_id FROM _fresh").fetchall())
        self._collect("_kept", "SELECT event_id, added_at FROM events", "event_id", fresh)
        for part in parts(fresh):
            con.execute(f"DELETE FROM events WHERE event_id IN {marks(part)}", part)
        con.execute(
            f"INSERT INTO events ({names}, added_at, updated_at, deleted_at, merged_into) "
            f"SELECT {', '.join('f.' + c for c in columns)}, coalesce(k.added_at, ?), ?, NULL, "
            "NULL FROM _fresh f LEFT JOIN _kept k USING (event_id)", [now, now])
        merged = self._merged
        emptied = sorted(set(ids) - set(fresh))
        gone = [r[0] for part in parts(emptied) for r in con.execute(
            f"SELECT event_id FROM events WHERE event_id IN {marks(part)} AND deleted_at IS NULL",
            part).fetchall()]
        if gone:
            con.register("_gone", pa.table({
                "event_id": pa.array(gone, pa.string()),
                "merged_into": pa.array([merged.get(e) for e in gone], pa.string())}))
            try:
                con.execute("UPDATE events SET deleted_at = ?, updated_at = ?, merged_into = "
                            "_gone.merged_into, n_mentions = 0, n_articles = 0, n_sources = 0, "
                            "n_outlets = 0 FROM _gone WHERE events.event_id = _gone.event_id",
                            [now, now])
            finally:
                con.unregister("_gone")
        con.execute("DROP TABLE _fresh; DROP TABLE _kept; DROP TABLE _members; DROP TABLE _docs")

    def _collect(self, table: str, select: str, column: str, values: list[str]) -> None:
        """A temp table of ``select``'s rows whose ``column`` is in ``values``, read by key."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select} LIMIT 0")
        for part in parts(values):
            self.con.execute(f"INSERT INTO {table} {select} WHERE {column} IN {marks(part)}", part)

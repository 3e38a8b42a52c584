"""Events: the mentions that tell one real-world happening, and the row that sums them up.

Matching is :mod:`eventwire.store.dedup`'s; this module reads the stored mentions a
batch could match, writes each mention's ``event_id`` and recomputes the ``events`` rows
those assignments touched (an emptied event keeps its row with ``deleted_at`` set).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.store.dedup import Mention, cluster
from eventwire.store.migrations import REPORT_COLUMNS
from eventwire.store.schema import EVENT_FROM_MENTION, _now

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


class EventTable:
    """Event assignment and the ``events`` rows of one store."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._merged: dict[str, str] = {}

    def mentions(self, where: str, params: list[Any]) -> list[Mention]:
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

    def recluster(self, new: list[Mention], broken: set[str]) -> set[str]:
        """Assign events to new mentions and regroup events that lost a mention.

        Returns every event id whose membership may have changed.
        """
        con = self.con
        loose = (self.mentions("m.event_id IN (SELECT unnest(?))", [sorted(broken)])
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
            settled = self.mentions(
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
        # events that gained, lost or merged members; a settled event nothing joined is as it
        # was, and its row (and updated_at) is left alone
        changed = {event_id for event_id, members in events.items()
                   if any(m.mention_id not in settled_ids or m.event_id != event_id
                          for m in members)}
        old_ids = {m.event_id for event_id in changed for m in events[event_id] if m.event_id}
        self._merged = {old: new_id for new_id, members in events.items()
                        for old in {m.event_id for m in members if m.event_id}
                        if old != new_id}
        return changed | old_ids | broken

    def recluster_all(self) -> None:
        rows = self.con.execute("SELECT mention_id FROM mentions ORDER BY mention_id").fetchall()
        ids = [r[0] for r in rows]
        new = self.mentions("m.mention_id IN (SELECT unnest(?))", [ids]) if ids else []
        touched = self.recluster(new, set())
        self.refresh(touched, _now())

    def refresh(self, event_ids: set[str], now: datetime) -> None:
        """Recompute the rows of ``event_ids`` from their mentions; flag emptied ones deleted."""
        if not event_ids:
            return
        con = self.con
        ids = sorted(event_ids)
        picked = ", ".join(f"b.{c}" for c in EVENT_FROM_MENTION)
        # only the columns an event takes (a mention's JSON record is most of its bytes)
        needed = ", ".join(f"m.{c}" for c in dict.fromkeys(
            ["event_id", "mention_id", "doc_id", "confidence", *EVENT_FROM_MENTION,
             *REPORT_COLUMNS]))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _fresh AS "
            f"WITH m AS (SELECT {needed}, a.published, a.source AS outlet, "
            "coalesce(a.copy_group, a.doc_id) AS copy_group FROM mentions m "
            "JOIN articles a USING (doc_id) WHERE m.event_id IN (SELECT unnest(?))), "
            "best AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY "
            "confidence DESC NULLS LAST, mention_id) AS rank FROM m) WHERE rank = 1), "
            "anchor AS (SELECT * FROM (SELECT event_id, mention_id, row_number() OVER "
            "(PARTITION BY event_id ORDER BY published NULLS LAST, mention_id) "
            "AS rank FROM m) WHERE rank = 1), "
            "stats AS (SELECT event_id, count(*) AS n_mentions, count(DISTINCT doc_id) AS "
            "n_articles, count(DISTINCT copy_group) AS n_sources, count(DISTINCT "
            "coalesce(outlet, copy_group)) AS n_outlets, min(published) AS first_reported, "
            f"max(published) AS last_reported, {REPORTED} FROM m GROUP BY event_id) "
            f"SELECT b.event_id, {picked}, s.n_mentions, s.n_articles, s.n_sources, "
            "s.n_outlets, s.first_reported, s.last_reported, an.mention_id AS anchor_mention_id, "
            "s.fatalities, s.fatalities_text, s.salience "
            "FROM best b JOIN stats s USING (event_id) JOIN anchor an USING (event_id)",
            [ids])
        columns = ["event_id", *EVENT_FROM_MENTION, "n_mentions", "n_articles", "n_sources",
                   "n_outlets", "first_reported", "last_reported", "anchor_mention_id",
                   *REPORT_COLUMNS]
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
        con.execute("DROP TABLE _fresh")

"""Articles, their mentions and places: how one batch of coded articles is written.

A batch replaces what the store held for the same ids (a changed text is re-coded
whole), joins the wire-copy groups it belongs to, then hands its mentions to the event
table to be matched. Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from eventwire.records.calendar import as_day
from eventwire.store.copygroups import CopyGroups
from eventwire.store.dedup import Mention
from eventwire.store.events import EventTable, marks, parts
from eventwire.store.schema import Coded, _now, insert, mention_row, place_row, text_sha1


def known_hashes(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, str]:
    """The text hash of each stored article among ``doc_ids``."""
    return {r[0]: r[1] for part in parts(doc_ids) for r in con.execute(
        f"SELECT doc_id, text_sha1 FROM articles WHERE doc_id IN {marks(part)}", part
    ).fetchall()}  # looked up by key, not a scan of every article


def _forget(con: duckdb.DuckDBPyConnection, replaced: list[str]
            ) -> tuple[set[str], set[str], dict[str, datetime]]:
    """Delete the rows of articles about to be stored again.

    Returns the events they were part of, their copy groups and when each was first added.
    """
    if not replaced:
        return set(), set(), {}
    touched = {r[0] for r in con.execute(
        "SELECT DISTINCT event_id FROM mentions WHERE doc_id IN (SELECT unnest(?)) "
        "AND event_id IS NOT NULL", [replaced]).fetchall()}
    groups = {r[0] for r in con.execute(
        "SELECT DISTINCT copy_group FROM articles WHERE doc_id IN (SELECT unnest(?))",
        [replaced]).fetchall()}
    old_added = dict(con.execute(
        "SELECT doc_id, added_at FROM articles WHERE doc_id IN (SELECT unnest(?))",
        [replaced]).fetchall())
    for table in ("mentions", "places", "articles"):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [replaced])
    return touched, groups, old_added


def _rows(batch: list[Coded], old_added: dict[str, datetime], now: datetime
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The article, place and mention rows of a batch (a mention id once)."""
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
            "doc_id": a.doc_id, "title": a.title, "published": as_day(a.published), "url": a.url,
            "source": a.source, "language": a.language, "text_sha1": text_sha1(a),
            "wire_copy_of": None, "n_mentions": per_doc.get(a.doc_id, 0),
            "added_at": old_added.get(a.doc_id, now), "updated_at": now,
            "copy_group": a.doc_id,
        })
    return articles, place_rows, unique_mentions


def write(con: duckdb.DuckDBPyConnection, copies: CopyGroups, events: EventTable,
          batch: list[Coded], replaced: list[str]) -> None:
    """Store a batch of new or changed articles and bring the events they touch up to date."""
    now = _now()
    touched_events, groups_before, old_added = _forget(con, replaced)
    groups_changed = copies.index_batch(batch, replaced) | groups_before
    articles, place_rows, unique_mentions = _rows(batch, old_added, now)
    insert(con, "articles", articles)
    insert(con, "places", place_rows)
    copies.apply(batch, now)
    published = {c.article.doc_id: as_day(c.article.published) for c in batch}
    new = [Mention.from_row(m, published.get(m["doc_id"])) for m in unique_mentions]
    assigned, touched = events.recluster(new, touched_events)
    touched_events |= touched
    for row in unique_mentions:  # written once, with their events
        row["event_id"] = assigned.get(row["mention_id"])
    insert(con, "mentions", unique_mentions)
    if groups_changed:
        touched_events |= {r[0] for r in con.execute(
            "SELECT DISTINCT m.event_id FROM mentions m JOIN articles a USING (doc_id) "
            "WHERE a.copy_group IN (SELECT unnest(?)) AND m.event_id IS NOT NULL",
            [sorted(groups_changed)]).fetchall()}
    events.refresh(touched_events, now)

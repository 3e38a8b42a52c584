"""Copy groups: which stored articles tell one wire story, kept in the ``articles`` table.

The MinHash signatures of every stored text live in ``wire_signatures``, so copies are
found across runs; the in-memory index is rebuilt from that table when a write fails.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from eventwire.store.schema import Coded, insert
from eventwire.store.wirecopies import WireCopyIndex, signature_bytes, signature_from_bytes


class CopyGroups:
    """The wire-copy index of one store and the copy groups it writes."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._copies: WireCopyIndex | None = None
        self._pending_groups: dict[str, set[str]] = {}

    def reset(self) -> None:
        """Forget the in-memory index (after a rollback): it is rebuilt from the file."""
        self._copies = None

    def index(self) -> WireCopyIndex:
        if self._copies is None:
            index = WireCopyIndex()
            rows = self.con.execute(
                "SELECT doc_id, signature FROM wire_signatures ORDER BY doc_id").fetchall()
            for doc_id, blob in rows:
                index.insert(doc_id, signature_from_bytes(blob) if blob else None)
            self._copies = index
        return self._copies

    def index_batch(self, batch: list[Coded], replaced: list[str]) -> set[str]:
        """Index the batch's texts and note which stored articles each repeats."""
        index = self.index()
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
        insert(self.con, "wire_signatures", rows)
        return changed

    def apply(self, batch: list[Coded], now: datetime) -> None:
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
                "SELECT doc_id, coalesce(CAST(published AS VARCHAR), '9999') FROM articles "
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


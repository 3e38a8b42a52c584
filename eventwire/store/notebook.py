"""The Python API for notebooks: code a text, or read a store into pandas or Arrow.

    import eventwire
    events = eventwire.code("Rebels shelled Kidal on Monday.", date="2020-03-02")
    db = eventwire.open("news.duckdb")
    frame = db.events(country="SYR", since="2023-01-01", plover="ASSAULT")
    table = db.events_arrow(country="SYR")          # for polars: polars.from_arrow(table)

The store is opened read-only, so a notebook can read a file while nothing writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from eventwire.coding.pipeline import Pipeline

from eventwire.records.queries import query_countries, query_range, query_types
from eventwire.store.database import Store

_PIPELINES: dict[bool, Pipeline] = {}


def _pipeline(use_model: bool) -> Pipeline:
    if use_model not in _PIPELINES:
        from eventwire.coding.pipeline import Pipeline

        _PIPELINES[use_model] = Pipeline(use_model=use_model)
    return _PIPELINES[use_model]


def code(text: str, date: str | None = None, title: str | None = None,
         doc_id: str = "text", use_model: bool = True) -> list[dict[str, Any]]:
    """The events of one article, as the records ``eventwire code`` prints.

    ``date`` is the publication date (ISO), against which "on Monday" is read.
    """
    from eventwire.readers.structure import structure_plain_text

    article = structure_plain_text(text, doc_id, title=title, published=date)
    result = _pipeline(use_model).process(article)
    return [event.to_dict() for event in result.events]


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Database:
    """A store opened read-only, with its tables as pandas DataFrames or Arrow tables."""

    def __init__(self, path: Path | str) -> None:
        from eventwire.store.database import Store

        self.store: Store = Store(path, read_only=True)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, table: str, country: str | Sequence[str] | None, since: str | None,
               until: str | None, plover: str | Sequence[str] | None,
               include_deleted: bool) -> tuple[str, list[Any]]:
        from eventwire.store.filters import EventFilter

        since, until = query_range(since, until)
        countries = query_countries(_as_list(country))
        where, params = EventFilter(since, until, countries).where("e")
        if include_deleted:
            where = where.replace("e.deleted_at IS NULL", "TRUE", 1)
        kinds = query_types(_as_list(plover))
        if kinds:
            where += " AND e.plover IN (SELECT unnest(?))"
            params.append(kinds)
        if table == "mentions":
            return (f"SELECT m.* FROM mentions m JOIN events e USING (event_id) WHERE {where} "
                    "ORDER BY m.doc_id, m.mention_id", params)
        return f"SELECT * FROM events e WHERE {where} ORDER BY e.date, e.event_id", params

    def events(self, country: str | Sequence[str] | None = None, since: str | None = None,
               until: str | None = None, plover: str | Sequence[str] | None = None,
               include_deleted: bool = False) -> pd.DataFrame:
        """Real-world events (one row each) as a DataFrame; filters as ``eventwire export``."""
        sql, params = self._query("events", country, since, until, plover, include_deleted)
        return self.store.con.execute(sql, params).df()

    def events_arrow(self, country: str | Sequence[str] | None = None,
                     since: str | None = None, until: str | None = None,
                     plover: str | Sequence[str] | None = None,
                     include_deleted: bool = False) -> pa.Table:
        """The same rows as :meth:`events`, as an Arrow table (``polars.from_arrow`` reads it)."""
        sql, params = self._query("events", country, since, until, plover, include_deleted)
        table: pa.Table = self.store.con.sql(sql, params=params).to_arrow_table()
        return table

    def mentions(self, country: str | Sequence[str] | None = None, since: str | None = None,
                 until: str | None = None, plover: str | Sequence[str] | None = None
                 ) -> pd.DataFrame:
        """Every telling of the selected events, with its article, sentence and offsets."""
        sql, params = self._query("mentions", country, since, until, plover, False)
        return self.store.con.execute(sql, params).df()

    def articles(self) -> pd.DataFrame:
        return self.store.con.execute("SELECT * FROM articles ORDER BY doc_id").df()

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Any read-only query over the store's tables (``docs/schema.md``)."""
        return self.store.con.execute(query, list(params)).df()


def open_database(path: Path | str) -> Database:
    return Database(path)

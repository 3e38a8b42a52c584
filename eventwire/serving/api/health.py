"""/stats (counts of events by time, type, place or dyad) and /health."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from eventwire import __version__
from eventwire.serving.api.deps import DB, ERRORS, _json, known_params_only
from eventwire.serving.api.filters import Filters
from eventwire.serving.api.models import Health, Stats

router = APIRouter(dependencies=[Depends(known_params_only)])

STATS_KEYS = {
    "day": "left(CAST(date AS VARCHAR), 10)",
    "week": "strftime(date_trunc('week', TRY_CAST(date AS DATE)), '%Y-%m-%d')",
    "month": "left(CAST(date AS VARCHAR), 7)",
    "year": "left(CAST(date AS VARCHAR), 4)",
    "root": "cameo_root",
    "cameo": "cameo",
    "plover": "plover",
    "quad_class": "CAST(quad_class AS VARCHAR)",
    "country": "place_country",
    "source": "source_code",
    "target": "target_code",
    "dyad": "coalesce(source_code, '') || '|' || coalesce(target_code, '')",
}
TIME_KEYS = {
    "day": "left(CAST(k AS VARCHAR), 10)",
    "week": "strftime(date_trunc('week', TRY_CAST(k AS DATE)), '%Y-%m-%d')",
    "month": "left(CAST(k AS VARCHAR), 7)",
    "year": "left(CAST(k AS VARCHAR), 4)",
}

@router.get("/stats", response_model=Stats, responses=ERRORS)
def stats(
    database: DB,
    filters: Filters,
    by: Annotated[Literal["day", "week", "month", "year", "root", "cameo", "plover",
                          "quad_class", "country", "source", "target", "dyad"],
                  Query(description="What to count events by")] = "day",
    size: Annotated[int, Query(alias="_size", ge=1, le=10_000)] = 1000,
) -> Response:
    """Counts of events by time, type, country or dyad, under the same filters as /events."""
    order = "key ASC NULLS LAST" if by in TIME_KEYS else "events DESC, key ASC NULLS LAST"
    if by in TIME_KEYS:
        # count per stored date first (few thousand groups), then fold into days/weeks/...:
        # string work on a few thousand keys instead of on every event
        key = TIME_KEYS[by]
        sql = (f"SELECT {key} AS key, sum(n) AS events FROM (SELECT date AS k, count(*) AS n "
               f"FROM events WHERE {filters.sql()} GROUP BY k) GROUP BY key")
    else:
        sql = (f"SELECT {STATS_KEYS[by]} AS key, count(*) AS events FROM events "
               f"WHERE {filters.sql()} GROUP BY key")
    rows = database.rows(
        f"SELECT key, events, sum(events) OVER () AS total FROM ({sql}) "
        f"ORDER BY {order} LIMIT ?", [*filters.params, size])
    total = int(rows[0]["total"]) if rows else 0
    counts = [{"key": None if r["key"] is None else str(r["key"]), "events": int(r["events"])}
              for r in rows]
    return _json({"by": by, "total": total, "counts": counts})


@router.get("/health", response_model=Health, responses=ERRORS)
def health(database: DB) -> Response:
    """Whether the server and its database answer, and what they hold."""
    events = None
    if database.has_table("events"):
        events = int(database.query("SELECT count(*) FROM events")[1][0][0])
    return _json({"status": "ok", "version": __version__,
                  "schema_version": database.schema_version(),
                  "read_only": database.read_only, "events": events})

"""/articles: one stored article with its mentions, and ``POST /articles`` to code and store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.background import BackgroundTask

from eventwire.records.errors import InputError
from eventwire.serving import zones as zones_mod
from eventwire.serving.api.deps import (
    ARTICLE_COLUMNS,
    DB,
    ERRORS,
    ID_PATTERN,
    MENTION_COLUMNS,
    WRITE_ERRORS,
    ApiError,
    Database,
    _clean,
    _json,
    known_params_only,
    require_token,
    shared_pipeline,
)
from eventwire.serving.api.models import ArticleDetail, IngestIn, IngestReport

router = APIRouter(dependencies=[Depends(known_params_only)])

@router.get("/articles/{doc_id:path}", response_model=ArticleDetail, responses=ERRORS)
def get_article(database: DB,
                doc_id: Annotated[str, PathParam(pattern=ID_PATTERN)]) -> Response:
    """One stored article: its metadata, its event mentions and its place mentions."""
    found = database.rows(
        f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE doc_id = ?", [doc_id])
    if not found:
        raise ApiError(404, "not_found", f"no article {doc_id!r}")
    mentions = database.rows(
        f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions WHERE doc_id = ? "
        "ORDER BY sentence_index, mention_id", [doc_id])
    places = database.rows(
        "SELECT start_char, end_char, mention, name, lat, lon, country, admin1, geonameid, "
        "feature, confidence FROM places WHERE doc_id = ? ORDER BY start_char", [doc_id])
    return _json({"article": _clean(found[0]), "mentions": [_clean(m) for m in mentions],
                  "places": [_clean(p) for p in places]})


# ------------------------------------------------------------ ingest

@router.post("/articles", response_model=IngestReport, responses=WRITE_ERRORS,
          dependencies=[Depends(require_token)])
def ingest_articles(request: Request, database: DB, body: IngestIn) -> Response:
    """Code and store articles (as JSONL records), raising zone alerts, like ``ingest``."""
    from eventwire.readers import english_only
    from eventwire.readers.jsonl import record_to_article
    from eventwire.store.batches import Batcher

    items = [item for n, r in enumerate(body.records, start=1)
             for item in record_to_article(r.model_dump(exclude_none=True), f"record {n}")]
    report: dict[str, Any] = {"stored": 0, "skipped": 0, "alerts": 0, "errors": []}
    with database.write_lock:
        store = database.store
        raiser = zones_mod.AlertRaiser(store.con)
        fresh = []
        for item in english_only(items):
            if not isinstance(item, InputError) and store.has_article(item):
                report["skipped"] += 1
            else:
                fresh.append(item)
        with Batcher(store, size=max(1, len(fresh))) as batcher:  # a request, a transaction
            for result in shared_pipeline(request.app.state).run(fresh):
                if isinstance(result, InputError):
                    report["errors"].append(result.to_dict())
                batcher.add(result)
        report["stored"] += batcher.stats["stored"]
        report["skipped"] += batcher.stats["skipped"]
        report["alerts"] += raiser.check()
    response = _json(report)
    # after the answer and outside the write lock (taken only for the queue's rows): one try
    # each now; failures wait for the next ingest, `watch` or `alerts --deliver`
    response.background = BackgroundTask(_deliver_queued, database)
    return response


def _deliver_queued(database: Database) -> None:
    cursor = database.con.cursor()
    try:
        zones_mod.deliver_pending(cursor, wait=False, timeout=5.0, lock=database.write_lock)
    finally:
        cursor.close()

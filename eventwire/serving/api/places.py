"""/places: resolved places mentioned in stored articles, most mentioned first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from eventwire.serving.api.deps import (
    DB,
    DEFAULT_PAGE_SIZE,
    ERRORS,
    MAX_PAGE_SIZE,
    PLACE_COLUMNS,
    ApiError,
    _clean,
    _json,
    _next_url,
    decode_token,
    encode_token,
    known_params_only,
)
from eventwire.serving.api.filters import Codes, _bbox, _in, _like, _split
from eventwire.serving.api.models import PlacePage

router = APIRouter(dependencies=[Depends(known_params_only)])

@router.get("/places", response_model=PlacePage, responses=ERRORS)
def list_places(
    request: Request,
    database: DB,
    country: Annotated[str | None, Query(pattern=Codes)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200,
                                   description="Part of the place's name")] = None,
    bbox: Annotated[str | None, Query(max_length=120)] = None,
    size: Annotated[int, Query(alias="_size", ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    next_token: Annotated[str | None, Query(alias="_next", max_length=100)] = None,
) -> Response:
    """Resolved places mentioned in stored articles, most mentioned first."""
    where, params = ["name IS NOT NULL"], []
    if country:
        clause, values = _in("country", [c.upper() for c in _split(country)])
        where.append(clause)
        params += values
    if q:
        where.append("name ILIKE ? ESCAPE '\\'")
        params.append(_like(q))
    if bbox:
        where.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
        params += _bbox(bbox)
    offset = 0
    if next_token:
        offset = decode_token(next_token).get("o", -1)
        if not isinstance(offset, int) or isinstance(offset, bool) or not (
                0 <= offset <= 10_000_000):
            raise ApiError(400, "bad_next", "_next is not a token this API gave out")
    group = ", ".join(PLACE_COLUMNS)
    rows = database.rows(
        f"SELECT {group}, count(*) AS mentions, count(DISTINCT doc_id) AS articles "
        f"FROM places WHERE {' AND '.join(where)} GROUP BY {group} "
        f"ORDER BY mentions DESC, name, country, lat, lon LIMIT ? OFFSET ?",
        [*params, size + 1, offset],
    )
    token_out = encode_token({"o": offset + size}) if len(rows) > size else None
    headers = {"Link": f'<{_next_url(request, token_out)}>; rel="next"'} if token_out else {}
    return _json({"places": [_clean(r) for r in rows[:size]], "next": token_out},
                 headers=headers)

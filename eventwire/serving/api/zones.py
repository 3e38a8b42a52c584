"""/zones and /zones/{id}/alerts: watch zones drawn on the map and the alerts they raised."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from eventwire.serving import zones as zones_mod
from eventwire.serving.api.deps import (
    DB,
    ERRORS,
    MAX_PAGE_SIZE,
    WRITE_ERRORS,
    ApiError,
    Database,
    _json,
    known_params_only,
    require_token,
)
from eventwire.serving.api.filters import parse_time
from eventwire.serving.api.models import (
    AlertList,
    Deleted,
    ZoneCreated,
    ZoneIn,
    ZoneList,
    ZoneOut,
    ZonePatch,
)

router = APIRouter(dependencies=[Depends(known_params_only)])
ZoneId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]

# ------------------------------------------------------------ zones

def _zone_or_404(database: Database, zone_id: str) -> zones_mod.Zone:
    zone = zones_mod.get_zone(database.con.cursor(), zone_id)
    if zone is None:
        raise ApiError(404, "not_found", f"no zone {zone_id!r}")
    return zone

@router.get("/zones", response_model=ZoneList, responses=ERRORS)
def list_zones(database: DB) -> Response:
    """Every watch zone (webhook secrets are never shown)."""
    zones = zones_mod.list_zones(database.con.cursor())
    return _json({"zones": [z.public() for z in zones]})

@router.post("/zones", status_code=201, response_model=ZoneCreated, responses=WRITE_ERRORS,
          dependencies=[Depends(require_token)])
def create_zone(database: DB, body: ZoneIn) -> Response:
    """Draw a zone: lat/lon/radius_km or a GeoJSON polygon, optional filters and webhook."""
    try:
        zone = zones_mod.validate_zone(
            body.name, body.lat, body.lon, body.radius_km, body.polygon, body.filters,
            body.webhook_url)
    except zones_mod.ZoneError as exc:
        raise ApiError(400, "bad_zone", str(exc)) from exc
    with database.write_lock:
        zone, secret = zones_mod.add_zone(database.con.cursor(), zone, body.webhook_secret)
    return _json({"zone": zone.public(), "webhook_secret": secret}, status=201)

@router.get("/zones/{zone_id}", response_model=ZoneOut, responses=ERRORS)
def get_zone(database: DB, zone_id: ZoneId) -> Response:
    return _json(_zone_or_404(database, zone_id).public())

@router.patch("/zones/{zone_id}", response_model=ZoneOut, responses=WRITE_ERRORS,
           dependencies=[Depends(require_token)])
def change_zone(database: DB, zone_id: ZoneId, body: ZonePatch) -> Response:
    """Change a zone's name, geometry (replaced whole), filters or webhook."""
    _zone_or_404(database, zone_id)
    changes = body.model_dump(exclude_unset=True)
    try:
        with database.write_lock:
            zone = zones_mod.update_zone(database.con.cursor(), zone_id, changes)
    except zones_mod.ZoneError as exc:
        raise ApiError(400, "bad_zone", str(exc)) from exc
    return _json(zone.public())

@router.delete("/zones/{zone_id}", response_model=Deleted, responses=WRITE_ERRORS,
            dependencies=[Depends(require_token)])
def delete_zone(database: DB, zone_id: ZoneId) -> Response:
    """Delete a zone with its alerts."""
    with database.write_lock:
        if not zones_mod.remove_zone(database.con.cursor(), zone_id):
            raise ApiError(404, "not_found", f"no zone {zone_id!r}")
    return _json({"deleted": zone_id})

@router.get("/zones/{zone_id}/alerts", response_model=AlertList, responses=ERRORS)
def zone_alerts(
    database: DB,
    zone_id: ZoneId,
    since: Annotated[str | None, Query(max_length=40,
                                       description="Only alerts raised after this time")
                     ] = None,
    size: Annotated[int, Query(alias="_size", ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
) -> Response:
    """The zone's alerts, oldest first; poll with ``since`` = the last ``raised_at`` seen."""
    _zone_or_404(database, zone_id)
    moment = parse_time(since) if since else None
    alerts = zones_mod.list_alerts(database.con.cursor(), zone_id, moment, size)
    return _json({"alerts": alerts})


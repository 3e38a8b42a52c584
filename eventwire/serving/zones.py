"""Watch zones and their alerts: tell an analyst once when a new event falls in an area.

A zone is a point with a radius or a GeoJSON polygon, with optional filters
(CAMEO roots, actors, PLOVER types, quad classes). Ingest calls
:meth:`AlertRaiser.article_stored` after each stored article; every event of
that article first stored after the zone was made, inside it and passing its
filters, gets one row in ``alerts``. The pair (zone, event) is the key, so a
rerun of ingest, or a restarted ``watch``, never raises an alert twice.

A zone may name a webhook: each alert is queued in ``webhook_deliveries`` and
POSTed as JSON, retried with back-off, and recorded as failed when every try
failed. A delivered alert is never sent again. Each delivery carries
``X-Eventwire-Timestamp`` (Unix seconds) and ``X-Eventwire-Signature``
(``sha256=`` HMAC-SHA256 of the timestamp, a full stop and the body bytes); a
receiver refuses a signature older than :data:`SIGNATURE_TOLERANCE` seconds, so
a captured delivery cannot be replayed later. Only public addresses are reached
(see :mod:`eventwire.serving.webhook_guard`), and the HTTP calls are made
outside any lock the caller holds for writing: only the reads and writes of the
queue take it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import secrets
import ssl
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import httpcore

from eventwire import __version__
from eventwire.records.geometry import haversine_km
from eventwire.serving.webhook_guard import GuardedBackend, WebhookRefused, check_url, masked

MAX_POLYGON_VERTICES = 5_000
MAX_RADIUS_KM = 5_000.0
MAX_NAME_LENGTH = 200
MAX_FILTER_VALUES = 100
SIGNATURE_HEADER = "X-Eventwire-Signature"
TIMESTAMP_HEADER = "X-Eventwire-Timestamp"
SIGNATURE_TOLERANCE = 300  # seconds a receiver accepts a signature's timestamp either way
DEFAULT_BACKOFF = (1.0, 4.0, 15.0)  # seconds before the 2nd, 3rd and 4th try

SCHEMA = """
CREATE TABLE IF NOT EXISTS zones (
    zone_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    lat DOUBLE,
    lon DOUBLE,
    radius_km DOUBLE,
    polygon JSON,
    filters JSON NOT NULL,
    webhook_url VARCHAR,
    webhook_secret VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id VARCHAR PRIMARY KEY,
    zone_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    event JSON NOT NULL,
    UNIQUE (zone_id, event_id)
);
CREATE TABLE IF NOT EXISTS alert_state (
    id INTEGER PRIMARY KEY,
    checked_until TIMESTAMP
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    alert_id VARCHAR PRIMARY KEY,
    zone_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    attempts INTEGER NOT NULL,
    last_status INTEGER,
    last_error VARCHAR,
    next_attempt_at TIMESTAMP,
    delivered_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
"""

# the event columns an alert carries (names from the store's events table)
EVENT_COLUMNS = (
    "event_id", "date", "cameo", "cameo_root", "plover", "plover_mode", "quad_class",
    "goldstein", "source_name", "source_code", "source_country", "target_name", "target_code",
    "target_country", "place_name", "lat", "lon", "place_country", "sentence", "confidence",
    "added_at",
)
FILTER_KEYS = ("roots", "actors", "plover", "quad_classes")


class ZoneError(ValueError):
    """A zone definition that cannot be accepted; the message says why."""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'zones'"
    ).fetchone()
    return bool(row and row[0])


# ---------------------------------------------------------------- geometry


Ring = list[tuple[float, float]]  # (lon, lat) pairs, as GeoJSON orders them


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@dataclass
class Polygon:
    """One or more GeoJSON polygons (outer ring plus holes), with a bounding box to test first."""

    polygons: list[list[Ring]]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        for rings in self.polygons:
            if _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, h) for h in rings[1:]):
                return True
        return False


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise ZoneError("a polygon ring needs at least 4 positions (closed)")
    ring: Ring = []
    for position in raw:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise ZoneError("a polygon position is [lon, lat] numbers")
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90) or math.isnan(lon) or math.isnan(lat):
            raise ZoneError("a polygon position is out of range")
        ring.append((lon, lat))
    if ring[0] != ring[-1]:
        raise ZoneError("a polygon ring must end where it starts")
    return ring


def _all_finite(value: Any, depth: int = 0) -> bool:
    """No NaN or infinity anywhere in a GeoJSON value (altitudes, bbox, properties included)."""
    if depth > 64:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_all_finite(v, depth + 1) for v in value)
    return True


def parse_polygon(geojson: Any) -> Polygon:
    """A GeoJSON Polygon or MultiPolygon (bare, Feature, or one-feature collection)."""
    geometry = geojson
    if isinstance(geometry, dict) and geometry.get("type") == "FeatureCollection":
        features = geometry.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ZoneError("a FeatureCollection zone needs exactly one feature")
        geometry = features[0]
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        raise ZoneError("polygon must be a GeoJSON object")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        raw_polygons = [coords]
    elif kind == "MultiPolygon" and isinstance(coords, list):
        raw_polygons = coords
    else:
        raise ZoneError("polygon must be a GeoJSON Polygon or MultiPolygon")
    polygons: list[list[Ring]] = []
    vertices = 0
    for raw in raw_polygons:
        if not isinstance(raw, list) or not raw:
            raise ZoneError("a polygon needs an outer ring")
        rings = []
        for raw_ring in raw:
            vertices += len(raw_ring) if isinstance(raw_ring, list) else 0
            if vertices > MAX_POLYGON_VERTICES:
                raise ZoneError(f"polygon has over {MAX_POLYGON_VERTICES} positions")
            rings.append(_ring(raw_ring))
        polygons.append(rings)
    if not polygons:
        raise ZoneError("polygon has no coordinates")
    lons = [p[0] for rings in polygons for p in rings[0]]
    lats = [p[1] for rings in polygons for p in rings[0]]
    return Polygon(polygons, (min(lons), min(lats), max(lons), max(lats)))


# ---------------------------------------------------------------- zones


def _clean_filters(raw: Any) -> dict[str, list[Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ZoneError("filters must be an object")
    unknown = set(raw) - set(FILTER_KEYS)
    if unknown:
        raise ZoneError(f"unknown filter {sorted(unknown)[0]!r}; known: {', '.join(FILTER_KEYS)}")
    out: dict[str, list[Any]] = {}
    for key, values in raw.items():
        if values is None:
            continue
        if not isinstance(values, list) or len(values) > MAX_FILTER_VALUES:
            raise ZoneError(f"filter {key} must be a list of at most {MAX_FILTER_VALUES} values")
        if key == "quad_classes":
            if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4
                       for v in values):
                raise ZoneError("quad_classes are integers 1-4")
            out[key] = sorted(set(values))
        elif key == "roots":
            roots = set()
            for value in values:
                roots.update(_expand_roots(str(value)))
            out[key] = sorted(roots)
        else:
            if not all(isinstance(v, str) and 0 < len(v) <= 100 for v in values):
                raise ZoneError(f"filter {key} takes strings of 1-100 characters")
            out[key] = [v.upper() if key == "plover" else v for v in values]
    return out


def _expand_roots(value: str) -> list[str]:
    """'14-20' -> ['14', ..., '20']; '18' -> ['18']."""
    value = value.strip()
    low, sep, high = value.partition("-")
    try:
        first, last = int(low), int(high) if sep else int(low)
    except ValueError as exc:
        raise ZoneError(f"CAMEO root {value!r} is not a number or range like 14-20") from exc
    if not 1 <= first <= last <= 20:
        raise ZoneError("CAMEO roots run from 01 to 20")
    return [f"{n:02d}" for n in range(first, last + 1)]


@dataclass
class Zone:
    zone_id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    polygon: Any = None
    filters: dict[str, list[Any]] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    shape: Polygon | None = None

    def contains(self, lat: float | None, lon: float | None) -> bool:
        if lat is None or lon is None:
            return False
        if self.shape is not None:
            return self.shape.contains(lat, lon)
        if self.lat is None or self.lon is None or self.radius_km is None:
            return False
        return haversine_km(self.lat, self.lon, lat, lon) <= self.radius_km

    def passes(self, event: dict[str, Any]) -> bool:
        f = self.filters
        if f.get("roots") and event.get("cameo_root") not in f["roots"]:
            return False
        if f.get("plover") and (event.get("plover") or "").upper() not in f["plover"]:
            return False
        if f.get("quad_classes") and event.get("quad_class") not in f["quad_classes"]:
            return False
        if f.get("actors"):
            names = {
                str(event.get(k) or "").lower()
                for k in ("source_code", "target_code", "source_name", "target_name")
            }
            if not any(a.lower() in names for a in f["actors"]):
                return False
        return True

    def public(self) -> dict[str, Any]:
        """The zone as the API and CLI show it: never the secret, the URL's path or credentials."""
        return {
            "zone_id": self.zone_id, "name": self.name,
            "kind": "polygon" if self.polygon is not None else "circle",
            "lat": self.lat, "lon": self.lon, "radius_km": self.radius_km,
            "polygon": self.polygon, "filters": self.filters,
            "webhook_url": masked(self.webhook_url),
            "created_at": _iso(self.created_at), "updated_at": _iso(self.updated_at),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="microseconds") + "Z" if value else None


def validate_zone(
    name: Any, lat: Any = None, lon: Any = None, radius_km: Any = None, polygon: Any = None,
    filters: Any = None, webhook_url: Any = None,
) -> Zone:
    """A checked, not yet stored zone; ZoneError says what is wrong."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise ZoneError(f"name must be 1-{MAX_NAME_LENGTH} characters")
    zone = Zone(zone_id="", name=name.strip(), filters=_clean_filters(filters))
    if polygon is not None:
        if any(v is not None for v in (lat, lon, radius_km)):
            raise ZoneError("give either a polygon or lat/lon/radius_km, not both")
        if not _all_finite(polygon):
            raise ZoneError("polygon holds a number that is not finite (NaN or infinity)")
        zone.shape = parse_polygon(polygon)
        zone.polygon = polygon
    else:
        try:
            zone.lat, zone.lon, zone.radius_km = float(lat), float(lon), float(radius_km)
        except (TypeError, ValueError) as exc:
            raise ZoneError("a circle zone needs numeric lat, lon and radius_km") from exc
        if not (-90 <= zone.lat <= 90 and -180 <= zone.lon <= 180):
            raise ZoneError("lat must be within -90..90 and lon within -180..180")
        if not 0 < zone.radius_km <= MAX_RADIUS_KM:
            raise ZoneError(f"radius_km must be over 0 and at most {MAX_RADIUS_KM:g}")
    if webhook_url is not None:
        if not isinstance(webhook_url, str) or len(webhook_url) > 2000:
            raise ZoneError("webhook_url must be a URL string")
        try:
            check_url(webhook_url)
        except WebhookRefused as exc:
            raise ZoneError(str(exc)) from exc
        zone.webhook_url = webhook_url
    return zone


def _new_zone_id() -> str:
    return "z" + secrets.token_hex(6)


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _from_row(row: Sequence[Any]) -> Zone:
    """A stored zone; one whose polygon no longer parses keeps its name but contains nothing."""
    polygon, shape = None, None
    try:
        polygon = json.loads(row[5]) if row[5] is not None else None
        if polygon is not None and _all_finite(polygon):
            shape = parse_polygon(polygon)
    except (ValueError, RecursionError):  # ZoneError and bad JSON are ValueErrors
        pass
    if shape is None:
        polygon = None
    try:
        filters = json.loads(row[6])
    except ValueError:
        filters = {}
    return Zone(
        zone_id=row[0], name=row[1], lat=_finite_or_none(row[2]), lon=_finite_or_none(row[3]),
        radius_km=_finite_or_none(row[4]), polygon=polygon,
        filters=filters if isinstance(filters, dict) else {}, webhook_url=row[7],
        webhook_secret=row[8], created_at=row[9], updated_at=row[10], shape=shape,
    )


ZONE_SELECT = (
    "SELECT zone_id, name, lat, lon, radius_km, polygon, filters, webhook_url, webhook_secret, "
    "created_at, updated_at FROM zones"
)


def add_zone(con: duckdb.DuckDBPyConnection, zone: Zone,
             webhook_secret: str | None = None) -> tuple[Zone, str | None]:
    """Store a validated zone; returns it and the webhook secret (made up when not given)."""
    ensure_tables(con)
    zone.zone_id = _new_zone_id()
    zone.created_at = zone.updated_at = now()
    if zone.webhook_url:
        zone.webhook_secret = webhook_secret or secrets.token_urlsafe(32)
    con.execute(
        "INSERT INTO zones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [zone.zone_id, zone.name, zone.lat, zone.lon, zone.radius_km,
         json.dumps(zone.polygon, allow_nan=False) if zone.polygon is not None else None,
         json.dumps(zone.filters), zone.webhook_url, zone.webhook_secret,
         zone.created_at, zone.updated_at],
    )
    return zone, zone.webhook_secret


def update_zone(con: duckdb.DuckDBPyConnection, zone_id: str, changes: dict[str, Any]) -> Zone:
    """Change some fields of a zone; the geometry is replaced whole when any part is given."""
    old = get_zone(con, zone_id)
    if old is None:
        raise KeyError(zone_id)
    geometry_keys = {"lat", "lon", "radius_km", "polygon"}
    if geometry_keys & set(changes):
        geometry = {k: changes.get(k) for k in geometry_keys}
    else:
        geometry = {"lat": old.lat, "lon": old.lon, "radius_km": old.radius_km,
                    "polygon": old.polygon}
    new = validate_zone(
        changes.get("name", old.name), filters=changes.get("filters", old.filters),
        webhook_url=changes.get("webhook_url", old.webhook_url), **geometry,
    )
    new.zone_id, new.created_at, new.updated_at = old.zone_id, old.created_at, now()
    new.webhook_secret = old.webhook_secret
    if new.webhook_url and not new.webhook_secret:
        new.webhook_secret = secrets.token_urlsafe(32)
    con.execute(
        "UPDATE zones SET name = ?, lat = ?, lon = ?, radius_km = ?, polygon = ?, filters = ?, "
        "webhook_url = ?, webhook_secret = ?, updated_at = ? WHERE zone_id = ?",
        [new.name, new.lat, new.lon, new.radius_km,
         json.dumps(new.polygon, allow_nan=False) if new.polygon is not None else None,
         json.dumps(new.filters),
         new.webhook_url, new.webhook_secret, new.updated_at, zone_id],
    )
    return new


def get_zone(con: duckdb.DuckDBPyConnection, zone_id: str) -> Zone | None:
    if not has_tables(con):
        return None
    row = con.execute(ZONE_SELECT + " WHERE zone_id = ?", [zone_id]).fetchone()
    return _from_row(row) if row else None


def list_zones(con: duckdb.DuckDBPyConnection) -> list[Zone]:
    if not has_tables(con):
        return []
    rows = con.execute(ZONE_SELECT + " ORDER BY created_at, zone_id").fetchall()
    return [_from_row(r) for r in rows]


def remove_zone(con: duckdb.DuckDBPyConnection, zone_id: str) -> bool:
    """Delete a zone with its alerts and queued deliveries; False when there is none."""
    if get_zone(con, zone_id) is None:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("webhook_deliveries", "alerts", "zones"):
            con.execute(f"DELETE FROM {table} WHERE zone_id = ?", [zone_id])  # noqa: S608
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


# ---------------------------------------------------------------- alerts


def _alert_id(zone_id: str, event_id: str) -> str:
    return hashlib.sha1(f"{zone_id}\x00{event_id}".encode()).hexdigest()[:20]


class AlertRaiser:
    """Raises alerts for events stored since it last looked; build once per ingest run.

    It keeps a watermark (the ``added_at`` of the newest event it has checked)
    in ``alert_state``, written after the alerts, so a run killed between
    storing an article and raising its alerts catches up on the next start,
    and looking twice at the same events adds nothing.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ensure_tables(con)
        self.zones = list_zones(con)
        self.raised = 0
        row = con.execute("SELECT checked_until FROM alert_state WHERE id = 1").fetchone()
        starts = [z.created_at for z in self.zones if z.created_at]
        first_zone = min(starts) if starts else None
        checked = row[0] if row is not None else None
        # nothing stored before the oldest zone can raise an alert
        self.watermark: datetime | None = (
            max(checked, first_zone) if checked and first_zone else first_zone)
        self.seen_at_watermark: set[str] = set()

    def article_stored(self, doc_id: str) -> int:
        """Called after each stored article; returns how many alerts were new."""
        return self.check()

    def check(self) -> int:
        """Alerts for every live, placed news event first stored at or after the watermark."""
        if not self.zones or self.watermark is None:
            return 0
        columns = ", ".join(EVENT_COLUMNS)
        rows = self.con.execute(
            f"SELECT {columns} FROM events WHERE added_at >= ? AND deleted_at IS NULL "
            # history told as background (the 2016 recapture) is no news to alert on
            "AND lat IS NOT NULL AND lon IS NOT NULL AND salience IS DISTINCT FROM 'background' "
            "ORDER BY added_at, event_id",
            [self.watermark],
        ).fetchall()
        events = [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows]
        # events at the watermark itself were looked at last time
        events = [e for e in events if e["event_id"] not in self.seen_at_watermark]
        new = self.raise_for(events)
        if events:
            newest = max(e["added_at"] for e in events)
            if newest != self.watermark:
                self.watermark = newest
                self.seen_at_watermark = set()
                self.con.execute(
                    "INSERT INTO alert_state VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
                    "checked_until = excluded.checked_until", [newest])
            self.seen_at_watermark |= {e["event_id"] for e in events
                                       if e["added_at"] == self.watermark}
        return new

    def raise_for(self, events: Iterable[dict[str, Any]]) -> int:
        """Alerts for the (zone, event) pairs that match and have none yet, in one write."""
        pairs: dict[str, tuple[Zone, dict[str, Any]]] = {}
        for event in events:
            first_stored = event.get("added_at")
            for zone in self.zones:
                if zone.created_at and first_stored and first_stored < zone.created_at:
                    continue  # alerts are about what is stored after the zone was drawn
                if zone.contains(event.get("lat"), event.get("lon")) and zone.passes(event):
                    pairs[_alert_id(zone.zone_id, event["event_id"])] = (zone, event)
        if not pairs:
            return 0
        known = {r[0] for r in self.con.execute(
            "SELECT alert_id FROM alerts WHERE alert_id IN (SELECT unnest(?))",
            [list(pairs)]).fetchall()}
        fresh = [(alert_id, zone, event) for alert_id, (zone, event) in pairs.items()
                 if alert_id not in known]
        if not fresh:
            return 0
        raised_at = now()
        self.con.execute(
            "INSERT INTO alerts SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), ?, unnest(?::VARCHAR[]) ON CONFLICT DO NOTHING",
            [[a for a, _, _ in fresh], [z.zone_id for _, z, _ in fresh],
             [e["event_id"] for _, _, e in fresh], raised_at,
             [json.dumps({k: _jsonable(v) for k, v in e.items()}, ensure_ascii=False)
              for _, _, e in fresh]])
        hooks = [(a, z) for a, z, _ in fresh if z.webhook_url]
        if hooks:
            self.con.execute(
                "INSERT INTO webhook_deliveries SELECT unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), 'pending', 0, NULL, NULL, ?, NULL, "
                "? ON CONFLICT DO NOTHING",
                [[a for a, _ in hooks], [z.zone_id for _, z in hooks],
                 [z.webhook_url for _, z in hooks], raised_at, raised_at])
        self.raised += len(fresh)
        return len(fresh)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def list_alerts(
    con: duckdb.DuckDBPyConnection, zone_id: str | None = None, since: datetime | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Alerts oldest first, with their zone and event, optionally only those after ``since``."""
    if not has_tables(con):
        return []
    where: list[str] = []
    params: list[Any] = []
    if zone_id is not None:
        where.append("a.zone_id = ?")
        params.append(zone_id)
    if since is not None:
        where.append("a.raised_at > ?")
        params.append(since)
    sql = (
        "SELECT a.alert_id, a.zone_id, z.name, a.event_id, a.raised_at, a.event, d.status "
        "FROM alerts a JOIN zones z USING (zone_id) "
        "LEFT JOIN webhook_deliveries d USING (alert_id)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.raised_at, a.alert_id LIMIT ?"
    )
    out = []
    for row in con.execute(sql, [*params, limit]).fetchall():
        out.append({
            "alert_id": row[0], "zone_id": row[1], "zone_name": row[2], "event_id": row[3],
            "raised_at": _iso(row[4]), "event": json.loads(row[5]), "webhook": row[6],
        })
    return out


# ---------------------------------------------------------------- webhooks


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC of ``timestamp.body``."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str, timestamp: str,
           tolerance: float = SIGNATURE_TOLERANCE, at: float | None = None) -> bool:
    """What a receiver does: the signature matches and its timestamp is within the tolerance."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    moment = time.time() if at is None else at
    if abs(moment - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, stamp), header)


@dataclass
class _Delivery:
    alert_id: str
    url: str
    attempts: int
    due: datetime | None
    secret: str
    body: bytes


def _queued(con: duckdb.DuckDBPyConnection) -> list[_Delivery]:
    rows = con.execute(
        "SELECT d.alert_id, d.url, d.attempts, d.next_attempt_at, z.webhook_secret, z.zone_id, "
        "z.name, a.event_id, a.raised_at, a.event FROM webhook_deliveries d "
        "JOIN alerts a USING (alert_id) JOIN zones z ON z.zone_id = d.zone_id "
        "WHERE d.status = 'pending' ORDER BY a.raised_at, d.alert_id"
    ).fetchall()
    out = []
    for alert_id, url, attempts, due, secret, zone_id, zone_name, event_id, raised, event in rows:
        body = json.dumps({
            "alert_id": alert_id, "zone_id": zone_id, "zone_name": zone_name,
            "event_id": event_id, "raised_at": _iso(raised), "event": json.loads(event),
        }, ensure_ascii=False, sort_keys=True).encode()
        out.append(_Delivery(alert_id, url, attempts, due, secret or "", body))
    return out


def deliver_pending(
    con: duckdb.DuckDBPyConnection,
    backoff: Sequence[float] = DEFAULT_BACKOFF,
    timeout: float = 10.0,
    wait: bool = True,
    lock: contextlib.AbstractContextManager[Any] | None = None,
) -> dict[str, int]:
    """POST every queued alert to its zone's webhook; retry with back-off; record the outcome.

    With ``wait`` the back-off pauses are slept here, so one call finishes
    every delivery; without it a failed try is rescheduled and a later call
    (the next ``watch`` cycle) picks it up when it is due. ``lock`` is taken
    only to read and write the queue, never while a request is in flight.
    """
    counts = {"delivered": 0, "failed": 0, "retrying": 0}
    guard = lock if lock is not None else contextlib.nullcontext()
    with guard:
        if not has_tables(con):
            return counts
        queue = _queued(con)
    down: set[str] = set()  # endpoints that failed every try in this call
    with httpcore.ConnectionPool(ssl_context=ssl.create_default_context(),
                                 network_backend=GuardedBackend()) as pool:
        for item in queue:
            if item.url in down or (not wait and item.due is not None and item.due > now()):
                continue  # left queued for a later call
            outcome = _deliver(con, guard, pool, item, backoff, timeout, wait)
            counts[outcome] += 1
            if outcome == "failed":
                down.add(item.url)
    return counts


def _deliver(
    con: duckdb.DuckDBPyConnection, guard: contextlib.AbstractContextManager[Any],
    pool: httpcore.ConnectionPool, item: _Delivery, backoff: Sequence[float], timeout: float,
    wait: bool,
) -> str:
    """Tries one delivery until it is delivered, failed, or (without ``wait``) rescheduled."""
    attempts = item.attempts
    while True:
        attempts += 1
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(item.secret, item.body, stamp),
            "X-Eventwire-Alert": item.alert_id, "User-Agent": f"eventwire/{__version__}",
        }
        status, error = _post(pool, item.url, item.body, headers, timeout)
        if status is not None and 200 <= status < 300:
            with guard:
                _record(con, item.alert_id, "delivered", attempts, status, None, None)
            return "delivered"
        if attempts > len(backoff) or error and error.startswith("refused"):
            with guard:
                _record(con, item.alert_id, "failed", attempts, status, error, None)
            return "failed"
        pause = backoff[attempts - 1]
        due = None if wait else now() + timedelta(seconds=pause)
        with guard:
            _record(con, item.alert_id, "pending", attempts, status, error, due)
        if not wait:
            return "retrying"
        time.sleep(pause)


def _post(
    pool: httpcore.ConnectionPool, url: str, body: bytes, headers: dict[str, str],
    timeout: float,
) -> tuple[int | None, str | None]:
    limits = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    try:
        response = pool.request("POST", url, headers=list(headers.items()), content=body,
                                extensions={"timeout": limits})
    except WebhookRefused as exc:
        return None, f"refused: {exc}"[:300]
    except (httpcore.ConnectError, httpcore.TimeoutException, httpcore.NetworkError,
            httpcore.ProtocolError, httpcore.UnsupportedProtocol, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status < 300:
        return response.status, None
    return response.status, f"HTTP {response.status}"


def _record(
    con: duckdb.DuckDBPyConnection, alert_id: str, status: str, attempts: int,
    last_status: int | None, error: str | None, due: datetime | None,
) -> None:
    stamp = now()
    con.execute(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, "
        "next_attempt_at = ?, delivered_at = ?, updated_at = ? WHERE alert_id = ?",
        [status, attempts, last_status, error, due, stamp if status == "delivered" else None,
         stamp, alert_id],
    )


def deliveries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    if not has_tables(con):
        return []
    names = ("alert_id", "zone_id", "url", "status", "attempts", "last_status", "last_error",
             "delivered_at")
    rows = con.execute(
        f"SELECT {', '.join(names)} FROM webhook_deliveries ORDER BY updated_at, alert_id"
    ).fetchall()
    return [{k: _jsonable(v) for k, v in zip(names, row, strict=True)} for row in rows]

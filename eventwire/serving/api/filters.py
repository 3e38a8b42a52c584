"""The filters of /events and /stats, read from the query string into a bound WHERE clause."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query

from eventwire.records.errors import EventwireError
from eventwire.records.geometry import EARTH_RADIUS_KM
from eventwire.records.queries import query_country, query_type
from eventwire.serving import zones as zones_mod
from eventwire.serving.api.deps import ISO_DATE, MAX_LIST_VALUES, ApiError
from eventwire.serving.hygiene import BadValue, checked_time


def _split(value: str) -> list[str]:
    parts = [p.strip() for p in value.split("|") if p.strip()]
    if len(parts) > MAX_LIST_VALUES:
        raise ApiError(400, "too_many_values", f"at most {MAX_LIST_VALUES} values separated by |")
    return parts


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(400, "bad_date", f"{name}: {value!r} is not a date YYYY-MM-DD") from exc


def parse_time(value: str, name: str = "since") -> datetime:
    """An ISO date or date-time (UTC when no zone is given) as a naive UTC datetime."""
    text = value.strip().replace(" ", "T")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ApiError(400, "bad_time", f"{name}: {value!r} is not an ISO date-time") from exc
    try:
        return checked_time(moment)
    except BadValue as exc:
        raise ApiError(400, "bad_time", f"{name}: {value!r}: {exc}") from exc


def _roots(value: str) -> list[str]:
    out: set[str] = set()
    for part in _split(value):
        try:
            out.update(zones_mod._expand_roots(part))
        except zones_mod.ZoneError as exc:
            raise ApiError(400, "bad_root", str(exc)) from exc
    return sorted(out)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def radius_sql(lat: float, lon: float, radius_km: float) -> tuple[list[str], list[Any]]:
    """A bounding box the zone maps can prune with, then the great-circle distance itself."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    where = ["lat BETWEEN ? AND ?"]
    params: list[Any] = [lat - dlat, lat + dlat]
    cos_lat = math.cos(math.radians(lat))
    if abs(lat) + dlat < 89 and cos_lat > 0:
        dlon = dlat / cos_lat
        if lon - dlon >= -180 and lon + dlon <= 180:
            where.append("lon BETWEEN ? AND ?")
            params += [lon - dlon, lon + dlon]
    where.append(
        "2 * 6371.0088 * asin(least(1.0, sqrt(pow(sin(radians(lat - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(lat)) * pow(sin(radians(lon - ?) / 2), 2)))) <= ?"
    )
    params += [lat, lat, lon, radius_km]
    return where, params


@dataclass
class EventFilters:
    """The WHERE clause of an events query, built only from bound parameters."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    include_deleted: bool = False

    def add(self, clause: str, params: Sequence[Any] = ()) -> None:
        self.where.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        clauses = list(self.where)
        if not self.include_deleted:
            clauses.append("deleted_at IS NULL")
        return " AND ".join(clauses) if clauses else "TRUE"


Codes = r"^[A-Za-z]{3}(\|[A-Za-z]{3}){0,49}$"


def event_filters(
    event_date: Annotated[str | None, Query(
        description="A day YYYY-MM-DD, or a range FROM|TO (inclusive)",
        pattern=rf"^{ISO_DATE}(\|{ISO_DATE})?$")] = None,
    date_from: Annotated[str | None, Query(description="First day, inclusive",
                                           pattern=rf"^{ISO_DATE}$")] = None,
    date_to: Annotated[str | None, Query(description="Last day, inclusive",
                                         pattern=rf"^{ISO_DATE}$")] = None,
    country: Annotated[str | None, Query(
        description="ISO3 country of the event's place; several with |", pattern=Codes)] = None,
    actor_country: Annotated[str | None, Query(
        description="ISO3 country of the source or the target; several with |",
        pattern=Codes)] = None,
    actor: Annotated[str | None, Query(
        description="Actor code (exact) or name (part of it), source or target",
        min_length=1, max_length=100)] = None,
    source: Annotated[str | None, Query(description="Source actor code or name",
                                        min_length=1, max_length=100)] = None,
    target: Annotated[str | None, Query(description="Target actor code or name",
                                        min_length=1, max_length=100)] = None,
    cameo: Annotated[str | None, Query(
        description="CAMEO code or its prefix (190 matches 190-1904); several with |",
        pattern=r"^\d{2,4}(\|\d{2,4}){0,49}$")] = None,
    root: Annotated[str | None, Query(
        description="CAMEO root 01-20 or range 14-20; several with |",
        pattern=r"^\d{1,2}(-\d{1,2})?(\|\d{1,2}(-\d{1,2})?){0,19}$")] = None,
    plover: Annotated[str | None, Query(description="PLOVER type; several with |",
                                        pattern=r"^[A-Za-z_]{1,40}(\|[A-Za-z_]{1,40}){0,49}$")
                      ] = None,
    plover_mode: Annotated[str | None, Query(
        description="PLOVER mode; several with |",
        pattern=r"^[A-Za-z_ -]{1,40}(\|[A-Za-z_ -]{1,40}){0,49}$")] = None,
    quad_class: Annotated[str | None, Query(description="Quad class 1-4; several with |",
                                            pattern=r"^[1-4](\|[1-4]){0,3}$")] = None,
    goldstein_min: Annotated[float | None, Query(ge=-10, le=10)] = None,
    goldstein_max: Annotated[float | None, Query(ge=-10, le=10)] = None,
    confidence_min: Annotated[float | None, Query(ge=0, le=1)] = None,
    salience: Annotated[str | None, Query(
        description="headline, main or background; several with |",
        pattern=r"^(headline|main|background)(\|(headline|main|background)){0,2}$")] = None,
    fatalities_min: Annotated[int | None, Query(ge=0, le=10_000_000,
                                                description="At least this many dead")] = None,
    bbox: Annotated[str | None, Query(
        description="min_lon,min_lat,max_lon,max_lat", max_length=120)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Centre of a radius query")
                   ] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=zones_mod.MAX_RADIUS_KM)] = None,
    q: Annotated[str | None, Query(description="Words in the evidence sentence",
                                   min_length=1, max_length=200)] = None,
    since: Annotated[str | None, Query(
        description="Only events changed after this time (ISO), deletions included",
        max_length=40)] = None,
) -> EventFilters:
    f = EventFilters()
    _dates(f, event_date, date_from, date_to)
    _actors(f, country, actor_country, actor, source, target)
    _kinds(f, cameo, root, plover, plover_mode, quad_class)
    _scores(f, goldstein_min, goldstein_max, confidence_min)
    if salience:
        f.add(*_in("salience", _split(salience)))
    if fatalities_min is not None:
        f.add("fatalities >= ?", [fatalities_min])
    _where(f, bbox, lat, lon, radius_km)
    if q:
        f.add("sentence ILIKE ? ESCAPE '\\'", [_like(q)])
    if since:
        moment = parse_time(since)
        f.add("(updated_at > ? OR deleted_at > ?)", [moment, moment])
        f.include_deleted = True
    return f


def _dates(f: EventFilters, event_date: str | None, date_from: str | None,
           date_to: str | None) -> None:
    first, last = None, None
    if event_date:
        days = event_date.split("|")
        first = _parse_day(days[0], "event_date")
        last = _parse_day(days[-1], "event_date")
    if date_from:
        first = _parse_day(date_from, "date_from")
    if date_to:
        last = _parse_day(date_to, "date_to")
    if first and last and first > last:
        raise ApiError(400, "bad_date_range", "the first day is after the last")
    if first:
        f.add("date >= ?", [first])
    if last:
        f.add("date <= ?", [last])


def _actors(f: EventFilters, country: str | None, actor_country: str | None,
            actor: str | None, source: str | None, target: str | None) -> None:
    if country:
        f.add(*_in("place_country", [_checked(query_country, c) for c in _split(country)]))
    if actor_country:
        codes = [_checked(query_country, c) for c in _split(actor_country)]
        a, pa = _in("source_country", codes)
        b, pb = _in("target_country", codes)
        f.add(f"({a} OR {b})", pa + pb)
    for value, sides in ((actor, ("source", "target")), (source, ("source",)),
                         (target, ("target",))):
        if value:
            parts = []
            params: list[Any] = []
            for side in sides:
                parts.append(f"{side}_code = ? OR {side}_name ILIKE ? ESCAPE '\\'")
                params += [value.upper(), _like(value)]
            f.add("(" + " OR ".join(parts) + ")", params)


def _checked(check: Callable[[str], str], value: str) -> str:
    """``check(value)``, its coded error made a 400 answer."""
    try:
        return check(value)
    except EventwireError as exc:
        raise ApiError(400, f"bad_{check.__name__.removeprefix('query_')}", str(exc)) from None


def _kinds(f: EventFilters, cameo: str | None, root: str | None, plover: str | None,
           plover_mode: str | None, quad_class: str | None) -> None:
    if cameo:
        codes = _split(cameo)
        f.add("(" + " OR ".join("starts_with(cameo, ?)" for _ in codes) + ")", codes)
    if root:
        f.add(*_in("cameo_root", _roots(root)))
    if plover:
        f.add(*_in("upper(plover)", [_checked(query_type, p) for p in _split(plover)]))
    if plover_mode:
        f.add(*_in("lower(plover_mode)", [p.lower() for p in _split(plover_mode)]))
    if quad_class:
        f.add(*_in("quad_class", sorted({int(v) for v in _split(quad_class)})))


def _scores(f: EventFilters, goldstein_min: float | None, goldstein_max: float | None,
            confidence_min: float | None) -> None:
    if goldstein_min is not None:
        f.add("goldstein >= ?", [goldstein_min])
    if goldstein_max is not None:
        f.add("goldstein <= ?", [goldstein_max])
    if goldstein_min is not None and goldstein_max is not None and goldstein_min > goldstein_max:
        raise ApiError(400, "bad_range", "goldstein_min is above goldstein_max")
    if confidence_min is not None:
        f.add("confidence >= ?", [confidence_min])


def _where(f: EventFilters, bbox: str | None, lat: float | None, lon: float | None,
           radius_km: float | None) -> None:
    if bbox:
        f.add("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", _bbox(bbox))
    if (lat, lon, radius_km).count(None) not in (0, 3):
        raise ApiError(400, "bad_radius", "a radius query needs lat, lon and radius_km together")
    if lat is not None and lon is not None and radius_km is not None:
        clauses, params = radius_sql(lat, lon, radius_km)
        for clause in clauses:
            f.add(clause)
        f.params.extend(params)


def _bbox(value: str) -> list[float]:
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError as exc:
        raise ApiError(400, "bad_bbox", "bbox is four numbers min_lon,min_lat,max_lon,max_lat"
                       ) from exc
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ApiError(400, "bad_bbox", "bbox is four numbers min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApiError(400, "bad_bbox", "bbox corners are out of range or in the wrong order")
    return [min_lon, max_lon, min_lat, max_lat]


Filters = Annotated[EventFilters, Depends(event_filters)]

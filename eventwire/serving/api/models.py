"""The shapes of the API's answers and request bodies (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from eventwire.serving import zones as zones_mod
from eventwire.serving.api.deps import MAX_BODY_BYTES


class EventOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    event_id: str
    date: str | None = None
    date_precision: str | None = None
    cameo: str | None = None
    cameo_root: str | None = None
    plover: str | None = None
    plover_mode: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    source_name: str | None = None
    source_code: str | None = None
    source_country: str | None = None
    source_agent: str | None = None
    target_name: str | None = None
    target_code: str | None = None
    target_country: str | None = None
    target_agent: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    place_precision: str | None = None
    sentence: str | None = None
    confidence: float | None = None
    n_mentions: int | None = None
    n_articles: int | None = None
    n_sources: int | None = None
    first_reported: str | None = None
    last_reported: str | None = None
    added_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class EventPage(BaseModel):
    events: list[EventOut]
    next: str | None = Field(None, description="Token for the next page, or null on the last")
    next_url: str | None = None


class MentionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    mention_id: str
    event_id: str | None = None
    doc_id: str | None = None
    sentence: str | None = None
    trigger: str | None = None
    title: str | None = None
    url: str | None = None


class EventDetail(BaseModel):
    event: EventOut
    mentions: list[MentionOut]


class StatRow(BaseModel):
    key: str | None
    events: int


class Stats(BaseModel):
    by: str
    total: int
    counts: list[StatRow]


class PlaceOut(BaseModel):
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    geonameid: int | None = None
    mentions: int
    articles: int


class PlacePage(BaseModel):
    places: list[PlaceOut]
    next: str | None = None


class ArticleOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    doc_id: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None


class ArticleDetail(BaseModel):
    article: ArticleOut
    mentions: list[MentionOut]
    places: list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    schema_version: int | None
    read_only: bool
    events: int | None


class RecordIn(BaseModel):
    """One input record, as in a JSONL file."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = Field(None, max_length=300)
    text: str = Field(min_length=1, max_length=MAX_BODY_BYTES)
    title: str | None = Field(None, max_length=1000)
    date: str | None = Field(None, max_length=40)
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=300)


class IngestIn(BaseModel):
    records: list[RecordIn] = Field(min_length=1, max_length=100)


class IngestReport(BaseModel):
    stored: int
    skipped: int
    alerts: int
    errors: list[dict[str, str]]


class ZoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=zones_mod.MAX_NAME_LENGTH)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0, le=zones_mod.MAX_RADIUS_KM)
    polygon: dict[str, Any] | None = Field(None, description="GeoJSON Polygon or MultiPolygon")
    filters: dict[str, list[Any]] | None = Field(
        None, description="roots (e.g. ['14-20']), actors, plover, quad_classes")
    webhook_url: str | None = Field(None, max_length=2000)
    webhook_secret: str | None = Field(None, min_length=16, max_length=200)


class ZonePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=zones_mod.MAX_NAME_LENGTH)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0, le=zones_mod.MAX_RADIUS_KM)
    polygon: dict[str, Any] | None = None
    filters: dict[str, list[Any]] | None = None
    webhook_url: str | None = Field(None, max_length=2000)


class ZoneOut(BaseModel):
    zone_id: str
    name: str
    kind: Literal["circle", "polygon"]
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    polygon: dict[str, Any] | None = None
    filters: dict[str, list[Any]]
    webhook_url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class ZoneCreated(BaseModel):
    zone: ZoneOut
    webhook_secret: str | None = Field(
        None, description="Shown once: the key that signs this zone's webhook calls")


class ZoneList(BaseModel):
    zones: list[ZoneOut]


class AlertOut(BaseModel):
    alert_id: str
    zone_id: str
    zone_name: str
    event_id: str
    raised_at: str | None
    event: dict[str, Any]
    webhook: str | None = None


class AlertList(BaseModel):
    alerts: list[AlertOut]


class Deleted(BaseModel):
    deleted: str

"""The records that flow between pipeline stages.

Plain dataclasses so every stage can be tested alone; ``to_dict`` gives the
field names of the public event record (see README), which are a contract.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One input article after reading and structuring."""

    doc_id: str
    text: str  # the raw input text, offsets of place mentions refer to it
    body: str = ""  # the body with headline, date lines, captions and credits removed
    title: str | None = None
    published: str | None = None  # ISO date, yyyy-mm-dd
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    language: str | None = None  # ISO 639-1, when the reader checked it
    captions: list[str] = field(default_factory=list)
    body_offset: list[tuple[int, int]] = field(default_factory=list)
    """(start in body, start in text) pairs: where each body block came from."""
    origin: str | None = None
    """Where the reader found it: the path the user gave, ``:N`` for the Nth record."""

    def text_offset(self, body_pos: int) -> int:
        """Map a character offset in ``body`` back to ``text``."""
        best = (0, 0)
        for body_start, text_start in self.body_offset:
            if body_start <= body_pos:
                best = (body_start, text_start)
            else:
                break
        return best[1] + (body_pos - best[0])


@dataclass
class Actor:
    """A coded actor: who a mention refers to, in CAMEO terms."""

    text: str
    name: str | None = None
    code: str | None = None
    country: str | None = None  # ISO3
    agent: str | None = None  # CAMEO sector: GOV, MIL, REB, ...
    backer: str | None = None  # ISO3 or organisation code of a sponsor
    start: int | None = None  # offsets in the article body, when known
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "code": self.code,
            "country": self.country,
            "agent": self.agent,
            "backer": self.backer,
        }


@dataclass
class Place:
    """A resolved place: a gazetteer entry."""

    name: str
    lat: float | None
    lon: float | None
    country: str | None = None  # ISO3
    admin1: str | None = None
    geonameid: int | None = None
    feature: str | None = None  # e.g. "city", "country", "border crossing", "desert"
    population: int = 0
    admin1_code: str | None = None  # GeoNames code, "ML.09"
    admin2: str | None = None
    admin2_code: str | None = None  # GeoNames code, "ML.09.7670553"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "admin2": self.admin2,
            "admin2_code": self.admin2_code,
            "geonameid": self.geonameid,
            "feature": self.feature,
        }


PLACE_FIELDS = ("name", "lat", "lon", "country", "admin1", "admin1_code", "admin2",
                "admin2_code", "geonameid", "feature")


@dataclass
class PlaceMention:
    """A toponym found in an article and where it was resolved to."""

    doc_id: str
    text: str
    start: int  # offsets into Article.text
    end: int
    place: Place | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        resolved = self.place.to_dict() if self.place else dict.fromkeys(PLACE_FIELDS)
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            **resolved,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Evidence:
    sentence: str
    sentence_index: int
    start: int  # offsets of the sentence in Article.text
    end: int
    trigger: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """One coded event, the unit every later stage and export relies on."""

    doc_id: str
    cameo: str
    source: Actor | None
    target: Actor | None
    evidence: Evidence
    confidence: float
    coder: str
    cameo_root: str = ""
    plover: str | None = None
    plover_mode: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    date: str | None = None
    date_precision: str | None = None
    location: Place | None = None
    event_id: str = ""
    trigger_start: int | None = None
    """Offset of the trigger in Article.text; used to attach places, not exported."""
    location_precision: str | None = None
    """How exact the location is: point (a site), city (a town or village), region (a
    division, district or area) or country; None when the event has no place. Exported as
    the record's ``location_precision``."""
    construction: str = ""
    """The construction that found it (``events.base.REGISTRY``); not exported."""
    place_span: tuple[int, int] | None = None
    """Body offsets of the place words the extractor read as the event's; not exported."""
    attribution: str | None = None
    """How sure the text is of the source: stated, claimed or suspected; None without one."""
    fatalities: int | None = None
    """People the event killed, as its text counts them; None when it gives no number."""
    fatalities_text: str | None = None
    """The words that count the dead ("killing at least 12", "dozens were killed")."""
    salience: str | None = None
    """headline (the article's news), main (reported as news) or background (history)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "date": self.date,
            "date_precision": self.date_precision,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "attribution": self.attribution,
            "fatalities": self.fatalities,
            "fatalities_text": self.fatalities_text,
            "salience": self.salience,
            "location": self.location.to_dict() if self.location else None,
            "location_precision": self.location_precision if self.location else None,
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
            "coder": self.coder,
        }


def event_from_dict(record: dict[str, Any]) -> Event:
    """An event back from its record (what ``Event.to_dict`` wrote, as ``code`` prints it)."""
    def actor(value: dict[str, Any] | None) -> Actor | None:
        if not value:
            return None
        return Actor(value.get("text") or "", value.get("name"), value.get("code"),
                     value.get("country"), value.get("agent"), value.get("backer"))

    where = record.get("location")
    place = Place(**{k: where.get(k) for k in ("name", "lat", "lon", "country", "admin1",
                                               "geonameid", "feature", "admin1_code", "admin2",
                                               "admin2_code")}) if where else None
    plain = ("event_id", "doc_id", "date", "date_precision", "cameo", "cameo_root", "plover",
             "plover_mode", "quad_class", "goldstein", "attribution", "fatalities",
             "fatalities_text", "salience", "location_precision", "confidence", "coder")
    fields: dict[str, Any] = {k: record[k] for k in plain if k in record}
    return Event(source=actor(record.get("source")), target=actor(record.get("target")),
                 location=place, evidence=Evidence(**record["evidence"]), **fields)


EVENT_FIELDS = (
    "event_id", "doc_id", "date", "date_precision", "cameo", "cameo_root", "plover",
    "plover_mode", "quad_class", "goldstein", "source", "target", "attribution", "fatalities",
    "fatalities_text", "salience", "location", "location_precision",
    "evidence", "confidence", "coder",
)


@dataclass
class ArticleResult:
    """One article as coded: its events and place mentions, and how much of it was read."""

    article: Article
    events: list[Event] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    sentences: int = 0
    candidates: int = 0  # sentences the prefilter passed to the rules and the classifier
    parsed: bool = False  # whether the article went through spaCy at all

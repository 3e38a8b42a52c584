"""Actor coding: a mention's text -> country (ISO3), CAMEO sector, organisation and backer.

Everything the coder knows comes from the TSV tables in ``eventwire/data/actors/``; users add
their own tables in the same formats (``ActorCoder(extra_files=...)``, or the files listed in
``$EVENTWIRE_ACTORS`` for the command line). A table's kind is told by
its column header line (the first line that is not a ``#`` comment):

* ``iso3 name aliases demonyms capitals flags`` -- countries;
* ``term agent priority kind`` -- sector nouns and titles;
* ``code name country agent aliases`` -- organisations;
* ``name aliases country agent role`` -- people;
* ``code label domestic`` -- sector labels;
* ``region country aliases`` -- provinces and states (with a country) and world regions (without);
* ``city country aliases`` -- cities: places, which give a country only to an actor phrase;
* ``thing`` -- head nouns that never name an actor (places, events, documents).

Multi-valued cells are separated by ``|``. Phrases are matched on tokens through one index keyed
by the first token, so a lookup costs a few dictionary probes per token however large the tables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from eventwire.data import DATA_DIR
from eventwire.records.model import Actor

DATA_DIR = DATA_DIR / "actors"
ACTORS_ENV = "EVENTWIRE_ACTORS"
DEFAULT_FILES = (
    "countries.tsv", "regions.tsv", "sectors.tsv", "agents.tsv", "organisations.tsv",
    "people.tsv", "things.tsv", "cities.tsv",
)

_TOKEN_RE = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|[^\W_]+|'s\b|[-\u2013]|\S")

# Closed-class words: grammar, not knowledge, so they live here rather than in a table.
_BACKER_WORDS = frozenset(
    "backed supported sponsored funded armed trained allied aligned affiliated led linked "
    "loyal proxy".split()
)
_BACKER_BARE = frozenset("backed supported sponsored funded".split())
_LOCATIVE = frozenset(
    "in at near inside across within into around outside against on over toward towards to "
    "from with for between".split()
)
_DETERMINERS = frozenset("the a an this that these those its their his her our some".split())
_DEFINITE = frozenset("the these those this that its their such both".split())
_PRONOUNS = frozenset("we us they them our their he she him his her".split())
_HELD = frozenset("held controlled occupied run dominated besieged".split())
_PREPOSITIONS = frozenset(
    "of in near at on with from for to by between across outside inside into about".split()
)
_FORMER = frozenset("former ex".split())
_STATE_CUES = frozenset(
    "state governor gov atlanta county senator republican democrat legislature statehouse "
    "sheriff".split()
)
_ARMED = frozenset({"UAF", "REB", "INS", "MIL"})
_PROPER = frozenset({"country", "demonym", "capital", "org", "person", "region", "city"})
_KIND_RANK = {
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


@dataclass(frozen=True)
class Entry:
    kind: str  # country, demonym, capital, org, person, agent
    tokens: tuple[str, ...]
    case_sensitive: bool
    value: Country | Region | City | Org | Person | Term


@dataclass(frozen=True)
class Token:
    raw: str  # dots removed: "U.S." -> "US"
    low: str
    key: str  # lower-cased and singular
    cap: bool
    hyph_before: bool


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # token indices, end exclusive
    end: int


def singular(word: str) -> str:
    """A crude singular, applied alike to table phrases and text, so only consistency matters."""
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[Token]:
    """Word tokens; hyphens become a flag on the next token, possessive 's a token of its own."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    out: list[Token] = []
    hyph = False
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok in ("-", "\u2013"):
            hyph = True
            continue
        if not (tok[0].isalnum() or tok == "'s"):
            hyph = False
            if tok in ",;:()[]\"":
                out.append(Token(tok, tok, tok, False, False))
            continue
        raw = tok.replace(".", "") if "." in tok else tok
        low = raw.lower()
        out.append(Token(raw, low, singular(low), raw[:1].isupper(), hyph))
        hyph = False
    return out


def _is_word(tok: Token) -> bool:
    return tok.raw[:1].isalnum()


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


class ArticleActors:
    """Per-article memory: actors introduced so far, so later references resolve."""

    def __init__(self, focus_country: str | None = None) -> None:
        self.focus_country: str | None = focus_country
        self.actors: list[Actor] = []

    def remember(self, actor: Actor) -> None:
        self.actors.append(actor)

    def latest(self) -> Actor | None:
        return self.actors[-1] if self.actors else None


class ActorCoder:
    """Codes noun-phrase texts as CAMEO actors from the actor tables."""

    def __init__(self, extra_files: Sequence[Path] = ()) -> None:
        self._index: dict[str, list[Entry]] = {}
        self.countries: dict[str, Country] = {}
        self.labels: dict[str, str] = {}
        self.domestic: set[str] = set()
        self.things: set[str] = set()
        for path in [DATA_DIR / f for f in DEFAULT_FILES] + [Path(p) for p in extra_files]:
            self.load(path)
        for entries in self._index.values():
            entries.sort(key=lambda e: (-len(e.tokens), -_KIND_RANK[e.kind]))

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

    def _add(self, kind: str, phrase: str,
             value: Country | Region | City | Org | Person | Term) -> None:
        if phrase.lower().startswith("the "):
            phrase = phrase[4:]
        # the possessive stays, as the text's tokens keep it: "Lord's Resistance Army"
        toks = [t for t in tokenize(phrase) if _is_word(t) or t.raw == "'s"]
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

    # -- matching ------------------------------------------------------------------------

    def _matches(self, toks: list[Token]) -> list[Match]:
        out: list[Match] = []
        i = 0
        while i < len(toks):
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
                if entry.kind in _PROPER and not any(t.cap for t in span):
                    continue
                if best is None or n > best.end - best.start or (
                    n == best.end - best.start
                    and _KIND_RANK[entry.kind] > _KIND_RANK[best.entry.kind]
                ):
                    best = Match(entry, i, i + n)
            if best:
                out.append(best)
                i = best.end
            else:
                i += 1
        return out

    # -- public --------------------------------------------------------------------------

    def countries_in(self, text: str) -> list[str]:
        """ISO3 codes named in a text (names, demonyms, capitals), in order of first mention."""
        toks = tokenize(text)
        seen: list[str] = []
        for m in self._matches(toks):
            value = m.entry.value
            if isinstance(value, Country) and not self._name_part(toks, m):
                if value.iso3 not in seen:
                    seen.append(value.iso3)
        return seen

    def code(self, text: str, memory: ArticleActors | None = None) -> Actor | None:
        """The actor a noun phrase names, or None when it names nothing codable."""
        toks = tokenize(text)
        words = [t for t in toks if _is_word(t)]
        if not words:
            return None
        if all(t.low in _PRONOUNS and not t.raw.isupper() for t in words):
            last = memory.latest() if memory else None
            return replace(last, text=text, start=None, end=None) if last else None
        matches = self._matches(toks)
        named = {i for m in matches if m.entry.kind in _PROPER for i in range(m.start, m.end)}
        if words[0].low in _PREPOSITIONS or self._thing_head(toks, named):
            return None
        focus = memory.focus_country if memory else None

        backer: str | None = None
        aligned_gov = False
        orgs: list[Match] = []
        people: list[Match] = []
        countries: list[tuple[int, Match]] = []  # (rank, match): lower rank is stronger
        cities: list[Match] = []
        terms: list[Match] = []
        # "forces, backed by Iranian militias": what follows "backed by" names only the backer
        clause = next((i for i in range(len(toks) - 1)
                       if toks[i].low in _BACKER_WORDS and toks[i + 1].low == "by"), None)
        for m in matches:
            value = m.entry.value
            if clause is not None and m.start > clause:
                if not isinstance(value, Term) and backer is None:
                    backer = self._code_of(value)
                continue
            prev = toks[m.start - 1] if m.start > 0 else None
            nxt = toks[m.end] if m.end < len(toks) else None
            if prev is not None and prev.low == "anti" and m.entry.kind != "agent":
                continue
            if prev is not None and prev.low == "pro" and toks[m.start].hyph_before:
                if isinstance(value, Term):
                    aligned_gov = aligned_gov or value.agent in ("GOV", "MIL")
                else:
                    backer = backer or self._code_of(value)
                continue
            if nxt is not None and nxt.hyph_before and nxt.low in _HELD:
                continue  # "rebel-held", "Israeli-occupied": describes a place
            if m.entry.kind != "agent" and self._is_backer(toks, m, nxt):
                backer = backer or self._code_of(value)
                continue
            if isinstance(value, Term):
                terms.append(m)
                continue
            if self._name_part(toks, m):
                continue
            if isinstance(value, City):
                cities.append(m)
                continue
            locative = self._prev_word(toks, m.start) in _LOCATIVE
            if isinstance(value, Org):
                if not (locative and (countries or people or terms)):
                    orgs.append(m)
            elif isinstance(value, Person):
                people.append(m)
            elif isinstance(value, Region):
                if value.country:
                    countries.append((2 if locative else 0, m))
            elif isinstance(value, Country):
                if m.entry.kind == "capital":
                    countries.append((3 if locative else 1, m))
                else:
                    countries.append((2 if locative else 0, m))

        cut = next((i for i, t in enumerate(toks) if t.low in ("and", "or")), None)
        if cut is not None and any(m.end <= cut for m in terms):
            # "Hungarian NGOs and free media": the first conjunct has its own head noun
            terms = [m for m in terms if m.end <= cut]
        elif cut is not None and any(m.entry.kind == "country" and m.end <= cut
                                     for _, m in countries):
            # "Russia and the Syrian government": a country by name is a whole first conjunct
            terms = [m for m in terms if m.end <= cut]
        agent, armed_head = self._agent(toks, terms)
        country: str | None = None
        if countries:
            countries.sort(key=lambda rm: (rm[0], rm[1].start))
            first = countries[0][1]
            value = first.entry.value
            if isinstance(value, Country):
                country = self._disambiguate(value, toks, focus)
            elif isinstance(value, Region):
                country = value.country
            if agent is None and first.entry.kind == "capital" and not terms:
                agent = "GOV"  # a capital as metonym: "Washington said"
            if agent is None and terms:
                agent = "GOV"  # role words only: "Iranian officials", "a Russian spokesman"
        elif cities and agent is not None and not orgs:
            # a city is a place; it only tells where an actor is: "a court in Istanbul"
            city = cities[0].entry.value
            assert isinstance(city, City)
            country = city.country

        if orgs:
            org = orgs[0].entry.value
            assert isinstance(org, Org)
            if (org.country and country and country != org.country and countries[0][0] < 2
                    and countries[0][1].start < orgs[0].start):
                # "the Philippine Justice Department": the phrase's own country wins
                return self._make(text, self._name(country, org.agent or agent), country,
                                  org.agent or agent, backer)
            return Actor(text=text, name=org.name, code=org.code,
                         country=org.country or country, agent=org.agent or agent,
                         backer=backer)
        if people:
            person = people[0].entry.value
            assert isinstance(person, Person)
            strong = agent not in (None, person.agent) and any(
                isinstance(m.entry.value, Term) and m.entry.value.priority >= 2 for m in terms)
            p_agent = agent if strong else person.agent
            if p_agent == "GOV" and any(t.low in _FORMER for t in toks[:people[0].start]):
                p_agent = "ELI"  # "former Soviet leader Mikhail Gorbachev"
            p_country = person.country or country
            name = person.name if not strong else self._name(p_country, p_agent)
            return self._make(text, name, p_country, p_agent, backer)
        if aligned_gov and agent is None:
            agent = "MIL"
        if agent is None and not aligned_gov and self._bare_place(toks, countries):
            return None
        if country is None and agent is None:
            return None
        if country is None and memory is not None and not aligned_gov:
            found = self._recall(memory, toks, terms, agent, armed_head, backer)
            if found is not None:
                return replace(found, text=text, start=None, end=None)
        if country is None and focus and (agent in self.domestic or aligned_gov):
            country = focus
        return self._make(text, self._name(country, agent), country, agent, backer)

    # -- helpers -------------------------------------------------------------------------

    def _make(self, text: str, name: str | None, country: str | None, agent: str | None,
              backer: str | None) -> Actor:
        code = (country or "") + (agent or "")
        return Actor(text=text, name=name, code=code or None, country=country, agent=agent,
                     backer=backer)

    def _name(self, country: str | None, agent: str | None) -> str | None:
        cname = self.countries[country].name if country in self.countries else None
        label = self.labels.get(agent or "", agent)
        parts = [p for p in (cname, label) if p]
        return " ".join(parts) if parts else None

    @staticmethod
    def _code_of(value: Country | Region | City | Org | Person | Term) -> str | None:
        if isinstance(value, Country):
            return value.iso3
        if isinstance(value, City):
            return value.country
        if isinstance(value, Org):
            return value.code
        if isinstance(value, Region):
            return value.country
        if isinstance(value, Person):
            return value.country
        return None

    @staticmethod
    def _bare_place(toks: list[Token], countries: list[tuple[int, Match]]) -> bool:
        """"Crimea", "the Kirkuk": a province or state named alone is a place, not an actor.

        Plural demonyms ("Tibetans") still name people, so an alias ending in -s keeps the code.
        """
        if not countries or any(not isinstance(m.entry.value, Region) for _, m in countries):
            return False
        covered = {i for _, m in countries for i in range(m.start, m.end)}
        rest = [t for i, t in enumerate(toks) if _is_word(t) and i not in covered
                and t.low not in _DETERMINERS and t.raw != "'s"]
        last = max(countries, key=lambda rm: rm[1].end)[1]
        value = last.entry.value
        plural = toks[last.end - 1].low.endswith("s") and isinstance(value, Region) and (
            " ".join(t.low for t in toks[last.start:last.end]) != value.name.lower())
        return not rest and not plural

    def _thing_head(self, toks: list[Token], named: set[int]) -> bool:
        """Whether the phrase's head noun names a place, event or document, with no owner."""
        zone: list[int] = []
        for i, tok in enumerate(toks):
            if tok.low in _PREPOSITIONS or tok.raw in ",;:(":
                break
            if _is_word(tok):
                zone.append(i)
        if not zone or zone[-1] in named or any(toks[i].raw == "'s" for i in zone):
            return False
        words = [toks[i] for i in zone]
        last_two = " ".join(t.key for t in words[-2:])
        return words[-1].key in self.things or last_two in self.things

    @staticmethod
    def _prev_word(toks: list[Token], start: int) -> str | None:
        j = start - 1
        while j >= 0 and (toks[j].low in _DETERMINERS or not _is_word(toks[j])):
            if toks[j].raw in ",;:(":
                return None
            j -= 1
        return toks[j].low if j >= 0 else None

    @staticmethod
    def _is_backer(toks: list[Token], m: Match, nxt: Token | None) -> bool:
        """"Iran-backed", "Iranian-supported", "backed by Iran"."""
        if nxt is not None and nxt.low in _BACKER_WORDS and (
            nxt.hyph_before or nxt.low in _BACKER_BARE
        ):
            return True
        return (m.start >= 2 and toks[m.start - 1].low == "by"
                and toks[m.start - 2].low in _BACKER_WORDS)

    @staticmethod
    def _name_part(toks: list[Token], m: Match) -> bool:
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
            (prev is not None and prev.cap and _is_word(prev) and prev.low not in _DETERMINERS)
            or (after and nxt is not None and nxt.cap and _is_word(nxt) and nxt.raw != "'s")
        )

    def _disambiguate(self, country: Country, toks: list[Token], focus: str | None) -> str:
        """Georgia the country or the US state: state words or a US story mean the state."""
        if "us-state" in country.flags and (
            focus == "USA" or any(t.low in _STATE_CUES for t in toks)
        ):
            return "USA"
        return country.iso3

    def _agent(self, toks: list[Token], terms: list[Match]) -> tuple[str | None, bool]:
        """The sector of the phrase, and whether its head is a generic armed-group noun."""
        if not terms:
            return None, False
        best = max(terms, key=lambda m: (self._term(m).priority, m.start))
        term = self._term(best)
        agent = term.agent
        others = [self._term(m).agent for m in terms if m is not best and self._term(m).agent]
        if term.kind == "armed" and others:
            other = others[-1]
            agent = {"GOV": "MIL", "OPP": "REB"}.get(other or "", other)
        elif agent is None:
            agent = others[-1] if others else None
        if agent == "GOV" and any(
            t.low in _FORMER for t in toks[:best.start] if _is_word(t)
        ):
            agent = "ELI"
        return agent, term.kind == "armed"

    @staticmethod
    def _term(m: Match) -> Term:
        value = m.entry.value
        assert isinstance(value, Term)
        return value

    def _head_key(self, text: str) -> str | None:
        terms = [m for m in self._matches(tokenize(text)) if isinstance(m.entry.value, Term)]
        return " ".join(terms[-1].entry.tokens) if terms else None

    def _recall(self, memory: ArticleActors, toks: list[Token], terms: list[Match],
                agent: str | None, armed_head: bool, backer: str | None) -> Actor | None:
        """An earlier actor this definite or backer-marked phrase refers back to."""
        definite = any(t.low in _DEFINITE for t in toks)
        if not (definite or backer) or not terms:
            return None
        head = " ".join(terms[-1].entry.tokens)
        candidates = [a for a in reversed(memory.actors) if not backer or a.backer == backer]
        for actor in candidates:
            if self._head_key(actor.text) == head:
                return actor
        for actor in candidates:
            if actor.agent == agent or (armed_head and actor.agent in _ARMED):
                return actor
        return None


@lru_cache(maxsize=1)
def default_coder() -> ActorCoder:
    """The shared coder: the project's tables, then the user's from ``$EVENTWIRE_ACTORS``.

    ``EVENTWIRE_ACTORS`` lists extra TSV files separated by the path separator
    (``:`` on Linux); later files add to or override earlier entries.
    """
    extra = [p for p in os.environ.get(ACTORS_ENV, "").split(os.pathsep) if p.strip()]
    return ActorCoder(extra_files=[Path(p) for p in extra])


def code_all(texts: Iterable[str], memory: ArticleActors | None = None) -> list[Actor | None]:
    """Code several mentions in order, remembering each coded one (for article-level use)."""
    coder = default_coder()
    out: list[Actor | None] = []
    for text in texts:
        actor = coder.code(text, memory)
        if actor is not None and memory is not None:
            memory.remember(actor)
        out.append(actor)
    return out

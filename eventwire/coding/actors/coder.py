"""One mention coded: the dictionary's matches read as an actor, with the article's memory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from eventwire.coding.actors.backers import backer_clause, backer_code, is_backer
from eventwire.coding.actors.mentions import (
    DEFINITE,
    FORMER,
    HELD,
    LOCATIVE,
    PREPOSITIONS,
    PRONOUNS,
    Token,
    is_word,
    prev_word,
    tokenize,
)
from eventwire.coding.actors.sectors import (
    ARMED,
    agent_of,
    bare_place,
    state_or_country,
)
from eventwire.coding.actors.tables import (
    PROPER,
    ActorTables,
    City,
    Country,
    Match,
    Org,
    Person,
    Region,
    Term,
    name_part,
)
from eventwire.records.model import Actor

ACTORS_ENV = "EVENTWIRE_ACTORS"


class ArticleActors:
    """Per-article memory: actors introduced so far, so later references resolve."""

    def __init__(self, focus_country: str | None = None) -> None:
        self.focus_country: str | None = focus_country
        self.actors: list[Actor] = []

    def remember(self, actor: Actor) -> None:
        self.actors.append(actor)

    def latest(self) -> Actor | None:
        return self.actors[-1] if self.actors else None


@dataclass
class _Reading:
    """What a phrase's matches say, sorted by kind, before any decision."""

    orgs: list[Match] = field(default_factory=list)
    people: list[Match] = field(default_factory=list)
    countries: list[tuple[int, Match]] = field(default_factory=list)  # lower rank is stronger
    cities: list[Match] = field(default_factory=list)
    terms: list[Match] = field(default_factory=list)
    backer: str | None = None
    aligned_gov: bool = False  # "pro-government": a government-aligned armed group


class ActorCoder:
    """Codes noun-phrase texts as CAMEO actors from the actor tables."""

    def __init__(self, extra_files: Sequence[Path] = ()) -> None:
        self.tables = ActorTables(extra_files)
        self.domestic = self.tables.domestic

    def load(self, path: Path) -> None:
        """Add one more table; its kind is read from its column header."""
        self.tables.load(path)

    def countries_in(self, text: str) -> list[str]:
        """ISO3 codes named in a text (names, demonyms, capitals), in order of first mention."""
        return self.tables.countries_in(text)

    def code(self, text: str, memory: ArticleActors | None = None) -> Actor | None:
        """The actor a noun phrase names, or None when it names nothing codable."""
        toks = tokenize(text)
        words = [t for t in toks if is_word(t)]
        if not words:
            return None
        if all(t.low in PRONOUNS and not t.raw.isupper() for t in words):
            last = memory.latest() if memory else None
            return replace(last, text=text, start=None, end=None) if last else None
        matches = self.tables.matches(toks)
        named = {i for m in matches if m.entry.kind in PROPER for i in range(m.start, m.end)}
        if words[0].low in PREPOSITIONS or self.tables.thing_head(toks, named):
            return None
        return self._decide(text, toks, self._read(toks, matches), memory)

    # -- reading the matches -------------------------------------------------------------

    def _read(self, toks: list[Token], matches: list[Match]) -> _Reading:
        reading = _Reading()
        clause = backer_clause(toks)
        for m in matches:
            value = m.entry.value
            if clause is not None and m.start > clause:
                if not isinstance(value, Term) and reading.backer is None:
                    reading.backer = backer_code(value)
                continue
            if self._modifies(toks, m, reading):
                continue
            if isinstance(value, Term):
                reading.terms.append(m)
            elif not name_part(toks, m):
                self._sort_name(toks, m, reading)
        return reading

    @staticmethod
    def _modifies(toks: list[Token], m: Match, reading: _Reading) -> bool:
        """Whether a match only modifies the phrase: anti-, pro-, -held, or a backer."""
        value = m.entry.value
        prev = toks[m.start - 1] if m.start > 0 else None
        nxt = toks[m.end] if m.end < len(toks) else None
        if prev is not None and prev.low == "anti" and m.entry.kind != "agent":
            return True
        if prev is not None and prev.low == "pro" and toks[m.start].hyph_before:
            if isinstance(value, Term):
                reading.aligned_gov = reading.aligned_gov or value.agent in ("GOV", "MIL")
            else:
                reading.backer = reading.backer or backer_code(value)
            return True
        if nxt is not None and nxt.hyph_before and nxt.low in HELD:
            return True  # "rebel-held", "Israeli-occupied": describes a place
        if m.entry.kind != "agent" and is_backer(toks, m, nxt):
            reading.backer = reading.backer or backer_code(value)
            return True
        return False

    @staticmethod
    def _sort_name(toks: list[Token], m: Match, reading: _Reading) -> None:
        value = m.entry.value
        if isinstance(value, City):
            reading.cities.append(m)
            return
        locative = prev_word(toks, m.start) in LOCATIVE
        if isinstance(value, Org):
            if not (locative and (reading.countries or reading.people or reading.terms)):
                reading.orgs.append(m)
        elif isinstance(value, Person):
            reading.people.append(m)
        elif isinstance(value, Region):
            if value.country:
                reading.countries.append((2 if locative else 0, m))
        elif isinstance(value, Country):
            weak = 3 if m.entry.kind == "capital" else 2
            strong = 1 if m.entry.kind == "capital" else 0
            reading.countries.append((weak if locative else strong, m))

    # -- deciding ------------------------------------------------------------------------

    def _decide(self, text: str, toks: list[Token], reading: _Reading,
                memory: ArticleActors | None) -> Actor | None:
        focus = memory.focus_country if memory else None
        terms = _first_conjunct(toks, reading)
        agent, armed_head = agent_of(toks, terms)
        country, agent = self._country(toks, reading, terms, agent, focus)
        if reading.orgs:
            return self._from_org(text, reading, country, agent)
        if reading.people:
            return self._from_person(text, toks, reading, terms, country, agent)
        if reading.aligned_gov and agent is None:
            agent = "MIL"
        if agent is None and not reading.aligned_gov and bare_place(toks, reading.countries):
            return None
        if country is None and agent is None:
            return None
        if country is None and memory is not None and not reading.aligned_gov:
            found = self._recall(memory, toks, terms, agent, armed_head, reading.backer)
            if found is not None:
                return replace(found, text=text, start=None, end=None)
        if country is None and focus and (agent in self.domestic or reading.aligned_gov):
            country = focus
        return self._make(text, self.tables.name(country, agent), country, agent, reading.backer)

    def _country(self, toks: list[Token], reading: _Reading, terms: list[Match],
                 agent: str | None, focus: str | None) -> tuple[str | None, str | None]:
        """The phrase's country, and the sector a country or capital alone implies."""
        if reading.countries:
            reading.countries.sort(key=lambda rm: (rm[0], rm[1].start))
            first = reading.countries[0][1]
            value = first.entry.value
            country = None
            if isinstance(value, Country):
                country = state_or_country(value, toks, focus)
            elif isinstance(value, Region):
                country = value.country
            if agent is None and first.entry.kind == "capital" and not terms:
                agent = "GOV"  # a capital as metonym: "Washington said"
            if agent is None and terms:
                agent = "GOV"  # role words only: "Iranian officials", "a Russian spokesman"
            return country, agent
        if reading.cities and agent is not None and not reading.orgs:
            # a city is a place; it only tells where an actor is: "a court in Istanbul"
            city = reading.cities[0].entry.value
            assert isinstance(city, City)
            return city.country, agent
        return None, agent

    def _from_org(self, text: str, reading: _Reading, country: str | None,
                  agent: str | None) -> Actor:
        org = reading.orgs[0].entry.value
        assert isinstance(org, Org)
        countries = reading.countries
        if (org.country and country and country != org.country and countries[0][0] < 2
                and countries[0][1].start < reading.orgs[0].start):
            # "the Philippine Justice Department": the phrase's own country wins
            return self._make(text, self.tables.name(country, org.agent or agent), country,
                              org.agent or agent, reading.backer)
        return Actor(text=text, name=org.name, code=org.code,
                     country=org.country or country, agent=org.agent or agent,
                     backer=reading.backer)

    def _from_person(self, text: str, toks: list[Token], reading: _Reading, terms: list[Match],
                     country: str | None, agent: str | None) -> Actor:
        person = reading.people[0].entry.value
        assert isinstance(person, Person)
        strong = agent not in (None, person.agent) and any(
            isinstance(m.entry.value, Term) and m.entry.value.priority >= 2 for m in terms)
        p_agent = agent if strong else person.agent
        if p_agent == "GOV" and any(t.low in FORMER for t in toks[:reading.people[0].start]):
            p_agent = "ELI"  # "former Soviet leader Mikhail Gorbachev"
        p_country = person.country or country
        name = person.name if not strong else self.tables.name(p_country, p_agent)
        return self._make(text, name, p_country, p_agent, reading.backer)

    @staticmethod
    def _make(text: str, name: str | None, country: str | None, agent: str | None,
              backer: str | None) -> Actor:
        code = (country or "") + (agent or "")
        return Actor(text=text, name=name, code=code or None, country=country, agent=agent,
                     backer=backer)

    def _recall(self, memory: ArticleActors, toks: list[Token], terms: list[Match],
                agent: str | None, armed_head: bool, backer: str | None) -> Actor | None:
        """An earlier actor this definite or backer-marked phrase refers back to."""
        definite = any(t.low in DEFINITE for t in toks)
        if not (definite or backer) or not terms:
            return None
        head = " ".join(terms[-1].entry.tokens)
        candidates = [a for a in reversed(memory.actors) if not backer or a.backer == backer]
        for actor in candidates:
            if self.tables.head_key(actor.text) == head:
                return actor
        for actor in candidates:
            if actor.agent == agent or (armed_head and actor.agent in ARMED):
                return actor
        return None


def _first_conjunct(toks: list[Token], reading: _Reading) -> list[Match]:
    """The role words of the phrase's first conjunct, when it has its own head."""
    terms = reading.terms
    cut = next((i for i, t in enumerate(toks) if t.low in ("and", "or")), None)
    if cut is not None and any(m.end <= cut for m in terms):
        # "Hungarian NGOs and free media": the first conjunct has its own head noun
        return [m for m in terms if m.end <= cut]
    if cut is not None and any(m.entry.kind == "country" and m.end <= cut
                               for _, m in reading.countries):
        # "Russia and the Syrian government": a country by name is a whole first conjunct
        return [m for m in terms if m.end <= cut]
    return terms


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

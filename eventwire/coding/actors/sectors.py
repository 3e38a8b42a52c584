"""Sector rules: which CAMEO sector a phrase's role words give, and when a name is a place."""

from __future__ import annotations

from eventwire.coding.actors.mentions import DETERMINERS, FORMER, STATE_CUES, Token, is_word
from eventwire.coding.actors.tables import Country, Match, Region, Term

ARMED = frozenset({"UAF", "REB", "INS", "MIL"})


def term_of(m: Match) -> Term:
    value = m.entry.value
    assert isinstance(value, Term)
    return value


def agent_of(toks: list[Token], terms: list[Match]) -> tuple[str | None, bool]:
    """The sector of the phrase, and whether its head is a generic armed-group noun."""
    if not terms:
        return None, False
    best = max(terms, key=lambda m: (term_of(m).priority, m.start))
    term = term_of(best)
    agent = term.agent
    others = [term_of(m).agent for m in terms if m is not best and term_of(m).agent]
    if term.kind == "armed" and others:
        other = others[-1]
        agent = {"GOV": "MIL", "OPP": "REB"}.get(other or "", other)
    elif agent is None:
        agent = others[-1] if others else None
    if agent == "GOV" and any(
        t.low in FORMER for t in toks[:best.start] if is_word(t)
    ):
        agent = "ELI"
    return agent, term.kind == "armed"


def state_or_country(country: Country, toks: list[Token], focus: str | None) -> str:
    """Georgia the country or the US state: state words or a US story mean the state."""
    if "us-state" in country.flags and (
        focus == "USA" or any(t.low in STATE_CUES for t in toks)
    ):
        return "USA"
    return country.iso3


def bare_place(toks: list[Token], countries: list[tuple[int, Match]]) -> bool:
    """"Crimea", "the Kirkuk": a province or state named alone is a place, not an actor.

    Plural demonyms ("Tibetans") still name people, so an alias ending in -s keeps the code.
    """
    if not countries or any(not isinstance(m.entry.value, Region) for _, m in countries):
        return False
    covered = {i for _, m in countries for i in range(m.start, m.end)}
    rest = [t for i, t in enumerate(toks) if is_word(t) and i not in covered
            and t.low not in DETERMINERS and t.raw != "'s"]
    last = max(countries, key=lambda rm: rm[1].end)[1]
    value = last.entry.value
    plural = toks[last.end - 1].low.endswith("s") and isinstance(value, Region) and (
        " ".join(t.low for t in toks[last.start:last.end]) != value.name.lower())
    return not rest and not plural

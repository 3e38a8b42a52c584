"""Backers and proxies: "Iran-backed", "backed by Russia", "pro-government militias"."""

from __future__ import annotations

from eventwire.coding.actors.mentions import Token
from eventwire.coding.actors.tables import City, Country, Match, Org, Person, Region, Value

BACKER_WORDS = frozenset(
    "backed supported sponsored funded armed trained allied aligned affiliated led linked "
    "loyal proxy".split()
)
_BACKER_BARE = frozenset("backed supported sponsored funded".split())


def backer_clause(toks: list[Token]) -> int | None:
    """Where "backed by" starts: what follows it names only the backer."""
    return next((i for i in range(len(toks) - 1)
                 if toks[i].low in BACKER_WORDS and toks[i + 1].low == "by"), None)


def is_backer(toks: list[Token], m: Match, nxt: Token | None) -> bool:
    """"Iran-backed", "Iranian-supported", "backed by Iran"."""
    if nxt is not None and nxt.low in BACKER_WORDS and (
        nxt.hyph_before or nxt.low in _BACKER_BARE
    ):
        return True
    return (m.start >= 2 and toks[m.start - 1].low == "by"
            and toks[m.start - 2].low in BACKER_WORDS)


def backer_code(value: Value) -> str | None:
    """The code a backer is recorded by: a country's ISO3 or an organisation's code."""
    if isinstance(value, Country):
        return value.iso3
    if isinstance(value, City | Region | Person):
        return value.country
    if isinstance(value, Org):
        return value.code
    return None

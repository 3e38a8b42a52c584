"""PLOVER contexts: the topical tags of an event ("military", "terrorism", "election").

POLECAT fills its ``Contexts`` column with them. PLOVER leaves contexts to the coder and
expects them from the text around the event, so they are read here from the event's own
sentence (cue words in ``data/plover_contexts.tsv``) and, where that decides it, from who
acts: a side with sector MIL makes a military event, JUD a legal one. An event told as
background is ``historical``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from eventwire.data import tsv_records

SEPARATOR = ";"
"""How several contexts are joined in one column, as POLECAT joins them."""


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...]:
    rows = []
    for row in tsv_records("plover_contexts.tsv"):
        cues = [c.strip().lower() for c in row["cues"].split("|") if c.strip()]
        words = [re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) for c in cues]
        pattern = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) if words else None
        rows.append((row["context"], frozenset(row["sectors"].split()), pattern))
    return tuple(rows)


def context_names() -> list[str]:
    """Every context eventwire may give, in the data file's order."""
    return [name for name, _, _ in _table()]


def event_contexts(sentence: str | None, agents: Iterable[str | None] = (),
                   salience: str | None = None) -> list[str]:
    """The contexts of one event, from its sentence, the sectors of its sides and its salience."""
    text = sentence or ""
    sectors = {a for a in agents if a}
    found = [name for name, wanted, pattern in _table()
             if (wanted & sectors) or (pattern is not None and pattern.search(text))]
    if salience == "background":
        found.append("historical")
    return found


def joined(contexts: list[str]) -> str:
    return SEPARATOR.join(contexts)

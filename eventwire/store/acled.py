"""An event as ACLED classifies it: disorder, event and sub-event type, actor types, interaction.

The CAMEO code alone says "fight" for a missile strike, a depot blast and a firefight; ACLED
tells them apart by the weapon (remote violence) and by who was hit (civilians), and it
counts civilians who march as protesters and those who riot as rioters. Codes and words are
data: ``acled_event_types.tsv``, ``acled_actor_types.tsv`` and ``acled_weapons.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventwire.data import tsv_rows

REMOTE = "Explosions/Remote violence"
VIOLENT_ROOTS = ("18", "19", "20")
CIVILIAN = 7
CROWD_AGENTS = frozenset({"CVL", "PPL", "OPP", "PTY", "LAB", "EDU", "AGR", "REL", "ETH"})
"""Sectors that, as the source of a demonstration, are the demonstrators themselves."""


@lru_cache(maxsize=1)
def event_types() -> dict[str, tuple[str, str, str]]:
    rows = (row + ["", "", ""] for row in tsv_rows("acled_event_types.tsv"))
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


@lru_cache(maxsize=1)
def actor_types() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in tsv_rows("acled_actor_types.tsv")}


@lru_cache(maxsize=1)
def _weapons() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(r"\b" + re.escape(row[0]) + r"\b", re.I), row[1])
            for row in tsv_rows("acled_weapons.tsv")]


def code_type(cameo: str | None) -> tuple[str, str, str] | None:
    """(disorder type, event type, sub-event type) by the longest CAMEO prefix listed."""
    table = event_types()
    code = cameo or ""
    for size in range(len(code), 1, -1):
        if code[:size] in table:
            return table[code[:size]]
    return None


def weapon(*texts: str | None) -> str | None:
    """The remote-violence sub-event type the first text that names a weapon names."""
    for text in texts:
        for pattern, sub_type in _weapons():
            if text and pattern.search(text):
                return sub_type
    return None


@dataclass(frozen=True)
class AcledEvent:
    disorder_type: str
    event_type: str
    sub_event_type: str
    inter1: int
    inter2: int
    civilian_targeting: bool

    @property
    def interaction(self) -> int:
        """ACLED's two-digit interaction code: the two actor types, lower first."""
        if not self.inter1:
            return 0
        if not self.inter2:
            return self.inter1 * 10
        low, high = sorted((self.inter1, self.inter2))
        return low * 10 + high


def classify(row: dict[str, Any]) -> AcledEvent | None:
    """The ACLED reading of a stored event row, or None when ACLED would not record it."""
    kind = code_type(row.get("cameo"))
    if kind is None:
        return None
    disorder, event_type, sub_type = kind
    inter = actor_types()
    inter1 = inter.get(row.get("source_agent") or "", 0)
    inter2 = inter.get(row.get("target_agent") or "", 0)
    if event_type in ("Protests", "Riots") and (row.get("source_agent") in CROWD_AGENTS
                                                 or not inter1):
        inter1 = 6 if event_type == "Protests" else 5
    if (row.get("cameo") or "")[:2] in VIOLENT_ROOTS and event_type != REMOTE:
        remote = weapon(row.get("trigger"), row.get("sentence"))
        if remote is not None:
            event_type, sub_type = REMOTE, remote
        elif event_type == "Battles" and inter2 == CIVILIAN:
            event_type, sub_type = "Violence against civilians", "Attack"
    civilians = inter2 == CIVILIAN and event_type not in ("Protests", "Riots")
    return AcledEvent(disorder, event_type, sub_type, inter1, inter2, civilians)

"""An event's sides as event data records them, once the place and the article are known.

The actor coder reads a phrase alone; some of what an event record says about its
sides depends on the event and its article: "police" in a story about Kenya are
Kenyan police, "France condemned" is the French government while "Russia shelled"
is the Russian military, gunmen nobody has named stay unidentified, and a source
that is only "suspected" says so. The conventions are in ``data/event_sides.tsv``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from eventwire.coding.events.common import DATA
from eventwire.records import ontology
from eventwire.records.model import Actor, Event

WORD = re.compile(r"[a-z]+")
RIOT = "145"


@dataclass(frozen=True)
class Conventions:
    domestic: frozenset[str]
    crowd: frozenset[str]
    unidentified: frozenset[str]
    sector_alias: dict[str, str]
    state_force: frozenset[str]
    hedge: dict[str, str]
    implied: list[tuple[str, str, str]]
    crowd_violence: frozenset[str]


@lru_cache(maxsize=1)
def conventions() -> Conventions:
    rows: dict[str, list[list[str]]] = defaultdict(list)
    for line in (DATA / "event_sides.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, *values = line.split("\t")
            rows[kind].append(values)
    return Conventions(
        domestic=frozenset(v[0] for v in rows["domestic"]),
        crowd=frozenset(v[0] for v in rows["crowd"]),
        unidentified=frozenset(v[0] for v in rows["unidentified"]),
        sector_alias={v[0]: v[1] for v in rows["sector_alias"]},
        state_force=frozenset(v[0] for v in rows["state_force"]),
        hedge={v[0]: v[1] for v in rows["hedge"]},
        implied=[(v[0], v[1], v[2]) for v in rows["implied"]],
        crowd_violence=frozenset(v[0] for v in rows["crowd_violence"]),
    )


def _head(actor: Actor) -> str:
    words = WORD.findall(actor.text.lower())
    if not words:
        return ""
    head = words[-1]
    for suffix, repl in (("ies", "y"), ("men", "man"), ("s", "")):
        if head.endswith(suffix) and head[: -len(suffix)] + repl in conventions().crowd | (
            conventions().unidentified
        ):
            return head[: -len(suffix)] + repl
    return head


def _people(actor: Actor) -> bool:
    """'Kenyans', 'young Iraqis': a plural demonym names the people, not the state."""
    words = actor.text.split()
    head = words[-1] if words else ""
    named = actor.name is not None and re.search(
        rf"\b{re.escape(actor.name.lower())}\b", actor.text.lower()) is not None
    return not named and len(head) > 3 and head[0].isupper() and head[1:].islower() and (
        head.endswith("s"))


def _recode(actor: Actor, country: str | None, agent: str | None) -> None:
    actor.country, actor.agent = country, agent
    if actor.code is None or actor.code in (country, agent) or len(actor.code) <= 6:
        actor.code = (country or "") + (agent or "") or None


def settle(actor: Actor | None, event: Event, context_country: str | None) -> None:
    """Apply the conventions to one side of ``event`` in place."""
    if actor is None:
        return
    rules = conventions()
    head = _head(actor)
    named = actor.name is not None and actor.agent is None and actor.country is None
    qualified = any(word[:1].isupper() for word in actor.text.split()[:-1])
    if head in rules.unidentified and not named and not qualified:
        actor.country = actor.agent = actor.code = None
        actor.name = "unidentified armed group" if event.quad_class == 4 else None
        return
    if head in rules.crowd:
        _recode(actor, actor.country, "CVL")
    if actor.agent in rules.sector_alias:
        _recode(actor, actor.country, rules.sector_alias[actor.agent])
    if actor.agent is None and actor.country and actor.code == actor.country:
        if _people(actor):
            _recode(actor, actor.country, "CVL")
        else:
            force = event.plover in rules.state_force
            _recode(actor, actor.country, "MIL" if force else "GOV")
    if actor.country is None and actor.agent in rules.domestic and context_country:
        _recode(actor, context_country, actor.agent)


def _implied(event: Event, side: str, context_country: str | None) -> Actor | None:
    """The actor a code implies when the text names none ("protesters", "the police")."""
    if context_country is None:
        return None
    for prefix, role, agent in conventions().implied:
        if role == side and event.cameo.startswith(prefix):
            return Actor(text="", code=context_country + agent, country=context_country,
                         agent=agent)
    return None


def _retype(event: Event, code: str) -> None:
    info = ontology.cameo(code)
    event.cameo, event.cameo_root, event.plover = info.code, info.root, info.plover
    event.plover_mode, event.quad_class, event.goldstein = (
        info.plover_mode, info.quad_class, info.goldstein)


def attribution(event: Event) -> str | None:
    """How sure the text is of who did it: stated, claimed, suspected or implied (None: no
    source)."""
    if event.source is not None and event.source.text == "":
        return "implied"
    if event.source is None or event.source.country is None and event.source.agent is None:
        return None
    words = WORD.findall(event.evidence.sentence.lower())
    found = {conventions().hedge[w] for w in words if w in conventions().hedge}
    if "claimed" in found:
        return "claimed"
    if "suspected" in found:
        return "suspected"
    return "stated"


def settle_sides(event: Event, focus_country: str | None) -> None:
    """Both sides of ``event`` by the conventions; the event's own country comes first."""
    place_country = event.location.country if event.location else None
    context = place_country or focus_country
    settle(event.source, event, context)
    settle(event.target, event, context)
    if event.source and event.source.agent == "CVL" and event.cameo in (
            conventions().crowd_violence):
        _retype(event, RIOT)
    event.source = event.source or _implied(event, "source", context)
    event.target = event.target or _implied(event, "target", context)
    if event.source and event.target and event.source.code == event.target.code:
        event.target = None
    event.attribution = attribution(event)

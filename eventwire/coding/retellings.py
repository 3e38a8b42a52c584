"""Dedup within an article: one real event told again in a later sentence is one record.

The lead tells an attack, a later paragraph tells it again with its casualties
or its perpetrator; a headline event comes back in the body. Two events of one
PLOVER type on the same date, whose sides agree wherever both name one and
whose places agree wherever both have one, are one event: the telling that
comes first is kept (the lead usually states the event, later paragraphs add to
it) and takes the sides and the place only the later telling knew.
Events told in one sentence were already merged by the coder; what is left
there was told apart on purpose (a strike in each of two towns).
"""

from __future__ import annotations

from eventwire.records.model import Actor, Event


def _agree(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return True
    if a.code and b.code:
        return a.code == b.code
    return (a.country, a.agent) == (b.country, b.agent) and a.text.lower() == b.text.lower()


def _same_place(a: Event, b: Event) -> bool:
    if a.location is None or b.location is None:
        return True
    return a.location.name == b.location.name or a.location.feature == "country" or (
        b.location.feature == "country")


def retold(a: Event, b: Event) -> bool:
    """Whether ``b`` tells the event ``a`` tells, in another sentence of the article."""
    return (
        a.plover == b.plover
        and a.plover is not None
        and a.evidence.sentence_index != b.evidence.sentence_index
        and a.date == b.date
        and _agree(a.source, b.source)
        and _agree(a.target, b.target)
        and _same_place(a, b)
    )


def merge_retellings(events: list[Event]) -> list[Event]:
    """One record per real event: the first telling, completed by the later ones."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: e.evidence.sentence_index):
        for other in kept:
            if retold(other, event):
                other.source = other.source or event.source
                other.target = other.target or event.target
                other.location = other.location or event.location
                break
        else:
            kept.append(event)
    order = {id(e): i for i, e in enumerate(events)}
    return sorted(kept, key=lambda e: order[id(e)])


def _side(event: Event, role: str) -> str:
    actor = event.source if role == "source" else event.target
    if actor is None:
        return ""
    return actor.code or actor.name or actor.text.lower()


def article_key(event: Event) -> tuple[str, str, str, str]:
    return (event.cameo, _side(event, "source"), _side(event, "target"), event.date or "")


def merge_within_article(events: list[Event]) -> list[Event]:
    """Keep one event per (code, source, target, date): the most confident telling."""
    best: dict[tuple[str, str, str, str], Event] = {}
    for event in events:
        key = article_key(event)
        kept = best.get(key)
        if kept is None or event.confidence > kept.confidence:
            best[key] = event
    chosen = {id(e) for e in best.values()}
    return [e for e in events if id(e) in chosen]

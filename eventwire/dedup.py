"""Dedup: one event told twice in an article, and one event told by many articles.

Within an article the standfirst often repeats the first paragraph; both
sentences code the same event, which is kept once (the most confident
telling). Across articles, events that share day, code, source, target and
place form one cluster: the store counts its mentions, articles and sources.
"""

from __future__ import annotations

import hashlib

from eventwire.model import Event


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


def cluster_id(event: Event) -> str:
    """Same day, same code, same sides, same place: the same real-world event."""
    place = event.location.name if event.location else ""
    parts = [event.date or "", event.cameo, _side(event, "source"), _side(event, "target"), place]
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]

"""Salience: whether an event is the article's news, reported in its own right, or background.

A story about today's attack recalls the war's start, last year's ceasefire and a 2016
offensive; coded alike, those old events stretch a timeline back years and raise zone
alerts for history. Each event is marked as the gold sets mark them: ``headline`` (what
the article leads with), ``main`` (reported as news) or ``background`` (history and
context, dated well before the article). Background events are kept, dated and
exported, and left out of alerts and of the dashboard's first view.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from eventwire.records.model import Event

SALIENCES = ("headline", "main", "background")

BACKGROUND_DAYS = 30
"""An event whose time ends more than this before publication is background: the news
cycle of a report is days to weeks; "last year" and "in 2016" are history."""

_HISTORY_CUE = re.compile(
    r"\b(?:since (?:19|20)\d\d|since the (?:start|beginning|outbreak)|in the past|years? ago|"
    r"decades? ago|(?:19|20)\d\d (?:war|genocide|coup|uprising|revolution|invasion|election)|"
    r"has long|have long|for (?:\w+ )?(?:years|decades)|previously|back in)\b",
    re.I,
)
"""Words that put a clause in the past of the story even when no date is resolved."""

_SPAN_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def is_background(event: Event, published: str | None) -> bool:
    """Whether the event happened well before the article, by its date or its words."""
    news = _day(published)
    start = _day(event.date) if news is not None else None
    if news is not None and start is not None:
        span = _SPAN_DAYS.get(event.date_precision or "day", 1)
        end = start + timedelta(days=span - 1)
        return end < news - timedelta(days=BACKGROUND_DAYS)
    return bool(_HISTORY_CUE.search(event.evidence.sentence))


def mark_salience(events: list[Event], published: str | None, lead_sentences: int = 1) -> None:
    """Set each event's salience: background by date; headline for the news events of the
    lead (the first ``lead_sentences`` sentences that hold a news event); main otherwise."""
    news = []
    for event in events:
        if is_background(event, published):
            event.salience = "background"
        else:
            event.salience = "main"
            news.append(event)
    lead = sorted({e.evidence.sentence_index for e in news})[:lead_sentences]
    for event in news:
        if event.evidence.sentence_index in lead:
            event.salience = "headline"

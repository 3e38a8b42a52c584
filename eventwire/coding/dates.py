"""Dates: the publication date from a date line, and each event's own date.

An event is dated by the time expression in its sentence ("last year", "on
Tuesday", "said Monday", "in March 2016"), resolved against the publication
date; without one it takes the day the article's lead gives its news, else the
publication date. Dates are always full ISO days, as event data sets write
them; precision says how much is known: ``week`` dates are that week's Monday,
``month`` the month's first day, ``year`` the year's first day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from eventwire.records.calendar import (
    DAY_GROUP,
    IN_YEAR,
    MONTH_GROUP,
    MONTHS,
    WEEKDAYS,
    Dated,
    parse_absolute,
    safe_date,
)

RELATIVE = re.compile(
    r"\b(?P<expr>last year|this year|next year|last month|this month|last week|this week|"
    r"next week|yesterday|today|tonight|last night|overnight|earlier this week|"
    r"earlier this month|earlier in the week|days earlier|days ago|days ahead|in recent days|"
    r"(?:on|last|this|late|early|next)\s+(?:" + "|".join(WEEKDAYS) + r"))\b",
    re.I,
)
BARE_WEEKDAY = re.compile(
    r"\b(?:(?P<next>next|coming)\s+)?(?P<weekday>" + "|".join(w.title() for w in WEEKDAYS)
    + r")(?:'s|\u2019s)?\b"
)
"""A weekday written alone, as news writes it ("said Monday", "Saturday's vote")."""
FUTURE_CUE = re.compile(r"\b(?:will|is due|are due|is expected|are expected|scheduled|plans? to)\b",
                        re.I)
YEAR_OF = re.compile(r"\b" + MONTH_GROUP + r"\s+of\s+(?P<which>last|this)\s+year\b", re.I)
BARE_YEAR = re.compile(r"\b(?:the|a|an|its|his|her|their)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
"""A year used as a modifier: "the 1994 genocide", "a 2019 protest"."""
IN_MONTH = re.compile(r"\b(?:in|since|during|on)\s+(?:early\s+|late\s+|mid-)?" + MONTH_GROUP
                      + r"(?:\s+" + DAY_GROUP + r")?\b(?!,?\s+(?:19|20)\d\d)", re.I)

def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _relative(expr: str, published: date, future: bool = False) -> Dated | None:
    expr = expr.lower()
    year = published.year
    if expr == "last year":
        return f"{year - 1}-01-01", "year"
    if expr == "this year":
        return f"{year}-01-01", "year"
    if expr == "next year":
        return f"{year + 1}-01-01", "year"
    if expr == "last month":
        first = published.replace(day=1) - timedelta(days=1)
        return f"{first.year}-{first.month:02d}-01", "month"
    if expr in ("this month", "earlier this month"):
        return f"{year}-{published.month:02d}-01", "month"
    if expr in ("yesterday", "last night", "overnight"):
        return (published - timedelta(days=1)).isoformat(), "day"
    if expr in ("today", "tonight"):
        return published.isoformat(), "day"
    if expr in ("this week", "earlier this week", "earlier in the week", "days earlier",
                "days ago", "days ahead", "in recent days"):
        return _monday(published).isoformat(), "week"
    if expr == "last week":
        return _monday(published - timedelta(days=7)).isoformat(), "week"
    if expr == "next week":
        return _monday(published + timedelta(days=7)).isoformat(), "week"
    for index, name in enumerate(WEEKDAYS):
        if expr.endswith(name):
            return _weekday(index, published, future or expr.startswith("next"),
                            expr.startswith("last")), "day"
    return None


def _weekday(index: int, published: date, future: bool, strictly_past: bool = False) -> str:
    """The weekday nearest publication: the last one for past events, the next for plans."""
    if future:
        ahead = (index - published.weekday()) % 7
        return (published + timedelta(days=ahead or 7)).isoformat()
    back = (published.weekday() - index) % 7
    if strictly_past and back == 0:
        back = 7
    return (published - timedelta(days=back)).isoformat()


def full_iso(value: str) -> str:
    """A month or a year as its first day, the way event data sets write partial dates."""
    if len(value) == 4:
        return f"{value}-01-01"
    if len(value) == 7:
        return f"{value}-01"
    return value


def _explicit(sentence: str, pub: date | None) -> Dated | None:
    """The date a sentence itself states, if any."""
    absolute = parse_absolute(sentence)
    if absolute:
        return full_iso(absolute[0]), absolute[1]
    if pub:
        future = bool(FUTURE_CUE.search(sentence))
        match = YEAR_OF.search(sentence)
        if match:
            year = pub.year - 1 if match["which"].lower() == "last" else pub.year
            return f"{year}-{MONTHS[match['month'].lower()]:02d}-01", "month"
        match = RELATIVE.search(sentence)
        if match:
            resolved = _relative(match["expr"], pub, future)
            if resolved:
                return resolved
        match = BARE_WEEKDAY.search(sentence)
        if match:
            index = WEEKDAYS.index(match["weekday"].lower())
            return _weekday(index, pub, future or bool(match["next"])), "day"
        match = IN_MONTH.search(sentence)
        if match:
            month = MONTHS[match["month"].lower()]
            year = pub.year if month <= pub.month else pub.year - 1
            if match["day"]:
                found = safe_date(year, month, int(match["day"]))
                if found:
                    return found.isoformat(), "day"
            return f"{year}-{month:02d}-01", "month"
    match = IN_YEAR.search(sentence) or BARE_YEAR.search(sentence)
    if match and (pub is None or int(match["year"]) <= pub.year):
        return f"{match['year']}-01-01", "year"
    return None


def _publication(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published and len(published) >= 10 else None
    except ValueError:
        return None


def news_day(lead: list[str], published: str | None) -> Dated | None:
    """The day the article's news happened, when its lead says so ("on Monday", "yesterday").

    Wire reports are often published the day after: what the body tells without a
    date of its own happened on the lead's day, not on the publication day.
    """
    pub = _publication(published)
    if pub is None:
        return None
    for sentence in lead:
        dated = _explicit(sentence, pub)
        if dated and dated[1] == "day" and 0 < (pub - date.fromisoformat(dated[0])).days <= 3:
            if "overnight" not in sentence.lower():
                return dated
    return None


def event_date(sentence: str, published: str | None, default: Dated | None = None) -> Dated | None:
    """The date of what a sentence reports, relative to the article's publication.

    Without a date of its own the event takes ``default`` (the article's news day),
    else the publication date.
    """
    pub = _publication(published)
    dated = _explicit(sentence, pub)
    if dated:
        return dated
    if default:
        return default
    if pub:
        return pub.isoformat(), "day"
    return None

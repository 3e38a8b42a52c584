"""Dates: the publication date from a date line, and each event's own date.

An event is dated by the time expression in its sentence ("last year", "on
Tuesday", "in March 2016"), resolved against the publication date; without one
it takes the publication date. Precision says how much of the date is known:
``day`` gives ``yyyy-mm-dd``, ``month`` ``yyyy-mm``, ``year`` ``yyyy``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r"),?\s+)?"
ABSOLUTE_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b" + _WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
]
MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I)
IN_YEAR = re.compile(r"\b(?:in|since|during|by)\s+" + _YEAR + r"\b", re.I)
DATE_LINE = re.compile(
    r"^\s*(?:(?:published|updated|posted|date)\s*:?\s*)?(?P<date>.{6,40}?)\s*"
    r"(?:\d{1,2}:\d\d(?:\s*[ap]m)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.I,
)
RELATIVE = re.compile(
    r"\b(?P<expr>last year|this year|next year|last month|this month|last week|this week|"
    r"yesterday|today|tonight|earlier this week|earlier this month|"
    r"(?:on|last|this|late|early)\s+(?:" + "|".join(WEEKDAYS) + r"))\b",
    re.I,
)
IN_MONTH = re.compile(r"\b(?:in|since|during|on)\s+(?:early\s+|late\s+|mid-)?" + _MONTH
                      + r"(?:\s+" + _DAY + r")?\b(?!,?\s+(?:19|20)\d\d)", re.I)

Dated = tuple[str, str]
"""(ISO date at its precision, precision)."""


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_absolute(text: str) -> Dated | None:
    """The first full calendar date written in ``text``, else a month and year."""
    for pattern in ABSOLUTE_PATTERNS:
        match = pattern.search(text)
        if match:
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower()]
            found = _safe_date(int(parts["year"]), month, int(parts["day"]))
            if found:
                return found.isoformat(), "day"
    match = MONTH_YEAR.search(text)
    if match:
        return f"{match['year']}-{MONTHS[match['month'].lower()]:02d}", "month"
    return None


def parse_date_line(line: str) -> str | None:
    """An ISO day if ``line`` is nothing but a date (a dateline under a headline)."""
    match = DATE_LINE.match(line)
    if not match or len(line) > 60:
        return None
    candidate = match["date"]
    parsed = parse_absolute(candidate)
    if parsed is None or parsed[1] != "day":
        return None
    # the date must be most of the line, not a date inside a sentence
    leftovers = re.sub(r"[\W\d_]+", " ", candidate).split()
    words = [w for w in leftovers if w.lower() not in MONTHS and w.lower() not in WEEKDAYS
             and w.lower().rstrip("s") not in ("st", "nd", "rd", "th")]
    return parsed[0] if len(words) <= 1 else None


def _relative(expr: str, published: date) -> Dated | None:
    expr = expr.lower()
    year = published.year
    if expr == "last year":
        return str(year - 1), "year"
    if expr == "this year":
        return str(year), "year"
    if expr == "next year":
        return str(year + 1), "year"
    if expr == "last month":
        first = published.replace(day=1) - timedelta(days=1)
        return f"{first.year}-{first.month:02d}", "month"
    if expr in ("this month", "earlier this month"):
        return f"{year}-{published.month:02d}", "month"
    if expr == "yesterday":
        return (published - timedelta(days=1)).isoformat(), "day"
    if expr in ("today", "tonight", "this week", "earlier this week"):
        # "this week" is the week of publication: the article's date is the best day estimate
        return published.isoformat(), "day" if expr in ("today", "tonight") else "week"
    if expr == "last week":
        return (published - timedelta(days=7)).isoformat(), "week"
    for index, name in enumerate(WEEKDAYS):
        if expr.endswith(name):
            # news "on Tuesday" means the most recent Tuesday on or before publication
            back = (published.weekday() - index) % 7
            if expr.startswith("last") and back == 0:
                back = 7
            return (published - timedelta(days=back)).isoformat(), "day"
    return None


def event_date(sentence: str, published: str | None) -> Dated | None:
    """The date of what a sentence reports, relative to the article's publication."""
    absolute = parse_absolute(sentence)
    if absolute:
        return absolute
    pub = date.fromisoformat(published[:10]) if published and len(published) >= 10 else None
    if pub:
        match = RELATIVE.search(sentence)
        if match:
            resolved = _relative(match["expr"], pub)
            if resolved:
                return resolved
        match = IN_MONTH.search(sentence)
        if match:
            month = MONTHS[match["month"].lower()]
            year = pub.year if month <= pub.month else pub.year - 1
            if match["day"]:
                found = _safe_date(year, month, int(match["day"]))
                if found:
                    return found.isoformat(), "day"
            return f"{year}-{month:02d}", "month"
    match = IN_YEAR.search(sentence)
    if match:
        return match["year"], "year"
    if pub:
        return pub.isoformat(), "day"
    return None

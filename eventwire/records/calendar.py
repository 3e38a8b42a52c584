"""The calendar as news writes it: month and weekday names, full dates, date lines.

Reading needs it to find an article's publication date, coding to date its
events; it depends on nothing, so both can use it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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

MONTH_GROUP = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY_GROUP = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR_GROUP = r"(?P<year>(?:19|20)\d\d)"
WEEKDAY_PREFIX = r"(?:(?:" + "|".join(WEEKDAYS) + r"),?\s+)?"
ABSOLUTE_PATTERNS = [
    re.compile(r"\b" + YEAR_GROUP + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b" + WEEKDAY_PREFIX + DAY_GROUP + r"\s+" + MONTH_GROUP + r",?\s+" + YEAR_GROUP
               + r"\b", re.I),
    re.compile(r"\b" + WEEKDAY_PREFIX + MONTH_GROUP + r"\s+" + DAY_GROUP + r",?\s+" + YEAR_GROUP
               + r"\b", re.I),
]
MONTH_YEAR = re.compile(r"\b" + MONTH_GROUP + r",?\s+" + YEAR_GROUP + r"\b", re.I)
IN_YEAR = re.compile(r"\b(?:in|since|during|by)\s+" + YEAR_GROUP + r"\b", re.I)
DATE_LINE = re.compile(
    r"^\s*(?:(?:published|updated|posted|date)\s*:?\s*)?(?P<date>.{6,40}?)\s*"
    r"(?:\d{1,2}:\d\d(?:\s*[ap]m)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.I,
)
Dated = tuple[str, str]
"""(ISO date at its precision, precision)."""


def safe_date(year: int, month: int, day: int) -> date | None:
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
            found = safe_date(int(parts["year"]), month, int(parts["day"]))
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


def as_day(value: str | date | None) -> date | None:
    """The calendar day a stored date names: an ISO day (or the day of an ISO time), a month
    or a year as its first day, else None. Stores and exports hold days, never free text."""
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if len(text) == 4 and text.isdigit():
        text += "-01-01"
    elif len(text) == 7 and text[:4].isdigit() and text[4] == "-":
        text += "-01"
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None

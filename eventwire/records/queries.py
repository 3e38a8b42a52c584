"""What a query may ask for: dates, countries and event types checked before they reach SQL.

A filter that matches nothing because it was misspelt looks like an answer ("no events in
Syria"), so every filter of the command line, the notebook and the API goes through here,
and a value that names nothing is a coded error that says what would be accepted.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from eventwire.data import DATA_DIR, tsv_records
from eventwire.records.errors import ErrorCode, EventwireError
from eventwire.records.ontology import plover_types

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EARLIEST_YEAR = 1000
LATEST_YEAR = 9999


def query_date(value: str, name: str = "date", today: date | None = None) -> str:
    """An ISO date, month or year as given ("2023", "2023-05", "2023-05-01"), or today's or
    yesterday's date for ``today``/``yesterday``."""
    text = value.strip().lower()
    now = today or date.today()
    if text in ("today", "yesterday"):
        return (now - timedelta(days=text == "yesterday")).isoformat()
    match = _ISO_DATE.match(text)
    if match is None:
        raise EventwireError(ErrorCode.E050_BAD_DATE, f"{name}={value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise EventwireError(ErrorCode.E050_BAD_DATE, f"{name}={value!r}: year out of range")
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise EventwireError(ErrorCode.E050_BAD_DATE,
                             f"{name}={value!r}: no such day") from None
    return text


def date_bounds(value: str) -> tuple[date, date]:
    """The first and last day a query date covers: "2023" is the whole year, "2023-05" all
    of May, so ``until=2023-05`` keeps the events of 31 May."""
    match = _ISO_DATE.match(query_date(value))
    assert match is not None  # query_date accepts nothing else
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if day is not None:
        first = date(year, month or 1, day)
        return first, first
    if month is not None:
        first = date(year, month, 1)
        return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return date(year, 1, 1), date(year, 12, 31)


@lru_cache(maxsize=1)
def _country_names() -> tuple[frozenset[str], dict[str, set[str]]]:
    """ISO3 codes, and every name, alias and demonym (lower case) with the codes it names."""
    codes: set[str] = set()
    names: dict[str, set[str]] = {}
    for row in tsv_records(DATA_DIR / "actors" / "countries.tsv"):
        iso3 = row["iso3"]
        codes.add(iso3)
        for field in ("name", "aliases", "demonyms"):
            for alias in (row.get(field) or "").split("|"):
                if alias.strip():
                    names.setdefault(alias.strip().lower(), set()).add(iso3)
    return frozenset(codes), names


def query_country(value: str) -> str:
    """An ISO3 code, from a code or from a country's name when the name names only one."""
    codes, names = _country_names()
    text = value.strip()
    if text.upper() in codes:
        return text.upper()
    found = names.get(text.lower(), set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise EventwireError(ErrorCode.E051_UNKNOWN_COUNTRY,
                             f"{value!r} names several: {', '.join(sorted(found))}")
    raise EventwireError(ErrorCode.E051_UNKNOWN_COUNTRY, repr(value))


def query_type(value: str) -> str:
    """A PLOVER event type, in any case."""
    wanted = value.strip().upper()
    if wanted not in plover_types():
        raise EventwireError(ErrorCode.E052_UNKNOWN_TYPE,
                             f"{value!r}; one of {', '.join(plover_types())}")
    return wanted


def query_countries(values: list[str] | None) -> list[str]:
    return [query_country(v) for v in values or []]


def query_types(values: list[str] | None) -> list[str]:
    return [query_type(v) for v in values or []]


def query_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Both ends checked, and in order."""
    start = query_date(since, "since") if since else None
    end = query_date(until, "until") if until else None
    if start and end and end < start[:len(end)]:
        raise EventwireError(ErrorCode.E050_BAD_DATE, f"until={until!r} is before since={since!r}")
    return start, end

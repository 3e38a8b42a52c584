"""Which events a query or an export wants: dates and countries, as SQL over the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventwire.records.queries import date_bounds


def period_end(alias: str) -> str:
    """SQL for the last day an event may have happened on: its date is the first day of the
    week, month or year its ``date_precision`` names."""
    day, precision = f"{alias}.date", f"{alias}.date_precision"
    return (f"CASE {precision} WHEN 'week' THEN {day} + 6 WHEN 'month' THEN last_day({day}) "
            f"WHEN 'year' THEN make_date(year({day}), 12, 31) ELSE {day} END")


@dataclass
class EventFilter:
    """Which events to export: a date range (inclusive; a year, month or day) and countries
    (ISO3)."""

    since: str | None = None
    until: str | None = None
    countries: list[str] = field(default_factory=list)

    def where(self, alias: str = "e") -> tuple[str, list[Any]]:
        """SQL conditions and their parameters: events whose days meet the range, so an event
        known to its month is kept by a range that starts within that month."""
        clauses = [f"{alias}.deleted_at IS NULL"]
        params: list[Any] = []
        if self.since:
            clauses.append(f"{period_end(alias)} >= ?")
            params.append(date_bounds(self.since)[0])
        if self.until:
            clauses.append(f"{alias}.date <= ?")
            params.append(date_bounds(self.until)[1])
        if self.countries:
            wanted = [c.upper() for c in self.countries]
            clauses.append(f"({alias}.place_country IN (SELECT unnest(?)) OR "
                           f"{alias}.source_country IN (SELECT unnest(?)) OR "
                           f"{alias}.target_country IN (SELECT unnest(?)))")
            params.extend([wanted, wanted, wanted])
        return " AND ".join(clauses), params

"""Which events a query or an export wants: dates and countries, as SQL over the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EventFilter:
    """Which events to export: a date range (inclusive, ISO) and countries (ISO3)."""

    since: str | None = None
    until: str | None = None
    countries: list[str] = field(default_factory=list)

    def where(self, alias: str = "e") -> tuple[str, list[Any]]:
        """SQL conditions and their parameters; a date at month precision overlaps its month."""
        clauses = [f"{alias}.deleted_at IS NULL"]
        params: list[Any] = []
        if self.since:
            clauses.append(f"{alias}.date >= left(?, length({alias}.date))")
            params.append(self.since)
        if self.until:
            clauses.append(f"{alias}.date <= left(?, length({alias}.date))")
            params.append(self.until)
        if self.countries:
            wanted = [c.upper() for c in self.countries]
            clauses.append(f"({alias}.place_country IN (SELECT unnest(?)) OR "
                           f"{alias}.source_country IN (SELECT unnest(?)) OR "
                           f"{alias}.target_country IN (SELECT unnest(?)))")
            params.extend([wanted, wanted, wanted])
        return " AND ".join(clauses), params

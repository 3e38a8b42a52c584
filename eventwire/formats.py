"""Published layouts of other event datasets: GDELT 2.0 events and mentions, POLECAT, ACLED."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.export import EventFilter
    from eventwire.store import Store


def write(store: Store, fmt: str, out: Path | None, filters: EventFilter) -> int:
    raise ValueError(f"format {fmt!r} is not available yet")

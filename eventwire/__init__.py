"""eventwire: news articles in, coded political and conflict events out.

In a notebook::

    import eventwire
    eventwire.code("Rebels shelled Kidal on Monday.", date="2020-03-02")  # list of records
    eventwire.open("news.duckdb").events(country="MLI", since="2020-01-01")  # DataFrame
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.store.notebook import Database

__version__ = "0.2.0"

# Libraries that report usage over the network unless told not to. Set here, before any of
# them can be imported (every entry point imports this package first), and inherited by
# worker processes: onnxruntime's telemetry otherwise looks up
# mobile.events.data.microsoft.com from any process that lives about ten seconds.
TELEMETRY_OFF = {"ORT_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                 "DO_NOT_TRACK": "1"}
os.environ.update(TELEMETRY_OFF)


def code(text: str, date: str | None = None, title: str | None = None,
         use_model: bool = True) -> list[dict[str, Any]]:
    """Code one article's text into event records (the fields ``eventwire code`` prints).

    ``date`` is the publication date (ISO); relative dates ("on Monday") are read against it.
    """
    from eventwire.store.notebook import code as code_text

    return code_text(text, date=date, title=title, use_model=use_model)


def open(path: str | Path) -> Database:  # noqa: A001 - eventwire.open(path) reads a store
    """A store opened read-only: ``.events(country=, since=, until=, plover=)`` and more."""
    from eventwire.store.notebook import Database

    return Database(path)

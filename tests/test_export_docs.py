"""docs/exports/ has a page per export layout listing exactly the columns the code writes."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from eventwire.records.model import EVENT_FIELDS
from eventwire.store.export import csv_columns
from eventwire.store.formats import FORMAT_COLUMNS

DOCS = ROOT / "docs" / "exports"


def documented(name: str) -> list[str]:
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (.+?) \| \d+% \|$", text, flags=re.M)


@pytest.mark.parametrize("name", sorted(FORMAT_COLUMNS))
def test_dataset_layouts_are_documented_column_by_column(name: str) -> None:
    assert documented(name) == list(FORMAT_COLUMNS[name])


def test_mentions_page_lists_the_record_columns() -> None:
    assert documented("mentions") == ["mention_id", *csv_columns()]
    assert {c.split("_")[0] for c in csv_columns()} >= {f.split("_")[0] for f in EVENT_FIELDS}


def test_events_page_lists_the_events_table() -> None:
    from eventwire.store.database import TABLES

    assert documented("events") == list(TABLES["events"])

"""docs/schema.md is the store's contract: every table and column it names exists, and back."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from conftest import ROOT

from eventwire.records.errors import ErrorCode
from eventwire.store.database import SCHEMA_VERSION, TABLES, Store

DOC = ROOT / "docs" / "schema.md"
# columns the API and dashboard were promised (SCHEMA-CONTRACT): they may never go away
PROMISED = {
    "articles": "doc_id title published url source language text_sha1 wire_copy_of n_mentions "
                "added_at updated_at",
    "mentions": "mention_id event_id doc_id sentence_index start_char end_char trigger sentence "
                "confidence date date_precision cameo cameo_root plover plover_mode quad_class "
                "goldstein source_text source_name source_code source_country source_agent "
                "target_text target_name target_code target_country target_agent place_name lat "
                "lon place_country admin1 geonameid place_precision coder record added_at "
                "updated_at",
    "events": "event_id date date_precision cameo cameo_root plover plover_mode quad_class "
              "goldstein source_name source_code source_country source_agent target_name "
              "target_code target_country target_agent place_name lat lon place_country admin1 "
              "geonameid place_precision sentence confidence n_mentions n_articles n_sources "
              "first_reported last_reported added_at updated_at deleted_at",
    "places": "doc_id start_char end_char mention name lat lon country admin1 geonameid feature "
              "confidence added_at",
    "errors": "doc_id code reason detail first_seen last_seen",
    "schema_info": "version migrated_at",
}


def documented() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in DOC.read_text().splitlines():
        heading = re.match(r"^## `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading[1], {})
            continue
        if line.startswith("## "):
            current = None
        row = re.match(r"^\| (\w+) \| ([A-Z]+) \|", line)
        if current is not None and row:
            current[row[1]] = row[2]
    return tables


def test_docs_match_the_code() -> None:
    assert documented() == TABLES
    assert f"schema version {SCHEMA_VERSION}" in DOC.read_text()


def test_docs_match_a_real_file(tmp_path: Path) -> None:
    Store(tmp_path / "x.duckdb").close()
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    for table, columns in documented().items():
        described = con.execute(f"DESCRIBE {table}").fetchall()
        assert {r[0]: r[1] for r in described} == columns, table
        assert [r[0] for r in described] == list(columns), f"{table}: column order"


def test_promised_columns_are_kept_in_order() -> None:
    for table, names in PROMISED.items():
        columns = list(TABLES[table])
        assert columns[:len(names.split())] == names.split(), table


def test_every_store_error_code_is_documented() -> None:
    text = DOC.read_text()
    for code in ErrorCode:
        if "_DB_" in code.name:
            assert f"| {code.value} |" in text, code

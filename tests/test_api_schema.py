"""schemathesis against the API's own OpenAPI document: no 5xx, no response off its schema.

Valid and invalid requests are generated for every operation (writes with the
token) and sent in-process; a bounded number of examples keeps the run short.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from eventkit import actor, article, event
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eventwire.quality.synthetic import make_database
from eventwire.serving.api import create_app
from eventwire.store.database import Store

TOKEN = "schema-test-token-0123456789"
_FOLDER = Path(tempfile.mkdtemp(prefix="eventwire-schema-"))
DB = _FOLDER / "schema.duckdb"
make_database(DB, 500)
with Store(DB) as _store:
    _store.add_article(article("kidal-report", "Troops attacked rebels near Kidal."),
                       [event("kidal-report", 0, source=actor("MLIMIL", "MLI", "MIL"))], [])

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(DB, token=TOKEN))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # the first POST /articles loads the coding pipeline (and builds the gazetteer on a new
    # machine): slow once, so the call may take longer than the default ten seconds
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS,
                           timeout=300)

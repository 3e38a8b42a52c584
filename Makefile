# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test,ray]'
	touch $(STAMP)

# The dashboard: npm packages pinned by package-lock.json, bundled by esbuild into
# eventwire/serving/web/dist (both git-ignored build outputs; nothing is fetched at run time).
WEB_BUNDLE := eventwire/serving/web/dist/app.js
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(WEB_BUNDLE): $(NODE_STAMP) eventwire/serving/web/build.mjs $(wildcard eventwire/serving/web/src/*)
	node eventwire/serving/web/build.mjs

web: $(WEB_BUNDLE)

demo: $(STAMP) web
	rm -f eventwire.duckdb
	$(BIN)/eventwire demo --db eventwire.duckdb

lint: $(STAMP)
	$(BIN)/ruff check eventwire tests scripts fuzz bench

typecheck: $(STAMP)
	$(BIN)/mypy eventwire scripts tests fuzz bench

unit: $(STAMP) web
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/eventwire bench eventwire/samples

clean:
	rm -rf $(VENV) eventwire.duckdb node_modules eventwire/serving/web/dist screenshots .mypy_cache .ruff_cache .pytest_cache

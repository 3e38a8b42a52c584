# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f eventwire.duckdb
	$(BIN)/eventwire demo --db eventwire.duckdb

lint: $(STAMP)
	$(BIN)/ruff check eventwire tests scripts bench

typecheck: $(STAMP)
	$(BIN)/mypy eventwire scripts tests bench

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/eventwire bench eventwire/samples

clean:
	rm -rf $(VENV) eventwire.duckdb .mypy_cache .ruff_cache .pytest_cache

# scrutiny: build, test and demo targets. Needs only python3 and GNU make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGE_DIRS := app extract normalise store schemas
SOURCES := pyproject.toml $(shell find $(PACKAGE_DIRS) -type f \
	\( -name '*.py' -o -name '*.toml' -o -name '*.json' -o -name '*.csv' \) 2>/dev/null)

.PHONY: install dev demo test bench clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A regular (non-editable) install, so the tests see the package as users get it,
# schemas/ data included. Any change to the package sources reinstalls.
$(STAMP): $(SOURCES) | $(BIN)/python
	rm -rf build
	$(BIN)/pip install --quiet '.[test]'
	touch $@

# Editable install for development; the next `make install` replaces it.
dev: | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(STAMP)

demo: install
	rm -f scrutiny.sqlite
	$(BIN)/scrutiny ingest corpus/
	$(BIN)/scrutiny compare sw_caseload_average --latest
	$(BIN)/scrutiny compare cla_count --latest

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf build dist *.egg-info bench-out .pytest_cache scrutiny.sqlite $(STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit docs docs-serve bench bench-server report-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,cli,docs,server,report]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/iqm-rules status --example flagship-journey --as-of 2025-09-01

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests docs/_generate.py docs/_hooks.py docs/_griffe.py

unit: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --append --quiet
	$(BIN)/coverage report

docs: $(STAMP)
	$(BIN)/python docs/_generate.py --check
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

docs-serve: $(STAMP)
	$(BIN)/mkdocs serve --strict

test: lint typecheck unit docs

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/load.py

bench-server: $(STAMP)
	$(BIN)/python benchmarks/load.py

CHROMIUM ?= chromium

report-check: $(STAMP)
	command -v $(CHROMIUM) >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	mkdir -p build/reports
	for name in $$($(BIN)/iqm-rules example); do \
	  $(BIN)/iqm-rules report --example $$name --as-of 2025-09-01 -o build/reports/$$name.html || exit 1; \
	  profile=$$(mktemp -d); \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$profile --screenshot=build/reports/$$name.png \
	    --window-size=1240,1754 file://$$PWD/build/reports/$$name.html 2>/dev/null || exit 1; \
	  rm -rf $$profile; \
	done
	ls -l build/reports/*.png

clean:
	rm -rf $(VENV) build .coverage .hypothesis .mypy_cache .ruff_cache .pytest_cache

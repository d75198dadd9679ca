# egov-planner: the two commands a new user needs.
#   make run   - set up .venv if needed and open the desktop app on a copy of the demo plan
#   make test  - set up .venv with the test extras and run the whole suite headless
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "egov-planner needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

run: $(STAMP)
	@sh tools/ensure_qt_libs.sh $(BIN)/python
	$(BIN)/egov-planner --demo

test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check egov_planner tests bench
	$(BIN)/mypy

# bench: plan sizes; `overdue` beside TaskJuggler (tj3, if installed); the pack beside bare reportlab
bench: $(TEST_STAMP)
	$(BIN)/python bench/bench_plan.py
	$(BIN)/python bench/bench_tj3.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_scale.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

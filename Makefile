# The two commands: `make demo` (the main job on the built-in corpus) and `make test` (the test suite).
# Each sets everything up from nothing: a .venv, torch (CPU build) first, then cuport with its extras.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cuport-installed

.PHONY: demo test lint check setup clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, so that nothing pulls several GB of CUDA wheels
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[all]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format text
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format json -o out/scan.json
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format sarif -o out/scan.sarif
	$(BIN)/cuport verify $$($(BIN)/cuport corpus path)
	@echo "demo outputs in out/"

test: $(STAMP)
	$(BIN)/ruff check cuport tests benchmarks
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not gpu"

check: lint test

lint: $(STAMP)
	$(BIN)/ruff check cuport tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache out

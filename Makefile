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
	$(BIN)/cuport corpus list
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format text; test $$? -le 1
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format json -o out/scan.json; test $$? -le 1
	$(BIN)/cuport scan $$($(BIN)/cuport corpus path) --format sarif -o out/scan.sarif; test $$? -le 1
	$(BIN)/cuport port $$($(BIN)/cuport corpus path) --to hip,opencl,triton -o out/ported --jobs 2; test $$? -le 1
	$(BIN)/cuport verify $$($(BIN)/cuport corpus path) --to hip,opencl,triton --format json -o out/verify.json; test $$? -le 1
	$(BIN)/python -c "import json; s = json.load(open('out/verify.json'))['summary']; print('verify:', s)"
	$(BIN)/cuport bench $$($(BIN)/cuport corpus path)/reduction --to hip,opencl --reps 3 --warmup 1 --format json -o out/bench.json; test $$? -le 1
	$(BIN)/cuport report $$($(BIN)/cuport corpus path) --to hip,opencl,triton -o out/report --bench out/bench.json
	@echo "demo outputs in out/: scan.json, scan.sarif, ported/, verify.json, bench.json, report/index.html"

test: $(STAMP)
	$(BIN)/ruff check cuport tests benchmarks
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not gpu"

check: lint test

lint: $(STAMP)
	$(BIN)/ruff check cuport tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache out

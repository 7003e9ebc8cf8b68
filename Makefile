# Two entry points: `make demo` runs the flagship end to end, `make test` runs the suite.
# Both create .venv when missing and install the project with pinned versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-review

.PHONY: demo test typecheck venv bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# irrcac (test-only reference for the agreement statistics) goes in with --no-deps: its metadata pins
# scipy==1.12.0, which conflicts with ours, and coverage<7, which it never imports; pandas, which it
# does import, comes from the test extra.
# torch goes in first and on its own, as the embeddings extra asks: pinned, it is the CPU build.
$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt torch
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[test,embeddings]"
	$(BIN)/python -m pip install --quiet --no-deps -c requirements/constraints.txt irrcac
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	DEMO_DIR=$(DEMO_DIR) bash scripts/demo.sh

# mypy first (strict on store/, protocol/ and errors.py; settings in pyproject.toml), then the suite.
typecheck: $(STAMP)
	$(BIN)/python -m mypy

test: typecheck
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[bench]"
	$(BIN)/python benchmarks/bench_pubmed_parse.py
	$(BIN)/python benchmarks/bench_dedupe.py
	$(BIN)/python benchmarks/bench_screening.py
	$(BIN)/python benchmarks/bench_meta.py

clean:
	rm -rf $(VENV) $(DEMO_DIR)

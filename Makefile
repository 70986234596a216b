# hpgsim task runner. A fresh machine needs only python3 (>= 3.11, with venv), pip and make.
#   make run    simulate the TRT + anastrozole example and plot it (out/)
#   make test   run the test suite (make test-fast: the quick tier, without the slow tests)
# `make` alone lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out

.DEFAULT_GOAL := help
.PHONY: help venv run test test-fast fuzz sweep lint format lock bench calibrate validate validate-fast docs clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file or the package metadata changes. The lock holds every
# optional extra (survival, scale, sbml: see src/hpgsim/optional.py), so the venv has them all.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --require-hashes -r requirements.lock
	$(BIN)/pip install --no-deps -e .
	touch $@

venv: $(STAMP)  ## create .venv and install the locked dependencies, every extra included, plus hpgsim (editable)

run: venv  ## simulate the source article's course (examples/article_protocol.yaml) and its HTML report -> out/
	@mkdir -p $(OUT)
	$(BIN)/hpgsim simulate examples/article_protocol.yaml \
		--out $(OUT)/article_protocol.csv --plot $(OUT)/article_protocol.png \
		--events $(OUT)/article_protocol_events.json
	$(BIN)/hpgsim report examples/article_protocol.yaml --out $(OUT)/article_protocol_report --overwrite

# One pytest-xdist worker per core; a test file stays on one worker (--dist loadfile), so its
# module fixtures (population trials, reference solves) are built once.
PYTEST_PARALLEL := -n auto --dist loadfile

test: venv  ## run the test suite (all tiers; what CI runs), one worker per core
	$(BIN)/pytest -q $(PYTEST_PARALLEL)

test-fast: venv  ## the fast tier: pytest -m 'not slow'
	$(BIN)/pytest -q -m 'not slow' $(PYTEST_PARALLEL)

fuzz: venv  ## the fuzz tier at 10,000 documents per test, printing the outcome counts
	HPGSIM_FUZZ_CASES=10000 $(BIN)/pytest -q -s tests/test_fuzz.py

sweep: venv  ## every library protocol over 10,000 men spread over the covariate box -> out/sweep
	$(BIN)/python scripts/covariate_sweep.py --n 10000 --out $(OUT)/sweep

lint: venv  ## ruff check, ruff format --check, mypy, import-linter (the layers)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# uv is not part of the lock; install it into the venv on demand, for this target only.
lock: | $(BIN)/python  ## regenerate requirements.lock from pyproject.toml, every extra (needs network)
	@test -x $(BIN)/uv || $(BIN)/pip install uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes \
		--python-version 3.11 -o requirements.lock

calibrate: venv  ## refit the calibrated parameters -> src/hpgsim/data/calibrated.json
	$(BIN)/python scripts/calibrate.py

validate: venv  ## all validation targets, trials included -> out/validation, docs/validation.md
	$(BIN)/hpgsim validate --out $(OUT)/validation --overwrite --markdown docs/validation.md

validate-fast: venv  ## single-man validation targets only (what CI runs) -> out/validation-fast
	$(BIN)/hpgsim validate --fast --out $(OUT)/validation-fast --overwrite

docs: venv  ## regenerate the generated blocks of docs/model.md from the code
	$(BIN)/hpgsim model doc docs/model.md

bench: venv  ## run the speed benchmark (hpgsim bench)
	$(BIN)/hpgsim bench

clean:  ## remove outputs and caches (keeps .venv)
	rm -rf $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache .jax_cache
	rm -rf src/*.egg-info *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too
	rm -rf $(VENV)

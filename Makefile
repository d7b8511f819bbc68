# colis: `make up` sets up and starts colis on its embedded defaults; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup up demo test lint sandbox

$(BIN)/colis: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

setup: $(BIN)/colis

up: setup
	$(BIN)/colis up

demo: setup
	$(BIN)/colis up --demo

sandbox: setup
	$(BIN)/colis sandbox serve

test: setup
	# A data folder of its own, so tests never touch a running colis' queue or files.
	COLIS_DATA_DIR=$${COLIS_DATA_DIR:-$$(mktemp -d)} $(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	COLIS_DATA_DIR=$$(mktemp -d) $(BIN)/colis makemigrations --check --dry-run

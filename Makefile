# Cairn: every target is idempotent. `make demo` and `make test` are the two commands in the README.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-fast lint format bench lock clean

install: $(VENV)/.installed static_vendor/.installed

$(VENV)/.installed: pyproject.toml requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

static_vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static_vendor && mkdir -p static_vendor/govuk-frontend static_vendor/htmx static_vendor/axe
	cp -r node_modules/govuk-frontend/dist static_vendor/govuk-frontend/dist
	cp node_modules/htmx.org/dist/htmx.min.js static_vendor/htmx/
	cp node_modules/axe-core/axe.min.js static_vendor/axe/
	touch $@

demo: install
	$(BIN)/cairn migrate --no-input -v 0
	$(BIN)/cairn demo
	$(BIN)/cairn runserver $(HOST):$(PORT)

serve: install
	$(BIN)/cairn migrate --no-input -v 0
	$(BIN)/cairn runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/cairn makemigrations --check --dry-run -v 0
	CAIRN_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	CAIRN_ENV=test $(BIN)/python bench/run.py $(BENCH_ARGS)

lock:
	$(BIN)/pip-compile -q --strip-extras --no-header -o requirements.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-header --extra dev -o requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules static_vendor staticfiles cairn.sqlite3

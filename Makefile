# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app service

.PHONY: run test lint format openapi bench clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

run: $(BIN)/activate
	$(FLASK) migrate
	$(FLASK) bootstrap
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops); the clock sweeps every minute"
	@# The embedded default needs no cron: a sweeper loop runs beside the server and stops with it.
	$(FLASK) tick --every 60 & ticker=$$!; trap 'kill $$ticker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - 'service:create_app()'

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# System packages first (LibreOffice, fonts, pdftoppm): installed as root, else one line naming them.
test:
	scripts/system-packages.sh
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n 2

# Regenerate openapi.yaml from the schemas; a test fails when the committed file is stale.
openapi: $(BIN)/activate
	$(FLASK) openapi write --format=yaml openapi.yaml

# Each figure beside its baseline from the same run (1-2 minutes on 2 cores); writes bench/results.json.
bench: $(BIN)/activate
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

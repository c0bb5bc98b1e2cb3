# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app service

.PHONY: run stop test lint format openapi bench bench-scale clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

# One supervisor process (service/supervisor.py): migrate, bootstrap, then gunicorn and the clock.
# exec: make's SIGTERM reaches the supervisor itself, which stops every child.
run: $(BIN)/activate
	exec $(FLASK) serve --port $(PORT)

# Stops the service `make run` started (its supervisor's pid is in var/service.pid).
stop:
	@test -f var/service.pid || { echo "Not running (no var/service.pid)."; exit 1; }
	kill -TERM $$(cat var/service.pid)

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

# A deployment's size on PostgreSQL (1M engagements, 10k tenants, 1M delivered outbox rows): seeded
# in SQL, then lists, tick, outbox, verify and export beside same-run baselines; adds to results.json.
bench-scale: $(BIN)/activate
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

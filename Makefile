# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The warm PDF converter (unoserver) needs LibreOffice's own `uno` module, which only the system
# Python has (Debian: python3-uno): a second, small venv on it, beside the service's.
OFFICE := .venv-office
UNOSERVER := $(OFFICE)/bin/unoserver
PORT ?= 8000
FLASK := $(BIN)/flask --app service

.PHONY: run stop check test test-on lint format openapi bench bench-scale samples clean office

$(UNOSERVER):
	/usr/bin/python3 -c 'import uno' || { echo "The warm PDF converter needs python3-uno (scripts/system-packages.sh installs it)." >&2; exit 1; }
	/usr/bin/python3 -m venv --system-site-packages $(OFFICE)
	$(OFFICE)/bin/pip install --quiet 'unoserver==3.7'

# Without python3-uno the service still runs: PDFs are then converted by a cold soffice each.
office:
	@$(MAKE) --no-print-directory $(UNOSERVER) || echo "No warm PDF converter: each PDF will start LibreOffice cold." >&2

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

# One supervisor process (service/supervisor.py): migrate, bootstrap, then gunicorn and the clock.
# exec: make's SIGTERM reaches the supervisor itself, which stops every child.
run: $(BIN)/activate office
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

# The inner loop, before each commit (under 30 s on 2 cores): lint, the pure domain and the
# use cases over the in-memory unit of work. No database, no LibreOffice; schemathesis's pytest
# plugin is not loaded (the contract tests that need it are not here), which saves its start-up.
check: $(BIN)/activate
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest tests/unit -p no:schemathesis

# System packages first (LibreOffice, fonts, pdftoppm): installed as root, else one line naming them.
# Then the whole suite on today's date, and its date-sensitive layers again on another day.
test:
	scripts/system-packages.sh
	@$(MAKE) --no-print-directory $(UNOSERVER)
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n 2
	@$(MAKE) --no-print-directory test-on

# The layers that date what they create (use cases, and the API on SQLite and PostgreSQL) run on
# DATE under libfaketime, its clock running from 00:59 UTC: a test that reads the wall clock, or
# dates its data by it, goes red here. The default is the morning Europe's clocks go forward
# (01:00 UTC on 25 March 2029), a minute into the run. Any day: make test-on DATE=2031-12-31
# Why these layers only: under libfaketime (0.9.10) a thread's timed wait (Event.wait(0.05),
# join(timeout)) never returns, and with FAKETIME_DONT_FAKE_MONOTONIC time.sleep fails (EINVAL);
# the integration and ops layers poll other processes that way. They date their data on the
# suite's pinned day (DAY_ONE) instead, and the README test runs its far day itself.
# The contract's and the browser's plugins are not loaded (neither layer runs here): ~1.3 s of CPU
# less in each of pytest's three processes. DATED_PLUGINS= loads them for DATED_LAYERS that need them.
DATE ?= 2029-03-25
DATED_LAYERS ?= tests/unit tests/api
DATED_PLUGINS ?= -p no:schemathesis -p no:playwright -p no:base_url
test-on: $(BIN)/activate
	TZ=UTC faketime -f '@$(DATE) 00:59:00' $(BIN)/python -m pytest -n 2 $(DATED_PLUGINS) $(DATED_LAYERS)

# Regenerate openapi.yaml from the schemas; a test fails when the committed file is stale.
openapi: $(BIN)/activate
	$(FLASK) openapi write --format=yaml openapi.yaml

# Each figure beside its baseline from the same run (2-5 minutes on 2 cores, by machine); writes bench/results.json.
bench: $(BIN)/activate office
	$(BIN)/python -m bench.run

# docs/samples/*.png: page 1 of a payment reminder and of the contract, in Italian and English,
# from the current templates (LibreOffice and pdftoppm, as `make test` installs them), and the
# desk's Today, engagement page and outbox as chromium shows them.
samples: $(BIN)/activate
	$(BIN)/python scripts/make_samples.py
	$(BIN)/python scripts/desk_samples.py

# A deployment's size on PostgreSQL (1M engagements, 10k tenants, 1M delivered outbox rows): seeded
# in SQL, then lists, tick, outbox, verify and export beside same-run baselines; adds to results.json.
bench-scale: $(BIN)/activate
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(VENV) $(OFFICE) var .pytest_cache .ruff_cache

# PCMD — one command for the demo, one for the tests (see README).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1:8000
PYTEST_WORKERS ?= 2
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | sha1sum | cut -c1-12)

.PHONY: demo test install check lint i18n messages system-deps clean load

$(STAMP): pyproject.toml constraints.txt
	@scripts/ensure-system-deps.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) $(NODE_STAMP)

# Front-end packages pinned in package.json/package-lock.json (axe-core for the accessibility
# tests), installed from the npm registry with the machine's npm: no CDN at run time.
$(NODE_STAMP): package.json package-lock.json
	@scripts/ensure-system-deps.sh node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Set up, migrate an embedded SQLite database, load the Đắk Lắk 2018 demo and serve it.
demo: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST) --noreload

# Set up and run every check and the whole test suite (DATABASE_URL selects PostgreSQL).
test: $(STAMP) $(NODE_STAMP)
	@scripts/ensure-system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pcmd config
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check: test

# Load test (issue 15 §3): gunicorn as deploy/ says on a fresh PostgreSQL database
# (LOAD_DATABASE_URL, default postgres://pcmd:pcmd@127.0.0.1/pcmd_load), Locust at 20 and 50
# users; results in benchmarks/results/load-postgresql.md. Locust comes with the "bench" extra.
load: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,bench]"
	$(BIN)/python benchmarks/load_test.py $(LOAD_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Refresh the catalog after changing user-facing strings, then translate the new entries.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l vi --no-obsolete -i ".venv/*" -i "var/*" -i "benchmarks/*" -i "node_modules/*"
	$(BIN)/python manage.py compilemessages -l vi -v0

clean:
	rm -rf $(VENV) var .pytest_cache node_modules

# Préau: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test test-fast quality fix install install-dev seed bench audit faults clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when a lock file changes.
$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

# `make run` serves the demo as production runs, DEBUG off (config/settings/demo.py); another
# settings module: `make run RUN_SETTINGS=…`. The seed is told that this is a demo on purpose
# (with DEBUG off it otherwise refuses: its accounts share a public password).
RUN_SETTINGS ?= config.settings.demo
VAR := $(or $(PREAU_VAR_DIR),var)
# collectstatic (≈ 20 s) runs again only when a static file of the project or the installed
# packages changed: its manifest is the stamp.
STATIC_SOURCES := $(shell find preau -path '*/static/*' -type f 2>/dev/null)

$(VAR)/static/staticfiles.json: $(VENV)/.installed-base $(STATIC_SOURCES)
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: export DJANGO_SETTINGS_MODULE := $(RUN_SETTINGS)
run: install $(VAR)/static/staticfiles.json
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --scale demo --verbosity 0 --i-know-this-is-production
	PORT=$(PORT) bin/run

seed: install
	$(BIN)/python manage.py seed --scale demo --i-know-this-is-production

# The whole suite, browser journeys included (bin/ensure-chromium installs Debian's Chromium
# when it can, and says loudly when it cannot).
test: install-dev
	@bin/ensure-chromium || true
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test-fast: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

quality: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint --check templates preau
	$(BIN)/djlint --lint templates preau
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

fix: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint --reformat templates preau || true

bench: install-dev
	bin/bench

# Known vulnerabilities in the pinned dependencies (pip-audit on the lock files), when a
# vulnerability database is reachable; says so plainly when it is not. Not part of `make test`.
audit: install-dev
	$(BIN)/python bin/audit

# The faults Préau must survive, on a throwaway PostgreSQL cluster of its own (root, ≈ 3 min;
# not run by CI): figures written into docs/reliability.md.
faults: install-dev
	bin/faults --write

clean:
	rm -rf $(VENV) var/static

# Préau: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test test-fast quality fix install install-dev seed bench faults clean

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

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --scale demo --verbosity 0
	PORT=$(PORT) bin/run

seed: install
	$(BIN)/python manage.py seed --scale demo

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

# The faults Préau must survive, on a throwaway PostgreSQL cluster of its own (root, ≈ 3 min;
# not run by CI): figures written into docs/reliability.md.
faults: install-dev
	bin/faults --write

clean:
	rm -rf $(VENV) var/static

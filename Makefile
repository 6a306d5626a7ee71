# Qorgau: `make run` to try it on one machine, `make test` to prove it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Debian packages: Pango for WeasyPrint, fonts with Cyrillic and Kazakh letters, HarfBuzz subsetting
# (halves PDF render time), gettext for translations.
# The list is deploy/debian-packages.txt, which the production install (deploy/bin/qorgau-install) reads too.
SYSTEM_PACKAGES := $(shell cat deploy/debian-packages.txt)
# Only the tests need these: a real browser, a PDF text reader, and nginx with openssl for the production topology
# on loopback (scripts/topology.sh).
TEST_SYSTEM_PACKAGES := chromium poppler-utils nginx-light openssl

.PHONY: bench topology install install-prod system-packages test-system-packages run test lint format messages makemessages clean faults faults-smoke

install: system-packages $(VENV)/.installed messages

# Production: runtime requirements only (no pytest, Playwright or linters), translations, collected static files.
install-prod:
	@bash deploy/bin/qorgau-install

system-packages:
	@bash scripts/ensure-debian-packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	@bash scripts/ensure-debian-packages.sh $(TEST_SYSTEM_PACKAGES)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@# This machine's pip configuration prints harmless "Location ... is ignored" lines: drop them.
	set -o pipefail; $(PY) -m pip install --quiet --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	set -o pipefail; $(PY) -m pip install --quiet -r requirements-dev.txt 2>&1 | { grep -v "is ignored" || true; }
	@touch $@

# Compiles the .po files; the .mo files are build output, never committed.
messages: $(VENV)/.installed
	@if [ -d locale ]; then DJANGO_SETTINGS_MODULE=config.settings.build $(MANAGE) compilemessages --ignore=.venv --verbosity 0; fi

# Refreshes locale/*/LC_MESSAGES/django.po from the code; then translate with scripts/po_tool.py.
MAKEMESSAGES_FLAGS := --no-obsolete --ignore=.venv/* --ignore=static/* --ignore=staticfiles/* --ignore=tests/* \
	--ignore=scripts/* --ignore=var/* --ignore=docs/* -l ru -l kk
makemessages: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.build $(MANAGE) makemessages $(MAKEMESSAGES_FLAGS)

run: install
	@bash scripts/run.sh

test: install test-system-packages lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The same checks run before each commit with `.venv/bin/pre-commit install` (.pre-commit-config.yaml).
# mypy checks the modules listed in pyproject.toml ([tool.mypy] files: strict for legal/, common/,
# incidents/services/, incidents/events.py, workflow.py and access.py); that list says what is to be added.
# The production topology on loopback: nginx, gunicorn, PostgreSQL, Redis, a worker and beat (`topology-down` stops it).
topology: test-system-packages
	@bash scripts/topology.sh up

topology-down:
	@bash scripts/topology.sh down

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/mypy

# The fault suite (tests/faults/): its own PostgreSQL (initdb), Redis, gunicorn, workers and beat; kills, freezes and
# stops them under load, then prints the table (README, "Reliability"). QORGAU_FAULTS_MEMORY_RENDERS=0 skips the
# memory curve (2,000 renders, about 15 minutes on 2 cores).
faults: $(VENV)/.installed messages
	rm -f var/faults.json
	$(PY) -m pytest tests/faults -m faults -p no:cacheprovider -q -s -o addopts="--strict-markers" $(PYTEST_ARGS); \
	status=$$?; $(PY) -m tests.faults.report var/faults.json; exit $$status

# CI's smaller fault run (.ci/run, after `make test`): a worker killed with -9 mid-render (the lease) and the database
# connections terminated between requests, on the suite's own stack; each asserts its targets as in `make faults`.
faults-smoke: $(VENV)/.installed messages
	$(PY) -m pytest tests/faults -m faults -p no:cacheprovider -q -o addopts="--strict-markers" \
		-k "test_worker_killed or test_database_connections_terminated" $(PYTEST_ARGS)

# The officer's pages (and the statistics') against floors of the same stack, as ratios (README, "Performance").
# Needs DATABASE_URL (PostgreSQL; seeded on the first run, 1M incidents by default) and REDIS_URL;
# BENCH_ARGS="--incidents 200000" for a smaller set.
bench: $(VENV)/.installed messages
	DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) scripts/bench.py $(BENCH_ARGS)

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles var/test-media .pytest_cache

# Two commands for a newcomer: `make run` (the site, zero configuration) and `make test`
# (the whole suite on the real PostgreSQL and Redis). Everything they need is installed here.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The test suite's services (make test starts them when they are down).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentoring

# Two processes, one per core (each has its own test database and Redis databases).
PYTEST_ARGS ?= -n 2

.PHONY: help install install-dev run serve test test-fast lint format bench ci services chromium wrk clean

help:
	@echo "make run    install, migrate, load the program content and a demo, serve on :8000"
	@echo "make test   install what the tests need and run them on PostgreSQL and Redis"
	@echo "make lint   ruff and lint-imports; make bench: the benchmarks; make ci: what CI runs"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e . 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e ".[dev]" 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

install-dev: $(VENV)/.installed-dev node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_program_content
	$(PY) manage.py seed_demo
	@echo
	@echo "  The site:  http://127.0.0.1:8000/   Administration: http://127.0.0.1:8000/admin/"
	@echo "  Staff login: staff@example.org / mentoring-demo"
	@echo "  Emails are printed here, in this terminal."
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium (never a downloaded one).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# The page benchmark loads gunicorn with wrk (Debian's package).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
	  echo "PostgreSQL or Redis did not start" >&2; exit 1
	@# The suite's own database (pytest-django makes test_<name> beside it).
	@url=$(TEST_DATABASE_URL); db=$${url##*/}; \
	  psql "$${url%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 || \
	  psql "$${url%/*}/postgres" -qc "CREATE DATABASE \"$$db\""

test: install-dev chromium services
	DATABASE_URL=$(TEST_DATABASE_URL) \
	  $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev wrk services
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m bench

ci:
	.ci/run

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 *.egg-info

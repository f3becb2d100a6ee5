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

.PHONY: help gettext messages install install-dev pip-tools lock upgrade run serve test test-fast lint format bench ci services chromium wrk clean

help:
	@echo "make run    install, migrate, load the program content and a demo, run site + worker + beat"
	@echo "make test   install what the tests need and run them on PostgreSQL and Redis"
	@echo "make lint   ruff and lint-imports; make bench: the benchmarks; make ci: what CI runs"
	@echo "make lock   refresh the lock after editing pyproject.toml; make upgrade: newest releases"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Python packages come only from the lock (compiled by pip-tools, with hashes): the same
# versions on every machine and every day. The lock is checked against pyproject.toml
# first, so an edit to one without the other fails here, loudly.
$(VENV)/.installed: requirements.txt pyproject.toml | $(PY)
	$(PY) .ci/lock_in_step.py
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt pyproject.toml | $(PY)
	$(PY) .ci/lock_in_step.py
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $(VENV)/.installed $@

# Refreshing the lock is deliberate: `make lock` after editing pyproject.toml (keeps every
# pin it can), `make upgrade` for the newest releases (PACKAGE=django for one only).
# pip-compile reads pip's own configuration for where packages come from; no index is
# written into the lock.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
UPGRADE = $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)

# pip-tools comes from the dev lock (or, the first time, from the registry).
pip-tools: | $(PY)
	@$(BIN)/pip-compile --version >/dev/null 2>&1 || \
	  $(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(BIN)/pip-compile --version >/dev/null 2>&1 || $(BIN)/pip install --quiet pip-tools

lock: | $(PY)
	@$(MAKE) --no-print-directory pip-tools
	$(PIP_COMPILE) -o requirements.txt pyproject.toml 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PIP_COMPILE) --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PY) .ci/lock_in_step.py

upgrade: | $(PY)
	@$(MAKE) --no-print-directory pip-tools
	$(PIP_COMPILE) $(UPGRADE) -o requirements.txt pyproject.toml 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PIP_COMPILE) $(UPGRADE) --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PY) .ci/lock_in_step.py
	@echo "Lock refreshed: run make test (the URL guards name any new URL to classify), then commit."

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Spanish catalogue is compiled here, never committed (msgfmt is Debian's gettext).
MESSAGES_PO := $(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po)
MESSAGES_MO := $(MESSAGES_PO:.po=.mo)

gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends gettext >/dev/null; }

%.mo: %.po | gettext
	msgfmt --check-format -o $@ $<

messages: $(MESSAGES_MO)

install: $(VENV)/.installed node_modules/.installed messages

install-dev: $(VENV)/.installed-dev node_modules/.installed messages

# The whole system, as production runs it, with nothing to install or configure: the site,
# one Celery worker and beat (Procfile.dev, run by honcho, each line of output prefixed by
# its process), on SQLite and a broker kept in files. Ctrl-C stops them all.
RUN_PORT ?= 8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_program_content
	$(PY) manage.py seed_demo
	@echo
	@echo "  The site:  http://127.0.0.1:$(RUN_PORT)/   Administration: http://127.0.0.1:$(RUN_PORT)/admin/"
	@echo "  Staff login: staff@example.org / mentoring-demo, then the code 000000 (make run only;"
	@echo "  or an authenticator app with the secret MENTORINGDEMOSTAFFTOTPSECRET2345)"
	@echo "  Emails are printed here by the worker, each under a line starting \"Email:\"."
	@echo "  Ctrl-C stops the site, the worker and beat."
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile.dev --port $(RUN_PORT)

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
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .run demo-emails *.egg-info

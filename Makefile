# The two set-up commands (see README.md):
#   make run   install, migrate, load demo data, serve on http://localhost:8000/
#   make test  install with test tools, then run the whole test suite
# Both work on a fresh machine with Python 3.11 and make; `make test` installs
# the Debian packages the browser tests need (chromium, fonts, gettext).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# manage.py defaults to the production settings (fails closed); the developer
# targets ask for the local ones (DEBUG, SQLite, console e-mail, eager Celery).
LOCAL := DJANGO_SETTINGS_MODULE=portal.settings.local
# Links in the demo's e-mails and its start-up message point at the server `make run` starts.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-test lint messages translations bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY)
	$(PIP) install --quiet -e .
	$(LOCAL) $(PY) manage.py compiletranslations

install-test: $(PY)
	$(PIP) install --quiet -e '.[test]'
	scripts/ensure-system-packages
	$(LOCAL) $(PY) manage.py compiletranslations

run: install
	$(LOCAL) DEBUG=1 $(PY) manage.py migrate --noinput
	$(LOCAL) DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py load_demo_data
	$(LOCAL) DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(PY)
	$(VENV)/bin/ruff check .

# Re-extract messages after changing user-facing text, then translate every new
# entry in locale/ and portal/*/locale/ (tests fail on anything untranslated).
messages: $(PY)
	$(LOCAL) $(PY) manage.py makemessages -l zh_Hant -l zh_Hans --no-location --no-obsolete --ignore 'portal/settings/*' --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'

translations: $(PY)
	$(LOCAL) $(PY) manage.py compiletranslations

# The benchmarks (bench/README.md): a PostgreSQL database of their own, filled with data ×100.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
bench: install
	scripts/ensure-system-packages wrk
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(BENCH_DATABASE_URL))'" | grep -q 1 \
	  || psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

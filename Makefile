# Safe Together: `make run` serves the demo site; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.PHONY: run serve test lint bench worker migrate seed static messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The conformance checkers pinned in package-lock.json (the Nu Html Checker runs on the system's Java;
# its install script, which would download a Java, is not run).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Static files, fingerprinted and compressed as in production; collected again only when one has changed.
STATIC_SOURCES := $(shell find static campaigns cms events resources -path "*static/*" -type f 2>/dev/null)
var/static/staticfiles.json: $(VENV)/.installed $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput --verbosity 0

static: var/static/staticfiles.json

## run: install, migrate, load demo data, then serve on http://127.0.0.1:$(PORT) with a background worker.
run: seed static
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@bash -c 'trap "kill 0" EXIT; \
		bin/supervise $(VENV)/bin/celery -A cms worker --beat --pool=solo -Q default,mail \
			--schedule var/celerybeat-schedule --loglevel=warning & \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)'

## worker: a Celery worker and beat against the configured broker (production: run them separately).
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A cms worker --beat -Q default,mail --loglevel=info

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## test: lint, the layer contracts, Django checks, migrations check, then pytest (SQLite, then PostgreSQL/Redis when reachable), with the HTML, accessibility, calendar and email checkers.
test: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) bin/run-tests

## bench: the benchmarks, each beside its baseline, written to bench/results/.
bench: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) bench/run.py

## messages: gather the public site's translatable text into locale/<lang>/LC_MESSAGES/django.po (new entries
## empty, old ones kept), then compile the .mo files Django reads. Needs GNU gettext; commit both files.
LOCALES ?= pl ro ur ar
messages: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemessages $(addprefix -l ,$(LOCALES)) \
		--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --no-obsolete
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py compilemessages $(addprefix -l ,$(LOCALES)) \
		--ignore=.venv --ignore=node_modules

clean:
	rm -rf var/

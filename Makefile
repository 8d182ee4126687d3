# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean bench translations-extract translations-update translations-compile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Translations: catalogs (.po) are written by people and kept in git; the compiled
## catalogs (.mo) the app reads are built from them on install.
TRANSLATIONS := portal/translations
CATALOGS := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

install: $(STAMP) $(COMPILED)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

## Collect every marked string into the template catalog (not kept in git), then merge it
## into each language's catalog; new entries are empty until translated.
translations-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 \
	  --add-location=file --sort-by-file -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
	  --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

translations-compile: $(COMPILED)

## Migrate the SQLite database, load demo data if it is empty, and serve on :5000 with the
## outbox worker in the background (e-mails land in instance/mail/, Mail sink in the header).
## Rotaflow starts in production unless told otherwise; here it is told: the development
## key, SQLite and the mail sink are allowed. This week's digests are queued at once (the
## worker would wait for Monday 07:00); each user gets one a week however often this runs.
run: export ROTAFLOW_ENV = development
run: install
	$(BIN)/rotaflow db upgrade
	$(BIN)/rotaflow demo --if-empty
	$(BIN)/rotaflow digest --now
	$(BIN)/rotaflow run --host 127.0.0.1 --port 5000

## Lint, then run the whole test suite with branch coverage (PostgreSQL too when
## ROTAFLOW_TEST_DATABASE_URL is set), and hold the domain packages (engine, policy, the
## operations modules and the runtime) to a coverage floor.
## The suite sets ROTAFLOW_ENV=testing itself (tests/conftest.py).
DOMAIN := workflow_designer/engine/*,workflow_designer/policy/*,workflow_designer/runtime/*,portal/*/operations.py
COVERAGE_FLOOR := 90

## One test process per core (pytest-xdist), each with its own PostgreSQL database.
TEST_WORKERS ?= auto

test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --cov --cov-branch --cov-report=
	$(BIN)/coverage report --include='$(DOMAIN)' --fail-under=$(COVERAGE_FLOOR)

## The load benchmark on the large data set in the local PostgreSQL (made on first use, about
## a quarter of an hour; reused after): every page against its own ceiling, the bare Flask
## app sending the same statements. Writes bench/results/latest.json and prints the table.
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/rotaflow_large

bench: install
	$(BIN)/python bench/large_data.py '$(BENCH_DATABASE_URL)'
	$(BIN)/python bench/load.py '$(BENCH_DATABASE_URL)' --duration 10 --warmup 2 --json bench/results/latest.json

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache

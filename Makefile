# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Migrate the SQLite database, load demo data if it is empty, and serve on :5000 with the
## outbox worker in the background (e-mails land in instance/mail/, Mail sink in the header).
## Rotaflow starts in production unless told otherwise; here it is told: the development
## key, SQLite and the mail sink are allowed.
run: export ROTAFLOW_ENV = development
run: $(STAMP)
	$(BIN)/rotaflow db upgrade
	$(BIN)/rotaflow demo --if-empty
	$(BIN)/rotaflow run --host 127.0.0.1 --port 5000

## Lint, then run the whole test suite with branch coverage (PostgreSQL too when
## ROTAFLOW_TEST_DATABASE_URL is set), and hold the domain packages (engine, policy, the
## operations modules and the runtime) to a coverage floor.
## The suite sets ROTAFLOW_ENV=testing itself (tests/conftest.py).
DOMAIN := workflow_designer/engine/*,workflow_designer/policy/*,workflow_designer/runtime/*,portal/*/operations.py
COVERAGE_FLOOR := 90

test: lint
	$(BIN)/pytest --cov --cov-branch --cov-report=
	$(BIN)/coverage report --include='$(DOMAIN)' --fail-under=$(COVERAGE_FLOOR)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache

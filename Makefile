# Two commands do all the set-up: `make run` (demo service on SQLite, no Redis) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default runs with DEBUG on and development keys; production sets its own environment.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: install run test lint format migrate demo clean lock fuzz check-wheel bench-smoke

# The exact versions of requirements-dev.lock (pyproject.toml keeps the ranges; `make lock` re-resolves them).
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py demo

# Embedded mode: Celery runs tasks in-process (no broker); `celery beat` in the background fires the periodic
# jobs, which then run inside the beat process. Ctrl-C stops both.
# The portal's address comes first, before the demo logins, and again just before the server's log.
PORTAL_URL := http://$(HOST):$(PORT)/
run: migrate
	@echo "The web app (portal): $(PORTAL_URL)"
	$(RUN_ENV) $(BIN)/python manage.py demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "The web app (portal): $(PORTAL_URL)  (log in with a demo login above; API docs: $(PORTAL_URL)api/docs/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/celery -A config beat --loglevel=WARNING --schedule var/celerybeat-schedule & \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Schemathesis against a live server on a fresh demo town, as the admin and as a member of staff (about 5 min).
fuzz: install
	$(BIN)/python tests/fuzz/run_schemathesis.py

# Each benchmark of bench/ once in its smoke size (seconds; PostgreSQL on 127.0.0.1), so that they keep working.
bench-smoke: install
	bash bench/smoke.sh

# Builds the wheel, installs it with requirements.lock into a fresh venv outside the source tree and checks that
# the service works from it alone (system checks, migrations, templates, translations, collectstatic).
check-wheel: install
	$(BIN)/python tests/packaging/check_wheel.py

# Re-resolves the lock files from pyproject.toml's ranges (universal: every platform and Python >= 3.11).
lock: install
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --extra dev pyproject.toml -o requirements-dev.lock

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var

# The two set-up commands are `make run` and `make test`; everything else here supports them.
# With DATABASE_URL and CELERY_BROKER_URL set, both use PostgreSQL and Redis instead of SQLite and eager Celery.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
PYTEST_ARGS ?=

.PHONY: run test deps assets lint format worker beat clean

run: deps assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_periodic_tasks
	$(BIN)/python manage.py seed_demo --if-empty
	bin/run-server

test: deps assets
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

deps: $(STAMPS)/python $(STAMPS)/npm

assets: assets/build/app.css

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/build/app.css: $(STAMPS)/npm $(wildcard assets/scss/*.scss assets/js/*)
	npm run --silent build

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: deps
	$(BIN)/celery -A omic worker -Q default,recalc,integration,notify --loglevel=info

beat: deps
	$(BIN)/celery -A omic beat --loglevel=info

clean:
	rm -rf $(VENV) $(STAMPS) node_modules assets/build staticfiles

# Two commands on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: install run test lint check lock schema codegen-check clean fuzz

# The virtualenv is rebuilt whenever the declared or the locked dependencies change.
$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: install  ## migrate, load demo data, serve on http://127.0.0.1:8000 (SQLite)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver $(HOST)

test: install  ## the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: install  ## the API fuzz suite ten times longer, fresh random cases (SCALE=n to change)
	SIKANDA_FUZZ_SCALE=$(or $(SCALE),10) SIKANDA_FUZZ_RANDOM=1 \
		$(BIN)/python -m pytest tests/api/test_fuzz.py -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

check: install  ## what CI checks besides the tests
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py graphql_contract --check

schema: install  ## regenerate graphql/schema.graphql after changing the API
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py graphql_contract

codegen-check:  ## graphql/ generates a TypeScript client (graphql-codegen; needs Node 20+ and npm)
	cd graphql/codegen && npm ci --no-audit --no-fund
	out=$$(mktemp -d) && cd graphql/codegen && \
	  CODEGEN_OUT=$$out/ npx --no-install graphql-codegen --config codegen.yml; \
	  status=$$?; rm -rf $$out; exit $$status

lock:  ## re-pin every dependency after changing pyproject.toml
	rm -rf /tmp/sikanda-lock && $(PYTHON) -m venv /tmp/sikanda-lock
	/tmp/sikanda-lock/bin/pip install --quiet ".[dev]"
	/tmp/sikanda-lock/bin/pip freeze --exclude sikanda > requirements.lock

.PHONY: serve-prod worker sweeper

serve-prod: install  ## gunicorn with gunicorn.conf.py against $$DJANGO_SETTINGS_MODULE (production by default)
	$(BIN)/gunicorn -c gunicorn.conf.py

worker: install  ## one background task worker (database queue); production runs four
	$(BIN)/python manage.py db_worker

sweeper: install  ## re-queue due and abandoned outbox deliveries, fail tasks of dead workers, every minute
	$(BIN)/python manage.py sweep_outbox --every 60

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media

# The two commands of the README: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/hoilhpn
HOST ?= 127.0.0.1:8000

.PHONY: run test setup lint format test-sqlite test-sqlite-nobrowser test-postgres browser messages demo clean backup restore worker

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po | $(BIN)/activate
	$(PY) manage.py compilemessages --locale vi -v 0

setup: $(BIN)/activate node_modules/.installed locale/vi/LC_MESSAGES/django.mo

run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py demo_logins --host $(HOST)
	@# Served as users see it (DEBUG off: the app's own Vietnamese error pages), with a secret key made once for
	@# this copy and static files straight from the source folders. The worker runs big imports and prints.
	@test -s .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	@export SECRET_KEY="$$(cat .secret_key)" LOCAL_STATIC=true ALLOWED_HOSTS="$${ALLOWED_HOSTS:-*}"; \
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --insecure $(HOST)

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's Chromium drives the browser tests, and the printed report needs Liberation Serif 2 (Vietnamese
# glyphs with Times New Roman's metrics); installing them needs root (CI runs as root).
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]; } || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-liberation2 >/dev/null; \
	  else echo "Needs: sudo apt-get install -y chromium fonts-liberation2"; fi; }

test-sqlite: setup
	$(BIN)/pytest -q

# In `make test` the browser tests run once, against PostgreSQL (the production database): a page drawn in
# Chromium does not depend on the database, and the two runs share the machine's cores.
test-sqlite-nobrowser: setup
	$(BIN)/pytest -q --ignore=tests/e2e

test-postgres: setup
	@bash scripts/with_postgres.sh "$(PG_URL)" $(BIN)/pytest -q

# The two databases run side by side; each one's output is printed whole when it finishes.
test: lint browser
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite-nobrowser test-postgres

messages: setup
	$(PY) manage.py makemessages --locale vi --no-obsolete --no-location --ignore .venv --ignore node_modules
	$(PY) manage.py compilemessages --locale vi -v 0

# The database and the uploaded files, with a manifest of every table's rows and checksum.
BACKUP_DIR ?= backups
backup: setup
	$(PY) manage.py backup $(BACKUP_DIR)

# make restore FROM=backups/hoilhpn-20261122-070000 (asks before replacing everything)
restore: setup
	@test -n "$(FROM)" || { echo "Usage: make restore FROM=<backup folder>"; exit 2; }
	$(PY) manage.py restore $(FROM)

# The background worker (imports, printed reports) on its own, as production runs it.
worker: setup
	$(PY) manage.py run_worker

clean:
	rm -rf $(VENV) node_modules staticfiles

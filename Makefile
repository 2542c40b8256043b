# Two commands: `make run` serves the app with demo data; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := surgery

.PHONY: run test lint bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium drives the browser tests; install it when it is missing.
/usr/bin/chromium:
	@command -v apt-get >/dev/null || { echo "Install Chromium at /usr/bin/chromium to run the browser tests."; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Debian's zbar-tools reads the QR codes the app draws back, as a reader of its own.
/usr/bin/zbarimg:
	@command -v apt-get >/dev/null || { echo "Install zbarimg (zbar-tools) at /usr/bin/zbarimg to read QR codes back in the tests."; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools

run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	@echo "Surgery is at http://127.0.0.1:$(PORT)/  (organiser pages: http://127.0.0.1:$(PORT)/organise/)"
	$(BIN)/flask run --port $(PORT)

# SQLite always; PostgreSQL as well when TEST_DATABASE_URL is set.
test: $(VENV)/.test-installed node_modules/axe-core/axe.min.js /usr/bin/chromium /usr/bin/zbarimg
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "Again on PostgreSQL: $$TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every benchmark in bench/, one after another, each printing its figures (about 18 minutes);
# bare_app.py is the baseline they serve and live_round.py a part of day.py. All of them run;
# the target ends by naming any that missed its target or failed.
BENCHMARKS := $(filter-out bench/bare_app.py bench/live_round.py,$(sort $(wildcard bench/*.py)))

bench: $(VENV)/.test-installed
	@missed=""; for script in $(BENCHMARKS); do \
		echo; echo "== $$script"; \
		$(BIN)/python $$script || missed="$$missed $$script"; \
	done; \
	if [ -n "$$missed" ]; then echo; echo "Missed a target or failed:$$missed"; exit 1; fi

# Threaded workers under load for minutes on SQLite and PostgreSQL; fails if a worker dies.
soak: $(VENV)/.test-installed
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache

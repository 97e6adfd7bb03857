# Etablera — `make run` serves the app, `make test` runs ruff and the tests.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 5000
export FLASK_APP := wsgi

.PHONY: run test bench translations extract-messages install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
# npm's devDependencies (package-lock.json): the Nu Html Checker for the page crawl.
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; we use the system's.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install-dev: $(VENV)/.installed-dev node_modules/.installed

# The one target that compiles the translations; every other target uses it.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d app/translations -D messages

# For developers: refresh the catalogue after adding strings, then translate the new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output \
	  --omit-header -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -D messages \
	  --no-fuzzy-matching --ignore-obsolete --no-wrap

run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	# The scheduler and the task queue's consumer (exports) run in the serving process.
	# flask run and BASE_URL (config.py) both read FLASK_RUN_HOST and FLASK_RUN_PORT.
	ETABLERA_EMBEDDED_SCHEDULER=1 ETABLERA_EMBEDDED_WORKER=1 \
	  FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT) $(BIN)/flask run --debug

# ruff, and mypy over app/ and config.py (pyproject.toml lists the libraries without types).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

# Two workers (pytest-xdist): each has its own test database template and browser.
PYTEST_WORKERS ?= 2
test: install-dev translations lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install-dev translations
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
	find app/translations -name '*.mo' -delete

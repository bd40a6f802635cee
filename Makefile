# Clothing Line: `make run` serves the app, `make test` runs every check. Both work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# The deploy/ example's load balancer, checked by tests/unit/test_deploy.py.
HAPROXY ?= /usr/sbin/haproxy
# pytest-xdist workers: one per core of the 2-core machines we test on.
TEST_WORKERS ?= 2
# The browser tests inject axe-core into every page to check its accessibility.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: run test lint typecheck pytest chromium haproxy messages clean

run: $(VENV)/.installed
	$(BIN)/clothingline migrate
	$(BIN)/clothingline demo-data --if-empty
	$(BIN)/clothingline serve

test: $(VENV)/.installed-test chromium haproxy $(AXE) lint typecheck pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests need Chromium; on Debian (as root) it is installed, elsewhere we say what to do.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install Debian's 'chromium' package (or set CHROMIUM=/path/to/chromium)."; \
	    exit 1; \
	  fi; \
	fi

haproxy:
	@if [ ! -x "$(HAPROXY)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing haproxy with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	  else \
	    echo "haproxy is missing: install Debian's 'haproxy' package (or set HAPROXY=/path/to/haproxy)."; \
	    exit 1; \
	  fi; \
	fi

$(AXE): Makefile
	npm install --prefix .cache/axe --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test chromium haproxy $(AXE)
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(TEST_WORKERS)

# Extract new strings into the catalogue; then translate the empty msgstr entries in the .po files.
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -o server/translations/messages.pot --no-location --sort-output --width 100 .
	$(BIN)/pybabel update -i server/translations/messages.pot -d server/translations --no-fuzzy-matching --ignore-obsolete --width 100

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache

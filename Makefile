# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000

CHROMIUM := /usr/bin/chromium
# apt-get needs root: sudo when not root
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint index clean bench eval chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dist]'
	touch $@

$(INDEX)/current: | $(VENV)/.installed
	$(PY) -m indexer build data --index $(INDEX)

index: $(VENV)/.installed
	$(PY) -m indexer build data --index $(INDEX)

run: $(VENV)/.installed $(INDEX)/current
	$(PY) -m search_service --index $(INDEX) --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (tests/test_browser.py), when it is missing.
$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		chromium fonts-dejavu-core

chromium: $(CHROMIUM)

test: $(VENV)/.installed $(CHROMIUM)
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache

bench: $(VENV)/.installed
	$(PY) -m bench

eval: $(VENV)/.installed
	$(PY) -m bench.eval

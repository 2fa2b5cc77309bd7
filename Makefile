# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint index clean bench eval

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

test: $(VENV)/.installed
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

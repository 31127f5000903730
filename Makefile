# Two commands set everything up and run it:
#   make        build the sample course in slides/ into build/
#   make test   run the whole test suite
# Each installs what is missing first: Debian packages (scripts/bootstrap.sh)
# and a .venv with deckbuild installed from pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: all build test check clean

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.build-ready: pyproject.toml scripts/bootstrap.sh | $(BIN)/python
	scripts/bootstrap.sh build
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-ready: pyproject.toml scripts/bootstrap.sh | $(BIN)/python
	scripts/bootstrap.sh test
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.build-ready
	$(BIN)/deckbuild build slides -o build

check: $(VENV)/.build-ready
	$(BIN)/deckbuild check slides

test: $(VENV)/.test-ready
	$(BIN)/python -m pytest

clean:
	rm -rf build dist

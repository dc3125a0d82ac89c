# Two commands a new user needs: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO := .demo

.PHONY: demo test bench clean

$(BIN)/qualcode: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python 3.11 or run: make PYTHON=python3 ..." >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

demo: $(BIN)/qualcode
	@bash bench/../scripts/demo.sh $(BIN)/qualcode $(DEMO)

test: $(BIN)/qualcode
	$(BIN)/python -m pytest -n 2 -q

bench: $(BIN)/qualcode
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO) exports/*.md exports/*.csv

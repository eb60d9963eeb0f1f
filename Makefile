# Two commands: `make demo` renders the demo clients' reports, `make test` runs the tests.
# Both create .venv and install everything on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null
	$(BIN)/python -m pip install -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/reportkit demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lab: $(STAMP)
	$(BIN)/python -m pip install -e '.[lab]'
	$(BIN)/jupyter lab notebooks/client_report.ipynb

clean:
	rm -rf reports data/demo $(VENV)

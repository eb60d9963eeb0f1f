# Two commands: `make demo` renders the demo clients' reports, `make test` runs the tests
# (`make test-fast`: all but the ones marked slow, well under a minute).
# Both create .venv and install everything on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast test-lower install lab clean chromium i18n

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

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# The fast tests on the lowest versions pyproject.toml allows (every `>=` pinned as `==`), in
# .venv-lower: the lower bounds are the versions tested.
LOWER := .venv-lower
test-lower:
	test -x $(LOWER)/bin/python || $(PYTHON) -m venv $(LOWER)
	$(PYTHON) -c 'import re, tomllib; print("\n".join(re.sub(r"\[.*\]", "", d).replace(">=", "==").split(";")[0] for d in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > $(LOWER)/lower-bounds.txt
	$(LOWER)/bin/python -m pip install --upgrade pip >/dev/null
	$(LOWER)/bin/python -m pip install -c $(LOWER)/lower-bounds.txt -e '.[test]'
	$(LOWER)/bin/python -m pytest -m "not slow" $(PYTEST_ARGS)

lab: $(STAMP)
	$(BIN)/python -m pip install -e '.[lab]'
	$(BIN)/jupyter lab notebooks/client_report.ipynb

# PDF export and the browser tests use the system Chromium (Debian package `chromium`).
chromium:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then echo "chromium: $$(command -v chromium || echo /usr/bin/chromium)"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then sudo apt-get update && sudo apt-get install -y chromium; \
	else echo "Chromium is needed for PDFs and the browser tests: install the 'chromium' package" \
	  "(Debian/Ubuntu: apt-get install chromium), or set REPORTKIT_CHROMIUM to a Chromium/Chrome executable." >&2; exit 2; fi

clean:
	rm -rf reports data/demo $(VENV) $(LOWER)

# The translation catalogs (README: Languages): re-extract the texts marked in the code into
# reportkit/locale/reportkit.pot, merge them into each language's .po, compile the .mo files
# the package ships, and list what each language still lacks (exit 1 while something does).
LOCALES := reportkit/locale
i18n: $(STAMP)
	$(eval LANGS := $(shell $(BIN)/python -c "from reportkit.core.i18n import TRANSLATED; print(*sorted({l.split('_')[0] for l in TRANSLATED}))"))
	$(BIN)/pybabel extract -F babel.cfg --no-wrap --sort-by-file --add-location=file \
		--project reportkit --copyright-holder "reportkit contributors" -o $(LOCALES)/reportkit.pot .
	for lang in $(LANGS); do \
		test -f $(LOCALES)/$$lang/LC_MESSAGES/reportkit.po || \
			$(BIN)/pybabel init -D reportkit -i $(LOCALES)/reportkit.pot -d $(LOCALES) -l $$lang --no-wrap; \
	done
	$(BIN)/pybabel update -D reportkit -i $(LOCALES)/reportkit.pot -d $(LOCALES) --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -D reportkit -d $(LOCALES) --statistics
	$(BIN)/python -m reportkit.core.catalogs

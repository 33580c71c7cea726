# Two commands for a fresh machine: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
RA := $(BIN)/recordaccess
# Django 6 needs Python 3.12 or newer: take the first such Python on the PATH or installed by pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
ASSETS := var/build/assets
# Arimo (metrics of Arial, the NHS fallback for Frutiger): the one font PDFs and the browser tests use everywhere.
ARIMO := node_modules/@fontsource/arimo

.PHONY: run install test test-fonts lint format assets migrate bench clean serve-production audit report

run: install migrate  ## Set up, load the demo on first run, serve the app and its worker on :8000.
	@$(RA) demo --if-empty
	@$(RA) demo_logins
	@echo "Serving on http://127.0.0.1:8000 (staff sign-in at /staff/, health at /healthz). Ctrl-C stops both."
	@PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start

install: $(VENV)/.installed $(ASSETS)/.built  ## Set up the virtualenv and the front-end assets.

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6). Install it, or set PYTHON=/path/to/python3.12." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the NHS.UK frontend (apt-get install npm)." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS)/.built: node_modules/.installed $(VENV)/.installed
	@rm -rf $(ASSETS) && mkdir -p $(ASSETS)
	cp $(NHSUK)/nhsuk-frontend.min.css $(NHSUK)/nhsuk-frontend.min.css.map $(NHSUK)/nhsuk-frontend.min.js \
		$(NHSUK)/nhsuk-frontend.min.js.map $(ASSETS)/
	cp -R $(NHSUK)/assets/. $(ASSETS)/
	mkdir -p $(ASSETS)/fonts
	cp $(ARIMO)/files/arimo-latin-*-normal.woff* $(ARIMO)/LICENSE $(ASSETS)/fonts/
	$(RA) collectstatic --noinput --verbosity 0
	@touch $@

assets: $(ASSETS)/.built

migrate: install
	@$(RA) migrate --noinput --verbosity 0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint  ## Set up what is missing, then run every check.
	$(BIN)/pytest

audit: install  ## Known vulnerabilities in the pinned Python and npm packages (docs/security/README.md).
	$(BIN)/python .ci/audit.py

# The one font set the check shows the tests; Chromium needs at least one system font to run at all.
FONT_CHECK_DIR := /usr/share/fonts/truetype/dejavu
# What the check runs: the whole journey of every role (it follows header links as a person does, folded into "More"
# or not), the header's folding itself, each role's overview, and the PDF layouts. The rest of tests/browser
# runs once in make test: rerunning it all here cost six minutes of CI for pages the journey already walks.
FONT_CHECK_TESTS := tests/journeys tests/browser/test_header_navigation.py tests/browser/test_home.py \
	tests/outreach/test_letters.py

test-fonts: install  ## The journeys, the header and the PDF layouts again, seeing DejaVu only: none may need the machine's fonts.
	@test -d $(FONT_CHECK_DIR) || { echo "$(FONT_CHECK_DIR) is missing (apt-get install fonts-dejavu-core)." >&2; exit 1; }
	@dir=$$(mktemp -d) && printf '%s\n' '<?xml version="1.0"?>' '<fontconfig>' '<dir>$(FONT_CHECK_DIR)</dir>' \
		"<cachedir>$$dir</cachedir>" '<include ignore_missing="yes">/etc/fonts/conf.d</include>' '</fontconfig>' \
		> "$$dir/fonts.conf" && { FONTCONFIG_FILE="$$dir/fonts.conf" fc-list : family 2>/dev/null | sort -u; true; } && \
	FONTCONFIG_FILE="$$dir/fonts.conf" $(BIN)/pytest -q $(FONT_CHECK_TESTS); \
	status=$$?; rm -rf "$$dir"; exit $$status

serve-production: install  ## The production shape here: gunicorn, RQ workers, PostgreSQL, Redis (docs/deploy.md).
	@deploy/serve-production

# REPORT_ARGS passes sizes on, e.g. REPORT_ARGS="--import-rows 100000 --skip faults" (recordaccess report --help).
report: install  ## Every benchmark, one report: var/report/index.html and summary.json (docs/report.md).
	@.ci/services >/dev/null
	@$(RA) report $(REPORT_ARGS)

clean:
	rm -rf $(VENV) node_modules var/build var/static

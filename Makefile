# The registry's two commands: `make run` serves it, `make test` tests it.
# Both set up whatever is missing first (virtual environment, dependencies, styles,
# database), and running them again only redoes what changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The app reads PORT too: links in emails and calendar feeds then open the running app.
export PORT
export FLASK_APP := wsgi

# Python keeps modules it has compiled in __pycache__ (git ignores them), unless the machine
# says not to (PYTHONDONTWRITEBYTECODE, as some sandboxes do): then every test process, and every
# process the tests start, compiles the app and its libraries again, about 4 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE

CSS := registry/static/dist/registry.css
JS := registry/static/dist/govuk-frontend.min.js registry/static/dist/accessible-autocomplete.min.js
SCSS := $(wildcard assets/scss/*.scss)

.PHONY: run test setup assets database chromium pdf-libraries clean bench screenshots

# Beside the server run the mail worker (with no MAIL_SERVER set it delivers to the
# development mailbox, read under Outbox), two demo witnesses of the audit log (Leeds and
# Bradford, on ports 7381 and 7382, keys in instance/witnesses/) and the worker that asks them
# to cosign after each change; all are stopped, by their PIDs, when the server stops.
run: setup database pdf-libraries
	@echo
	@echo "The registry is starting at http://127.0.0.1:$(PORT)/sign-in (Ctrl+C stops it)."
	@pids=""; \
	for config in $$($(BIN)/flask demo witnesses); do \
	  $(BIN)/flask witness serve $$config & pids="$$pids $$!"; \
	done; \
	$(BIN)/flask mail worker & pids="$$pids $$!"; \
	$(BIN)/flask audit witness --watch & pids="$$pids $$!"; \
	trap 'kill $$pids 2>/dev/null; wait $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# One test process per core and one more; each has its own app and database (tests/conftest.py).
# The extra one keeps the cores busy while the others wait on Chromium, on the processes the
# concurrency tests start, or on a mail worker's poll: on 2 cores, 3 processes ran the suite in
# 362 s where 2 took 446 s (bench/README.md).
# Tests go to the processes a few at a time (--maxschedchunk): in the first quarter of the
# suite that pytest-xdist hands out at once, the browser tests (which run first) all went to one
# process, which then ran alone for the last 17 s of a 244 s run.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: $(VENV)/.dev-installed assets chromium pdf-libraries
	$(BIN)/pytest -n $(TEST_WORKERS) --maxschedchunk 4 $(PYTEST_ARGS)

setup: $(VENV)/.installed assets

assets: $(CSS) $(JS)

database: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask authorities import
	$(BIN)/flask legal import
	$(BIN)/flask demo load

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS) $(JS) &: node_modules/.installed $(SCSS)
	npm run --silent build

# Browser tests drive Debian's Chromium, its headless build (tests/browser/conftest.py says
# why); install it when we can, say how when we cannot. The full browser does too, if it is
# all a machine has.
chromium:
	@command -v chromium-headless-shell >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; \
	  elif command -v chromium >/dev/null 2>&1; then \
	    echo "Browser tests run in the full Chromium; sudo apt-get install chromium-headless-shell runs them faster."; \
	  else \
	    echo "Browser tests need Chromium: sudo apt-get install chromium-headless-shell"; exit 1; \
	  fi; }

# PDF records (registry/records) are made by WeasyPrint, which needs Pango and a font from the
# system: install them as Chromium is installed, or say how.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libraries: $(VENV)/.installed
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else \
	    echo "PDF records need WeasyPrint's system libraries: sudo apt-get install $(PDF_PACKAGES)"; exit 1; \
	  fi; }

clean:
	rm -rf $(VENV) node_modules registry/static/dist

# Benchmarks print figures; see bench/README.md.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.audit_cost
	$(BIN)/python -m bench.proofs
	$(BIN)/python -m bench.verify_export
	$(BIN)/python -m bench.mail_send
	$(BIN)/python -m bench.export_xlsx
	$(BIN)/python -m bench.record_pdf

# The README's screenshots, from the demo on a temporary database; see scripts/screenshots.py.
screenshots: $(VENV)/.dev-installed assets chromium
	$(BIN)/python -m scripts.screenshots

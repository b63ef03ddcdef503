# Two commands for a fresh machine (Python 3.11+ and Node 20): `make run` and `make test`.
# Every target does its own set-up and is safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json -type f 2>/dev/null)

.PHONY: run test lint test-python test-frontend browser chaos bench bench-paint bench-inbox bench-load bench-webhooks bench-planning bench-scheduler clean-data

$(STAMPS)/python: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

frontend/dist/index.html: $(STAMPS)/node $(FRONTEND_SOURCES)
	cd frontend && npm run build --silent

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
$(STAMPS)/browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Install Chromium (e.g. 'sudo apt-get install chromium') for the browser tests" >&2; exit 1; fi
	@mkdir -p $(STAMPS) && touch $@

run: $(STAMPS)/python frontend/dist/index.html
	$(PY) -m api.run

test: $(STAMPS)/python frontend/dist/index.html $(STAMPS)/browser
	cd frontend && npm test --silent
	$(PY) -m pytest -q -p no:cacheprovider -m "not chaos and not bench"

lint: $(STAMPS)/python $(STAMPS)/node
	$(VENV)/bin/ruff check api domain adapters workers sandbox tests bench
	$(VENV)/bin/ruff format --check api domain adapters workers sandbox tests bench
	$(VENV)/bin/mypy domain api adapters workers
	$(VENV)/bin/lint-imports
	cd frontend && npm run typecheck --silent

bench-inbox: $(STAMPS)/python
	$(PY) -m bench.inbox_list

# mixed load (inbox reads, sends, webhooks) across 50 properties for 60 s; figures in bench/load.md
bench-load: $(STAMPS)/python
	$(PY) -m bench.load

# inbound WhatsApp webhooks end to end against a bare verify-and-insert endpoint (about 4 minutes)
bench-webhooks: $(STAMPS)/python
	$(PY) -m bench.webhook_ingest

# 100,000 bookings x 5 rules planned through the API (about 2 minutes)
bench-planning: $(STAMPS)/python
	$(PY) -m bench.sched_planning

# planning paths and 10,000 scheduled sends due the same minute, through the sandbox Twilio (about 6 minutes)
bench-scheduler: $(STAMPS)/python
	$(PY) -m bench.scheduler

# the inbox's first paint in a real browser, median of five cold loads (about 30 s); figures in bench/README.md
bench-paint: $(STAMPS)/python frontend/dist/index.html $(STAMPS)/browser
	$(PY) -m pytest -q -p no:cacheprovider -m bench tests/e2e/test_inbox_paint.py; status=$$?; \
	cp test-artifacts/inbox-paint.json bench/results/inbox_paint.json; exit $$status

bench: bench-inbox bench-webhooks bench-planning bench-load bench-scheduler bench-paint

chaos: $(STAMPS)/python
	$(PY) -m pytest -q -p no:cacheprovider -m chaos tests

clean-data:
	rm -rf .data

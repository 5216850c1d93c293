# OpsMap: `make run` serves the dashboard, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
SHARED_BOUNDARIES := $(abspath ../shared/geodata/lancashire_districts.geojson)

# Offline machines use the shared reference boundaries when they are there; otherwise the app
# reads OPSMAP_BOUNDARIES or its cache (a download only where OPSMAP_BOUNDARIES_URL is set).
ifeq ($(origin OPSMAP_BOUNDARIES), undefined)
ifneq ($(wildcard $(SHARED_BOUNDARIES)),)
export OPSMAP_BOUNDARIES := $(SHARED_BOUNDARIES)
endif
endif

.PHONY: run test audit bench venv clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(VENV)/.installed

# axe-core (pinned in tests/e2e/axe/package.json) for the accessibility test in Chromium.
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --silent
	touch $@

run: venv
	$(PY) app.py db upgrade
	$(PY) app.py seed-demo --if-empty
	$(PY) app.py users bootstrap
	$(PY) app.py run

test: venv $(AXE)
	$(PY) -m pip check
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m bandit -q -r app.py config.py cli dashboard layers geodata
	$(PY) -m pytest -q

audit: venv
	bash .ci/audit

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) instance/cache .pytest_cache

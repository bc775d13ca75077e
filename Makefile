# The two README commands are `make run` and `make test`; everything else hangs off them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every install is pinned to the lock (pip-tools style constraints, written by uv: `make lock`).
LOCK := constraints.txt
# uv when present (some 3 s against pip's 25 s here), pip otherwise; the same lock either way
UV := $(shell command -v uv 2>/dev/null)
export QT_QPA_PLATFORM ?= offscreen
# Some machines (this team's among them) set PYTHONDONTWRITEBYTECODE: every process of a test run
# (each xdist worker, each CLI subprocess a test starts) would then compile all of our modules and
# re-run pytest's assertion rewriting again. Bytecode goes to the ignored __pycache__ folders.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint typecheck pytest lock package bench-topology bench bench-foundation bench-sync bench-ui fuzz screenshots translations clean

$(STAMP): pyproject.toml $(LOCK) scripts/system-deps
	bash scripts/system-deps test
	test -x $(PY) || python3 -m venv $(VENV)
ifneq ($(UV),)
	$(UV) pip install -q --python $(PY) -c $(LOCK) -e '.[dev]'
else
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c $(LOCK) -e '.[dev]'
endif
	touch $(STAMP)

# Re-resolve the lock after changing pyproject.toml's dependencies (keeps the pins it can;
# `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed). One lock for every
# extra and platform (--universal), so Windows builds and the server image use the same pins.
LOCK_ARGS ?=
lock:
	$(or $(UV),$(VENV)/bin/uv) pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--annotation-style line --custom-compile-command 'make lock' $(LOCK_ARGS) -o $(LOCK)

# The desktop bundle (installer/caseapp.spec, PyInstaller one-folder) in build/dist/caseapp, its
# .deb and per-user tarball in build/packages, then the smoke test of all three (installer/smoke_test.py).
PACKAGE_STAMP := $(VENV)/.installed-package
$(PACKAGE_STAMP): $(STAMP) scripts/system-deps
	bash scripts/system-deps package
ifneq ($(UV),)
	$(UV) pip install -q --python $(PY) -c $(LOCK) -e '.[dev,package]'
else
	$(PY) -m pip install -q -c $(LOCK) -e '.[dev,package]'
endif
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP) translations
	rm -rf build/dist build/pyi build/packages
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/pyi installer/caseapp.spec
	bash installer/linux/package.sh
	$(PY) installer/smoke_test.py

translations: $(STAMP)
	$(PY) -m ui.i18n_build

run: $(STAMP) translations
	env -u QT_QPA_PLATFORM $(VENV)/bin/caseapp

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy caseapp sync ui migrations installer bench

# The suite runs on PYTEST_WORKERS processes (pytest-xdist): one more than the cores, at most 4 (a
# good part of it waits on subprocesses, servers and fsync: on 2 cores, 3 workers took 706 s against
# 2 workers' 921 s, in one session); every test makes its own folders, servers on free ports and
# PostgreSQL schemas. worksteal hands a long test's neighbours to an idle worker. PYTEST_WORKERS=0
# runs it all in one process; PYTEST_ARGS adds options.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); n=$$(( n + 1 )); echo $$(( n < 4 ? n : 4 )))
pytest: $(STAMP) translations
	bash scripts/ensure-postgres
	$(VENV)/bin/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint typecheck pytest

# The fault scenarios (tests/faults) run longer too: more rounds, laptops and seeds, PostgreSQL for
# every scenario, and the variants marked faults_long; one summary line per scenario at the end
# (faults injected per kind, conflicts, edits checked, edits lost). FAULT_SEED=N replays a run.
FAULT_ROUNDS ?= 8
FAULT_SEEDS ?= 4
FAULT_DEVICES ?= 5
FAULT_SEED ?= $(shell date +%s)
# Convergence scenarios (and API fuzz examples) per backend: a scenario is several devices, a real
# server and exports, about 2 s each, so 150 take about half an hour; FUZZ_EXAMPLES=2000 overnight.
FUZZ_EXAMPLES ?= 150
# Shrinking a failing scenario of many steps can take hours: by default the first one found is
# printed as it is (FUZZ_SHRINK=1 to shrink it).
FUZZ_SHRINK ?= 0
fuzz: $(STAMP)
	bash scripts/ensure-postgres
	CASEAPP_FUZZ_SHRINK=$(FUZZ_SHRINK) CASEAPP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -p no:cacheprovider -m "not slow" tests/sync/test_convergence.py tests/sync/test_api_fuzz.py
	CASEAPP_FAULT_ROUNDS=$(FAULT_ROUNDS) CASEAPP_FAULT_SEEDS=$(FAULT_SEEDS) CASEAPP_FAULT_DEVICES=$(FAULT_DEVICES) \
		CASEAPP_FAULT_SEED=$(FAULT_SEED) $(VENV)/bin/pytest -q -p no:cacheprovider -rxX tests/faults

# Each writes its own section of docs/benchmarks.md. BENCH_HOUSEHOLDS sizes the sync run
# (3000 by default, about 21,000 records; the issue's district dataset is 50000).
BENCH_HOUSEHOLDS ?= 3000
# The device's peak memory in a first pull and a push (about 10.9 records a household: 400,000 and
# 100,000 records by default); smaller sizes run the same steps faster.
MEMORY_PULL_HOUSEHOLDS ?= 37000
MEMORY_PUSH_HOUSEHOLDS ?= 9200
bench: bench-foundation bench-sync bench-ui

bench-foundation: $(STAMP)
	$(PY) -m bench.run

# bench-sync measures every target of issue 13 but the 200-device topology (make bench-topology):
# throughput, apply rate, pull against the log's size, server CPU a pair, the command line's start,
# PouchDB side by side, the slow link and the device's memory (about 20 minutes on 2 cores).
bench-sync: $(STAMP)
	bash scripts/ensure-postgres
	$(PY) -m bench.sync_bench --households $(BENCH_HOUSEHOLDS) --write
	$(PY) -m bench.sync_bench --households $(BENCH_HOUSEHOLDS) --pg postgresql+psycopg://caseapp_test:caseapp-test-2026@127.0.0.1:5432/caseapp_test --write
	$(PY) -m bench.pull_scale --write
	$(PY) -m bench.pair_cost --pairs 300 --backend sqlite --write
	$(PY) -m bench.pair_cost --pairs 300 --backend postgres --write
	$(PY) -m bench.cli_bench --households $(BENCH_HOUSEHOLDS) --runs 7 --write
	$(PY) -m bench.pouch_bench --households $(BENCH_HOUSEHOLDS) --write
	$(PY) -m bench.slowlink_bench --write
	$(PY) -m bench.memory_bench --pull-households $(MEMORY_PULL_HOUSEHOLDS) --push-households $(MEMORY_PUSH_HOUSEHOLDS) --write

# The compose topology as processes: PostgreSQL, 1, 2 then 4 app processes behind nginx, 200 devices.
bench-topology: $(STAMP)
	bash scripts/ensure-postgres
	bash scripts/system-deps bench
	$(PY) -m bench.topology_bench --devices 200 --seconds 20 --processes 1,2,4 --write

bench-ui: $(STAMP) translations
	$(PY) -m bench.ui_bench
	$(PY) -m bench.list_bench

screenshots: $(STAMP) translations
	$(PY) -m ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build *.egg-info

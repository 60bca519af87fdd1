# Foundry developer commands. `make help` lists them all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
ARTISAN := $(BIN)/artisan
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $(STAMP)

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $(DEV_STAMP)

.PHONY: help
help: ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: $(STAMP) ## Create .venv and install the app
.PHONY: install-dev
install-dev: $(DEV_STAMP) ## Install the app with dev tools and the pre-commit hooks
	@if [ -d .git ]; then $(BIN)/pre-commit install --install-hooks >/dev/null && echo "pre-commit hooks installed"; fi

.PHONY: env
env: $(STAMP) ## Write .env (from .env.example) with a fresh APP_KEY, and JWT keys, if missing
	@test -f .env || cp .env.example .env
	@grep -qE '^APP_KEY=.+' .env || $(ARTISAN) key:generate
	@test -f storage/keys/keys.json || $(ARTISAN) jwt:keys

.PHONY: dev
# Like Laravel's `composer run dev`: the server, a queue worker and the scheduler together (mail
# such as password-reset links goes through the queue). The worker runs under queue:listen, so
# it restarts when code under app/ changes and after queue:restart; schedule:work starts a fresh
# schedule:run process every minute, so it sees routes/console.py as it is. Ctrl-C stops all three.
DEV_WORKER := $(ARTISAN) queue:listen --queue=default,emails,notifications --sleep 1
DEV_SERVER := $(ARTISAN) serve --host $(HOST) --port $(PORT) --reload
DEV_SCHEDULER := $(ARTISAN) schedule:work
# The shell stops its own children and nothing else. (It used to `kill 0` from its INT/TERM
# trap: that signalled the shell too, whose TERM trap ran `kill 0` again, recursing until bash
# overflowed its stack and make printed "Segmentation fault".) `wait -n` returns when any
# child ends (a port already in use), and the EXIT trap then stops the others.
DEV_RUN := trap 'trap - INT TERM; exit 0' INT TERM; \
	trap 'status=$$?; trap - EXIT; kill $$(jobs -p) 2>/dev/null; wait; exit $$status' EXIT; \
	$(DEV_WORKER) & $(DEV_SERVER) & $(DEV_SCHEDULER) & wait -n
dev: env migrate db-seed ## Migrate, seed, then serve on http://127.0.0.1:8000 (reload) with a queue worker and the scheduler
	@$(DEV_RUN)

.PHONY: dev-debug
dev-debug: env migrate db-seed ## Like dev, with APP_DEBUG and debug logging
	@export APP_DEBUG=true LOG_LEVEL=DEBUG; $(DEV_RUN)

.PHONY: migrate
migrate: env ## Run the database migrations
	$(ARTISAN) migrate

.PHONY: db-seed
db-seed: env ## Seed the database
	$(ARTISAN) db:seed

.PHONY: db-seed-oauth2
db-seed-oauth2: env ## Create the demo OAuth2 clients (prints their ids and the secret once)
	$(ARTISAN) db:seed-oauth2

.PHONY: db-reset
db-reset: ## Delete the SQLite database (storage/database.sqlite)
	rm -f storage/database.sqlite storage/database.sqlite-wal storage/database.sqlite-shm

DOWN_ARGS ?=

.PHONY: tinker down up
tinker: env ## A Python REPL with the app booted, models imported and top-level await
	$(ARTISAN) tinker

down: env ## Maintenance mode: every request gets 503 (DOWN_ARGS="--retry 60 --secret S")
	$(ARTISAN) down $(DOWN_ARGS)

up: env ## Leave maintenance mode
	$(ARTISAN) up

.PHONY: broadcast
broadcast: env ## The broadcasting WebSocket server alone on REVERB_SERVER_HOST:PORT (127.0.0.1:8080)
	$(ARTISAN) broadcast:serve

.PHONY: test test-foundry test-app
# Tests wait on PostgreSQL, Redis, servers and subprocesses more than they compute (with one
# worker per core the cores were a third busy), and each makes its own database, key prefix and
# files: two workers per core. Measured on two cores: the framework's suite 14 min with 2
# workers, 8.5 with 4. The two suites run one after the other, each in pytest processes of its
# own: each maps its own User on `users`.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))
test: test-foundry test-app ## Run both test suites (PYTEST_WORKERS=0 for one process each)

test-foundry: $(DEV_STAMP) ## The framework's suite: tests/foundry, against tests/foundry/testbench
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests/foundry

test-app: $(DEV_STAMP) ## The application's suite: tests/feature and tests/unit, against app/
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests/feature tests/unit

.PHONY: format
format: $(DEV_STAMP) ## Format the code with black and isort
	$(BIN)/isort .
	$(BIN)/black .

.PHONY: format-check
format-check: $(DEV_STAMP) ## Check formatting (black, isort) without changing files
	$(BIN)/isort --check-only --diff .
	$(BIN)/black --check .

.PHONY: type-check
type-check: $(DEV_STAMP) ## mypy --strict with a per-package summary
	$(PY) scripts/type_check.py

.PHONY: type-check-strict
type-check-strict: $(DEV_STAMP) ## mypy --strict, failing on any error
	$(BIN)/mypy

.PHONY: type-coverage
type-coverage: $(DEV_STAMP) ## Write mypy's HTML type-coverage report to storage/type-coverage/
	$(BIN)/mypy --html-report storage/type-coverage
	@echo "report: storage/type-coverage/index.html"

.PHONY: import-check
import-check: $(DEV_STAMP) ## The import contracts: foundry never imports the app; its layers hold
	$(BIN)/lint-imports --no-cache

.PHONY: lint
lint: format-check type-check-strict import-check ## Format check, strict type check, import contracts

.PHONY: ci
# mypy (one core) runs beside the application's suite, which does not read its cache; the
# framework's suite runs after both: its generator tests start from mypy's cache. On two cores
# this saves about as long as mypy takes alone.
ci: $(DEV_STAMP) format-check import-check ## What CI runs: format check, import contracts, mypy --strict, tests
	@$(MAKE) --no-print-directory -j2 --output-sync=target type-check-strict test-app
	@$(MAKE) --no-print-directory test-foundry

.PHONY: bench
bench: $(STAMP) ## Run the benchmarks in scripts/bench/
	$(PY) scripts/bench/http_overhead.py
	$(PY) scripts/bench/cli_startup.py
	$(PY) scripts/bench/auth_me.py
	$(PY) scripts/bench/permissions.py
	$(PY) scripts/bench/oauth_token.py
	$(PY) scripts/bench/queue_throughput.py
	$(PY) scripts/bench/activity.py
	$(PY) scripts/bench/broadcast.py

QUEUE_ARGS ?=

.PHONY: queue-work
queue-work: env ## Work the default queue connection (QUEUE_ARGS="redis --queue=high,default")
	$(ARTISAN) queue:work $(QUEUE_ARGS)

.PHONY: queue-work-emails
queue-work-emails: env ## Work the "emails" queue
	$(ARTISAN) queue:work --queue=emails $(QUEUE_ARGS)

.PHONY: queue-work-notifications
queue-work-notifications: env ## Work the "notifications" queue
	$(ARTISAN) queue:work --queue=notifications $(QUEUE_ARGS)

.PHONY: queue-stats
queue-stats: env ## Pending, reserved, delayed, failed and processed jobs per queue
	$(ARTISAN) queue:stats

.PHONY: queue-metrics
queue-metrics: env ## Throughput, runtime (avg/p50/p95), wait and failures per queue and job class
	$(ARTISAN) queue:metrics $(QUEUE_ARGS)

.PHONY: queue-top
queue-top: env ## Full-screen live view of queues, workers and failed jobs (htop-style; q quits)
	$(ARTISAN) queue:top $(QUEUE_ARGS)

.PHONY: queue-health
queue-health: env ## Exit 1 when workers are missing or a queue is stuck (uptime checks)
	$(ARTISAN) queue:health $(QUEUE_ARGS)

.PHONY: queue-failed
queue-failed: env ## List the failed jobs
	$(ARTISAN) queue:failed

.PHONY: queue-retry-failed
queue-retry-failed: env ## Put every failed job back on its queue
	$(ARTISAN) queue:retry all

.PHONY: queue-clear
queue-clear: env ## Delete the waiting jobs of a queue (asks first; QUEUE_ARGS="--queue=emails")
	$(ARTISAN) queue:clear $(QUEUE_ARGS)

.PHONY: queue-dashboard
# Prints the dashboard's URL (QUEUE_DASHBOARD_PATH from .env); starts `make dev` when nothing
# answers on HOST:PORT yet. Sign in as a user with the queue.dashboard permission (or super-admin).
queue-dashboard: env ## Print the queue dashboard's URL, starting the dev server if it is not running
	@url="http://$(HOST):$(PORT)$$($(PY) -c 'from foundry.config.queue_dashboard import QueueDashboardSettings as S; print(S.load().path)')"; \
	if $(PY) -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://$(HOST):$(PORT)/health" 2>/dev/null; then \
		echo "Queue dashboard: $$url"; \
	else \
		echo "Queue dashboard: $$url (starting the dev server: Ctrl-C stops it)"; \
		$(MAKE) --no-print-directory dev; \
	fi

.PHONY: queue-example
queue-example: migrate ## Dispatch example jobs on the database queue and work them (see README)
	$(PY) -m scripts.queue_example

.PHONY: queue-advanced-example
# On a scratch SQLite database in a temporary directory: storage/ is left alone.
queue-advanced-example: $(STAMP) ## Batches, a chain with a catch, rate-limited, secure and scheduled jobs, end to end
	$(PY) -m scripts.queue_advanced_example

.PHONY: schedule-work schedule-list
schedule-work: env ## Run the scheduler in the foreground (a schedule:run every minute)
	$(ARTISAN) schedule:work

schedule-list: env ## List the scheduled tasks and when each is next due
	$(ARTISAN) schedule:list

.PHONY: clean
clean: ## Remove caches and build output (keeps .venv and storage/)
	rm -rf .mypy_cache .pytest_cache build dist *.egg-info storage/type-coverage
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

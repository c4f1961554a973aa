# The two commands of the README's quick start, and the habits around them.
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
UV_VERSION = 0.13.9

.PHONY: help run test fast lint format bench uv

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

uv:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user "uv==$(UV_VERSION)"

run: uv  ## Install and run the service at http://127.0.0.1:8000 (SQLite + local files + local engine)
	$(UV) sync --frozen
	$(UV) run --frozen botvideo demo
	$(UV) run --frozen botvideo serve

# Browser tests share one Chromium and one live server per database for the whole session, so they run in one
# process after the rest, which runs on three workers (its tests mostly wait on jobs and servers, not the CPU).
test: uv  ## Install and run lint, type checks and the whole test suite (SQLite and PostgreSQL, browser tests)
	$(UV) sync --frozen
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest -n 3 -m "not browser"
	$(UV) run --frozen pytest -m browser

fast: uv  ## The inner loop: every test that needs no browser and no PostgreSQL, on SQLite (under a minute)
	$(UV) run --frozen pytest -n 3 -m "not browser and not slow" -k "not postgres"

format: uv  ## Reformat and autofix
	$(UV) run --frozen ruff format src tests benchmarks
	$(UV) run --frozen ruff check --fix src tests benchmarks

bench: uv  ## Run the benchmarks (see docs/benchmarks.md)
	$(UV) run --frozen python benchmarks/render_bench.py
	$(UV) run --frozen python benchmarks/pipeline_bench.py

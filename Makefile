# The two commands of the README's quick start, and the habits around them.
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
UV_VERSION = 0.13.9

.PHONY: help run test lint format bench uv

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

uv:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user "uv==$(UV_VERSION)"

run: uv  ## Install and run the service at http://127.0.0.1:8000 (SQLite + local files + local engine)
	$(UV) sync --frozen
	$(UV) run --frozen botvideo demo
	$(UV) run --frozen botvideo serve

test: uv  ## Install and run lint, type checks and the whole test suite (SQLite and PostgreSQL)
	$(UV) sync --frozen
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest

format: uv  ## Reformat and autofix
	$(UV) run --frozen ruff format src tests benchmarks
	$(UV) run --frozen ruff check --fix src tests benchmarks

bench: uv  ## Run the benchmarks (see docs/benchmarks.md)
	$(UV) run --frozen python benchmarks/render_bench.py
	$(UV) run --frozen python benchmarks/pipeline_bench.py

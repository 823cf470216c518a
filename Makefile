# The two commands of the README. Each bootstraps .venv on first use and is quick after.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.clausegate-installed
# Allure 3 (npm package `allure`, pinned in package-lock.json) renders report.html.
NODE_STAMP := node_modules/.installed

.PHONY: demo test report-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Without Node.js everything but report.html is still written: say so once and go on.
report-tools:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory --silent $(NODE_STAMP); \
	else \
		echo "make: Node.js (node, npm) not found: runs will write no report.html (everything else is written)"; \
	fi

demo: $(STAMP) report-tools
	$(BIN)/clausegate gate specs/dieu45/

test: $(STAMP) report-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto

# The shipped spec schema (what editors read) rewritten from the built-in check kinds'
# modules, after a kind's schema changed (tests/test_check_kinds.py says when).
.PHONY: schema
schema: $(STAMP)
	$(BIN)/python -c "from clausegate.checks import language; print(language.write_schema())"

# Every mutant of tests/mutants (make test gates the quick ones): each must exit 1 naming
# its clause.
.PHONY: mutants
mutants: $(STAMP)
	CLAUSEGATE_ALL_MUTANTS=1 $(BIN)/pytest -n auto tests/test_mutants.py

# Every mutant made whole, as its test gates it (a mutant stores only its change to the
# real migration), written to $(OUT)/<phase>/NN_name.sql: `make mutant-files OUT=DIR`.
OUT ?= build/mutants
.PHONY: mutant-files
mutant-files: $(STAMP)
	$(BIN)/python -m tests.mutant_files $(OUT)

# Benchmarks side by side with pg_dump (issue 9): the reference and 10,000-table catalogs,
# written to bench/results.md. `$(BIN)/python bench/bench_performance.py --huge` adds 50,000.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/bench_performance.py

# The two commands: `make run` starts the whole system, `make test` runs every test.
# Each creates .venv on first use and installs what it needs into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := -e shared -e services/registration -e services/content -e services/notifications

.PHONY: run test security bench clean

$(BIN)/.installed-run: requirements.txt shared/pyproject.toml services/*/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt $(PACKAGES)
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed-run requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

run: $(BIN)/.installed-run
	$(BIN)/python deploy/launch.py

test: $(BIN)/.installed-test
	$(BIN)/python -m pytest

# Part of `make test`, alone: bandit over shared/ and services/ (bandit.yaml), pip-audit over .venv.
security: $(BIN)/.installed-test
	$(BIN)/python -m pytest -rs tests/test_security_checks.py

$(BIN)/.installed-bench: $(BIN)/.installed-test requirements-bench.txt
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

# BENCH_QUICK=1 for small counts, BENCH_ONLY=name,name to choose, BENCH_SOAK=1 for the soak.
bench: $(BIN)/.installed-bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var

# ml-connector — every command makes and reuses its own virtual environments.
#   make demo   run the product end to end on the embedded default (moto + sandbox)
#   make test   everything CI runs: ruff, mypy, pytest (unit + integration), template checks
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY         ?= $(shell scripts/find-python)
export PY  # recursive makes reuse it
ifeq ($(PY),)
$(error Python 3.13 not found: install it (e.g. 'pyenv install 3.13') or put python3.13 on PATH)
endif
PYBIN      := $(dir $(PY))
VENV       := .venv
SAM_VENV   := .venv-sam
CKV_VENV   := .venv-checkov
# sam build looks for python3.13 on PATH.
export PATH := $(abspath $(VENV))/bin:$(PYBIN):$(PATH)
export SAM_CLI_TELEMETRY := 0
export AWS_DEFAULT_REGION ?= us-east-1

.PHONY: help demo test lint types unit integration template bench clean

help:
	@echo "make demo   - run the connector end to end on the embedded default (moto + sandbox)"
	@echo "make test   - ruff, mypy, pytest (unit + integration), cfn-lint, sam validate --lint, sam build, checkov"
	@echo "make bench  - benchmarks (print figures)"

$(VENV)/.deps: requirements-dev.txt src/shared/requirements.txt
	rm -rf $(VENV) && $(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

# The project itself, editable: re-run (cheaply) when pyproject.toml changes.
$(VENV)/.stamp: $(VENV)/.deps pyproject.toml
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

$(SAM_VENV)/.stamp: tools/sam-requirements.txt
	rm -rf $(SAM_VENV) && $(PY) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q -r tools/sam-requirements.txt
	touch $@

$(CKV_VENV)/.stamp: tools/checkov-requirements.txt
	rm -rf $(CKV_VENV) && $(PY) -m venv $(CKV_VENV)
	$(CKV_VENV)/bin/pip install -q -r tools/checkov-requirements.txt
	touch $@

demo: $(VENV)/.stamp
	$(VENV)/bin/mlc demo

lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .

types: $(VENV)/.stamp
	$(VENV)/bin/mypy

unit: $(VENV)/.stamp
	$(VENV)/bin/pytest tests/unit -q

integration: $(VENV)/.stamp
	$(VENV)/bin/pytest tests/integration -q

template: $(VENV)/.stamp $(SAM_VENV)/.stamp $(CKV_VENV)/.stamp
	$(SAM_VENV)/bin/cfn-lint template.yaml
	$(SAM_VENV)/bin/sam validate --lint --template template.yaml --region $(AWS_DEFAULT_REGION)
	$(SAM_VENV)/bin/sam build --template template.yaml --build-dir .aws-sam/build
	$(CKV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation -f template.yaml
	$(VENV)/bin/pytest tests/template -q

test: lint types
	$(VENV)/bin/pytest tests -q
	$(MAKE) --no-print-directory template

# dynalite (bench/local_aws.py) when Node.js is here; without it the benchmarks say they fall back to moto.
bench: $(VENV)/.stamp $(SAM_VENV)/.stamp bench/dynalite/node_modules/.stamp
	$(VENV)/bin/python -m bench

bench/dynalite/node_modules/.stamp: bench/dynalite/package-lock.json
	@if command -v npm >/dev/null; then cd bench/dynalite && npm ci --no-audit --no-fund --loglevel=error \
		&& touch node_modules/.stamp; else echo "no npm: the benchmarks use moto for DynamoDB"; fi

clean:
	rm -rf $(VENV) $(SAM_VENV) $(CKV_VENV) bench/dynalite/node_modules .aws-sam .mypy_cache .ruff_cache .pytest_cache

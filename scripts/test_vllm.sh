#!/usr/bin/env bash
# Run the vLLM backend tests in .venv-vllm (built by scripts/setup_vllm_venv.sh).
#
# vLLM-on-CPU settings, each overridable from the environment:
#   VLLM_HOST_IP=127.0.0.1             no network lookup for the engine's own address
#   VLLM_CPU_KVCACHE_SPACE=1           GiB of KV cache (vLLM otherwise takes a share of RAM)
#   VLLM_CPU_OMP_THREADS_BIND          cores for the engine's OpenMP threads; default: the
#                                      cores this script may use (so `taskset -c 1` pins it)
#   VLLM_ENABLE_V1_MULTIPROCESSING=0   engine core in the test process: no extra processes
#                                      polling each other on a busy CPU (start 30 s, not 90 s)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VLLM_VENV:-.venv-vllm}"
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "test_vllm: $VENV is missing; run scripts/setup_vllm_venv.sh first" >&2
    exit 2
fi
allowed_cpus() {  # e.g. "1" under `taskset -c 1`, "0-1" otherwise
    "$VENV/bin/python" -c 'import os; print(",".join(map(str, sorted(os.sched_getaffinity(0)))))'
}
export VLLM_HOST_IP="${VLLM_HOST_IP:-127.0.0.1}"
export VLLM_CPU_KVCACHE_SPACE="${VLLM_CPU_KVCACHE_SPACE:-1}"
export VLLM_CPU_OMP_THREADS_BIND="${VLLM_CPU_OMP_THREADS_BIND:-$(allowed_cpus)}"
export VLLM_ENABLE_V1_MULTIPROCESSING="${VLLM_ENABLE_V1_MULTIPROCESSING:-0}"
export VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
exec "$VENV/bin/python" -m pytest -q -s -p no:cacheprovider tests/vllm "$@"

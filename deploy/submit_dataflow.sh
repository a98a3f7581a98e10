#!/usr/bin/env bash
# Submit the beam-pii verify pipeline to Google Cloud Dataflow on GPU workers.
#
#   PROJECT=my-proj BUCKET=gs://my-bucket IMAGE=us-central1-docker.pkg.dev/my-proj/beam/beam-pii-gpu:0.1.0 \
#       deploy/submit_dataflow.sh [extra pipeline flags...]
#
# Every setting below can be overridden from the environment; extra arguments are passed on to
# `python -m pipelines.verify_pii` unchanged (they come last, so they win). DRY_RUN=1 prints the
# command instead of running it. Written and linted, not run: nothing in this repository's
# tests reaches Dataflow (see docs/running-at-scale.md for what was tested where).
#
# Prerequisites
#   * The worker image, built from deploy/Dockerfile.gpu and pushed to Artifact Registry.
#   * A launcher with the same Python (3.11) and Beam (2.77.0) as the image, apache-beam[gcp]
#     and beam-pii installed, and gcloud application-default credentials. The launcher builds
#     the VerifierConfig, so it also checks the backend's package (vllm for --backend vllm)
#     and that a --model folder exists *on the launcher*. LAUNCHER=image avoids all three: the
#     launcher then runs inside the worker image itself (needs docker and ~/.config/gcloud).
#
# Machine sizing (per worker VM; docs/memory_table.md has the measured numbers per model and
# backend). GPU memory per copy ~= weights + KV cache per token x token budget + ~1-2 GiB
# (CUDA context, activations); vLLM instead reserves --vllm_gpu_memory_utilization of the GPU
# up front and fits its KV cache into it. Host RAM: the model is loaded through host memory
# (in fp32 when a LoRA adapter is merged: 4 bytes per parameter), plus ~1 GiB per SDK
# process (Dataflow starts one per vCPU, each importing torch), plus ~2-3 GiB for the vLLM
# engine processes.
#   GPU          machine types                       GPU memory   notes
#   nvidia-l4    g2-standard-4/8/12/16/32 (1 GPU),   24 GB        the default here; L4 needs G2
#                g2-standard-24 (2), -48 (4)
#   nvidia-tesla-t4  n1-standard-4/8/16 (+1 GPU)     16 GB        no bf16: fp16 is used
#   nvidia-tesla-a100 a2-highgpu-1g (1 GPU)          40 GB        larger models, TP
# The embedded SmolLM2-135M fits anything; a 1-3B model fits one L4 with room for a large
# token budget. Prefer more 1-GPU workers over multi-GPU workers: see MODEL_COPIES below.
set -euo pipefail

# --- settings ----------------------------------------------------------------------------
PROJECT="${PROJECT:-my-gcp-project}"
REGION="${REGION:-us-central1}"
BUCKET="${BUCKET:-gs://my-bucket}"                    # temp, staging, default input/output
IMAGE="${IMAGE:-${REGION}-docker.pkg.dev/${PROJECT}/beam-pii/beam-pii-gpu:0.1.0}"
INPUT="${INPUT:-${BUCKET}/beam-pii/input/*.jsonl}"    # JSONL or Parquet, a glob is fine
OUTPUT="${OUTPUT:-${BUCKET}/beam-pii/output}"        # decision=verified|clean|failed/ below it
# The workers write under OUTPUT/_runs/<run id>/; the launcher moves that into OUTPUT/decision=*/
# once the job has succeeded (it waits for the job), replacing earlier results unless
# KEEP_PREVIOUS=1. A failed or cancelled job leaves the earlier results as they were.
# MODEL: empty = the embedded SmolLM2-135M (converted at image build time);
#   /opt/beam-pii/models/NAME = a folder baked into the image (Dockerfile.gpu MODEL_DIR);
#   org/name = a hub id, only if its files are in the image's Hugging Face cache (the image
#   sets HF_HUB_OFFLINE=1). gs:// paths are NOT supported: workers do not download models.
MODEL="${MODEL:-}"
BACKEND="${BACKEND:-vllm}"                           # vllm | nf4 | int8 | transformers
GPU_TYPE="${GPU_TYPE:-nvidia-l4}"
GPU_COUNT="${GPU_COUNT:-1}"                          # GPUs per worker VM
MACHINE_TYPE="${MACHINE_TYPE:-g2-standard-8}"        # must be able to host GPU_COUNT x GPU_TYPE
NUM_WORKERS="${NUM_WORKERS:-1}"
MAX_NUM_WORKERS="${MAX_NUM_WORKERS:-4}"
DISK_SIZE_GB="${DISK_SIZE_GB:-100}"                  # the GPU image is large (torch + vllm)
# One model copy per GPU: copy i loads on cuda:i (vLLM with tensor parallelism TP: GPUs
# i*TP .. i*TP+TP-1). Not run on a multi-GPU worker; placement is unit-tested only.
MODEL_COPIES="${MODEL_COPIES:-${GPU_COUNT}}"
# Seconds a Beam batch may take before it fails (its records go to decision=failed with every
# flag kept) instead of hanging the bundle; empty: no limit. The first batch's limit covers
# the model load too: allow 2 x (load + one batch).
INFERENCE_TIMEOUT_S="${INFERENCE_TIMEOUT_S:-}"
KEEP_PREVIOUS="${KEEP_PREVIOUS:-0}"                  # 1: keep earlier decision=* results
# Threads per SDK process. Every thread of every process sends its batches to the one shared
# model, so this bounds how many batches wait on (or, for transformers, run at once on) the
# GPU. A few are enough to keep a GPU busy; many only add memory pressure.
HARNESS_THREADS="${HARNESS_THREADS:-4}"
MAX_BATCH_TOKENS="${MAX_BATCH_TOKENS:-16384}"        # Beam batches up to this many est. tokens
TOKEN_BUDGET="${TOKEN_BUDGET:-}"                     # tokens per forward pass; empty: 32768 on GPU
VLLM_GPU_MEMORY_UTILIZATION="${VLLM_GPU_MEMORY_UTILIZATION:-0.85}"
JOB_NAME="${JOB_NAME:-beam-pii-$(date -u +%Y%m%d-%H%M%S)}"
LAUNCHER="${LAUNCHER:-local}"                        # local | image
PYTHON="${PYTHON:-python3}"
DRY_RUN="${DRY_RUN:-0}"

# --- checks ------------------------------------------------------------------------------
die() { echo "submit_dataflow: $*" >&2; exit 1; }
case "$BACKEND" in vllm|nf4|int8|transformers) ;; *) die "unknown BACKEND=$BACKEND";; esac
case "$MODEL" in gs://*|s3://*|http://*|https://*)
    die "MODEL=$MODEL: beam-pii loads models from a local folder only; bake it into the image (deploy/Dockerfile.gpu MODEL_DIR) and pass /opt/beam-pii/models/NAME";;
esac
case "$LAUNCHER" in local|image) ;; *) die "LAUNCHER must be local or image";; esac
if (( MODEL_COPIES > GPU_COUNT )); then
    echo "submit_dataflow: warning: MODEL_COPIES=$MODEL_COPIES > GPU_COUNT=$GPU_COUNT: copies" \
         "share GPUs (copy i on cuda:i mod $GPU_COUNT)" >&2
    if [[ "$BACKEND" == vllm ]]; then
        # Engines sharing a GPU must split it, or the second one fails to start.
        per_gpu=$(( (MODEL_COPIES + GPU_COUNT - 1) / GPU_COUNT ))
        VLLM_GPU_MEMORY_UTILIZATION="$(awk -v u="$VLLM_GPU_MEMORY_UTILIZATION" -v n="$per_gpu" 'BEGIN { printf "%.2f", u / n }')"
    fi
fi

# --- the pipeline's arguments -------------------------------------------------------------
ARGS=(
    --runner DataflowRunner
    --project "$PROJECT"
    --region "$REGION"
    --job_name "$JOB_NAME"
    --temp_location "$BUCKET/beam-pii/tmp"
    --staging_location "$BUCKET/beam-pii/staging"
    # The worker image holds Beam, beam-pii and its dependencies: no --setup_file or
    # --requirements_file (they would make every worker pip-install at startup), and
    # --sdk_location container uses the image's Beam SDK instead of staging one.
    --sdk_container_image "$IMAGE"
    --sdk_location container
    # Runner v2 (custom containers and GPUs need it) is already the default for Python on
    # Beam 2.77; stated for readers, and harmless.
    --experiments use_runner_v2
    --dataflow_service_options "worker_accelerator=type:${GPU_TYPE};count:${GPU_COUNT};install-nvidia-driver"
    --machine_type "$MACHINE_TYPE"
    --disk_size_gb "$DISK_SIZE_GB"
    --num_workers "$NUM_WORKERS"
    --max_num_workers "$MAX_NUM_WORKERS"
    --number_of_worker_harness_threads "$HARNESS_THREADS"
    # beam-pii
    --input "$INPUT"
    --output "$OUTPUT"
    --backend "$BACKEND"
    --share_model yes
    --model_copies "$MODEL_COPIES"
    --max_batch_tokens "$MAX_BATCH_TOKENS"
    --vllm_gpu_memory_utilization "$VLLM_GPU_MEMORY_UTILIZATION"
)
[[ -n "$MODEL" ]] && ARGS+=(--model "$MODEL")
[[ -n "$TOKEN_BUDGET" ]] && ARGS+=(--token_budget "$TOKEN_BUDGET")
[[ -n "$INFERENCE_TIMEOUT_S" ]] && ARGS+=(--inference_timeout_s "$INFERENCE_TIMEOUT_S")
[[ "$KEEP_PREVIOUS" == 1 ]] && ARGS+=(--keep_previous_results)
ARGS+=("$@")

if [[ "$LAUNCHER" == image ]]; then
    # The launcher runs inside the worker image: same Python/Beam/vllm, baked model folders
    # exist, application-default credentials come from the host's gcloud config.
    CMD=(docker run --rm
         -v "${CLOUDSDK_CONFIG:-$HOME/.config/gcloud}:/root/.config/gcloud:ro"
         -e GOOGLE_CLOUD_PROJECT="$PROJECT"
         --entrypoint python "$IMAGE" -m pipelines.verify_pii)
else
    CMD=("$PYTHON" -m pipelines.verify_pii)
    if [[ "$DRY_RUN" != 1 ]]; then
        "$PYTHON" - "$BACKEND" <<'PY' || die "the local launcher does not match the workers (or use LAUNCHER=image)"
import importlib.util, sys
import apache_beam
problems = []
if sys.version_info[:2] != (3, 11):
    problems.append(f"Python {sys.version_info[0]}.{sys.version_info[1]}, workers run 3.11")
if apache_beam.__version__ != "2.77.0":
    problems.append(f"apache-beam {apache_beam.__version__}, workers run 2.77.0")
need = {"vllm": "vllm", "nf4": "bitsandbytes", "int8": "bitsandbytes"}.get(sys.argv[1])
if need and importlib.util.find_spec(need) is None:
    problems.append(f"--backend {sys.argv[1]} is checked on the launcher too and needs {need} here")
for p in problems:
    print("submit_dataflow:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
    fi
fi

if [[ "$DRY_RUN" == 1 ]]; then
    printf '%q ' "${CMD[@]}" "${ARGS[@]}"; echo
else
    exec "${CMD[@]}" "${ARGS[@]}"
fi

#!/usr/bin/env bash
# Submit the beam-pii verify pipeline to an Apache Flink cluster (Beam's portable FlinkRunner).
#
#   FLINK_MASTER=flink-jm:8081 JOB_SERVER_JAR=/opt/jars/beam-runners-flink-1.19-job-server-2.77.0.jar \
#       FLINK_VERSION=1.19 INPUT=s3://bucket/in/*.jsonl OUTPUT=s3://bucket/out deploy/submit_flink.sh
#
# Every setting below can be overridden from the environment; extra arguments are passed on to
# `python -m pipelines.verify_pii` unchanged (they come last, so they win). DRY_RUN=1 prints the
# command instead of running it. Written and linted, not run against a Flink cluster (see
# docs/running-at-scale.md for what was tested where).
#
# How it runs: this launcher starts the Flink job server from a LOCAL jar (Java 11+ needed
# here; without --flink_job_server_jar Beam downloads it from Maven Central at submit time,
# which locked-down networks block), the job server translates the pipeline and submits it to
# FLINK_MASTER, and each TaskManager starts beam-pii's Python SDK workers:
#   ENV_TYPE=PROCESS  runs /opt/apache/beam/boot directly on every TaskManager host. The
#                     host (or TaskManager image) needs Python 3.11 with Beam 2.77.0 and
#                     beam-pii installed, and the boot binary: e.g. build the TaskManager
#                     image from the layers of deploy/Dockerfile.gpu. Recommended for GPUs.
#   ENV_TYPE=DOCKER   the TaskManagers `docker run` IMAGE (deploy/Dockerfile.gpu|cpu) per
#                     SDK worker; they need a Docker daemon. Beam passes no `--gpus` flag
#                     (apache/beam#19240), so GPUs reach the container only where the NVIDIA
#                     Container Toolkit is the daemon's default runtime.
# Input and output must be paths every TaskManager can reach (s3://, gs://, hdfs://, or a
# shared mount), not the launcher's local disk. The workers write the run under
# OUTPUT/_runs/<run id>/; only when the job has succeeded does this launcher move it into
# OUTPUT/decision=*/ (replacing the previous results unless KEEP_PREVIOUS=1), so the launcher
# needs the matching Beam extra too (apache-beam[aws], in requirements.txt; [gcp] for gs://)
# and must wait for the job (it does: the script runs in the foreground). For S3 or an
# S3-compatible store pass Beam's own options as extra arguments: --s3_region_name,
# --s3_endpoint_url, --s3_access_key_id / --s3_secret_access_key (or the usual AWS variables).
# The launcher also builds the VerifierConfig: it needs Python 3.11, Beam 2.77.0, beam-pii,
# the backend's package (vllm for --backend vllm), and a --model folder that exists locally
# too (the same path as on the workers). Running it from the worker image meets all of these.
set -euo pipefail

# --- settings ----------------------------------------------------------------------------
FLINK_MASTER="${FLINK_MASTER:-localhost:8081}"       # the JobManager's REST address
FLINK_VERSION="${FLINK_VERSION:-1.19}"               # the cluster's; Beam 2.77 ships 1.19-2.2
BEAM_VERSION="${BEAM_VERSION:-2.77.0}"
JOB_SERVER_JAR="${JOB_SERVER_JAR:-$PWD/jars/beam-runners-flink-${FLINK_VERSION}-job-server-${BEAM_VERSION}.jar}"
ENV_TYPE="${ENV_TYPE:-PROCESS}"                      # PROCESS | DOCKER
IMAGE="${IMAGE:-beam-pii-gpu:0.1.0}"                 # for DOCKER
BOOT="${BOOT:-/opt/apache/beam/boot}"                # for PROCESS: on every TaskManager host
CACHE_DIR="${CACHE_DIR:-/opt/beam-pii/cache}"        # for PROCESS: where the converted model is
PARALLELISM="${PARALLELISM:-4}"                      # Flink task slots used
# SDK worker processes per TaskManager. With one GPU per TaskManager, 1 is simplest; more
# share the model via --share_model yes (same host and same /tmp needed: PROCESS, not DOCKER).
SDK_WORKER_PARALLELISM="${SDK_WORKER_PARALLELISM:-1}"
INPUT="${INPUT:-/data/beam-pii/input/*.jsonl}"
OUTPUT="${OUTPUT:-/data/beam-pii/output}"
MODEL="${MODEL:-}"                                   # empty = embedded; else a folder on every worker
BACKEND="${BACKEND:-vllm}"                           # vllm | nf4 | int8 | transformers
SHARE_MODEL="${SHARE_MODEL:-auto}"                   # auto | yes | no (auto: on when a GPU is visible)
# Model copies per worker host; empty: one (not passed). Copy i loads on cuda:i (vLLM: GPUs
# i*TP .. i*TP+TP-1), so on a TaskManager host with N GPUs set N. Any value turns sharing on
# (Beam shares copies across the host's SDK processes), whatever SHARE_MODEL says.
MODEL_COPIES="${MODEL_COPIES:-}"
# Seconds a Beam batch may take before it fails (records to decision=failed, every flag kept)
# instead of hanging its bundle; empty: no limit. The first batch's limit covers the model
# load too: allow 2 x (load + one batch).
INFERENCE_TIMEOUT_S="${INFERENCE_TIMEOUT_S:-}"
KEEP_PREVIOUS="${KEEP_PREVIOUS:-0}"                  # 1: keep earlier decision=* results
MAX_BATCH_TOKENS="${MAX_BATCH_TOKENS:-16384}"
TOKEN_BUDGET="${TOKEN_BUDGET:-}"
THREADS="${THREADS:-}"                               # torch CPU threads per worker process
PYTHON="${PYTHON:-python3}"
DRY_RUN="${DRY_RUN:-0}"

# --- checks ------------------------------------------------------------------------------
die() { echo "submit_flink: $*" >&2; exit 1; }
case "$BACKEND" in vllm|nf4|int8|transformers) ;; *) die "unknown BACKEND=$BACKEND";; esac
case "$ENV_TYPE" in PROCESS|DOCKER) ;; *) die "ENV_TYPE must be PROCESS or DOCKER";; esac
if [[ "$DRY_RUN" != 1 ]]; then
    [[ -f "$JOB_SERVER_JAR" ]] || die "no job server jar at $JOB_SERVER_JAR (download beam-runners-flink-${FLINK_VERSION}-job-server-${BEAM_VERSION}.jar from Maven Central once, then point JOB_SERVER_JAR at it)"
    command -v java >/dev/null || die "java is needed on this machine to run the Flink job server"
fi

if [[ "$ENV_TYPE" == PROCESS ]]; then
    ENV_CONFIG="$(printf '{"command": "%s", "env": {"BEAM_PII_CACHE_DIR": "%s", "HF_HUB_OFFLINE": "1"}}' "$BOOT" "$CACHE_DIR")"
else
    ENV_CONFIG="$IMAGE"
fi

# --- the pipeline's arguments -------------------------------------------------------------
ARGS=(
    --runner FlinkRunner
    --flink_master "$FLINK_MASTER"
    --flink_version "$FLINK_VERSION"
    --flink_job_server_jar "$JOB_SERVER_JAR"
    --environment_type "$ENV_TYPE"
    --environment_config "$ENV_CONFIG"
    --parallelism "$PARALLELISM"
    --sdk_worker_parallelism "$SDK_WORKER_PARALLELISM"
    # beam-pii
    --input "$INPUT"
    --output "$OUTPUT"
    --backend "$BACKEND"
    --share_model "$SHARE_MODEL"
    --max_batch_tokens "$MAX_BATCH_TOKENS"
)
[[ -n "$MODEL" ]] && ARGS+=(--model "$MODEL")
[[ -n "$MODEL_COPIES" ]] && ARGS+=(--model_copies "$MODEL_COPIES")
[[ -n "$TOKEN_BUDGET" ]] && ARGS+=(--token_budget "$TOKEN_BUDGET")
[[ -n "$THREADS" ]] && ARGS+=(--threads "$THREADS")
[[ -n "$INFERENCE_TIMEOUT_S" ]] && ARGS+=(--inference_timeout_s "$INFERENCE_TIMEOUT_S")
[[ "$KEEP_PREVIOUS" == 1 ]] && ARGS+=(--keep_previous_results)
ARGS+=("$@")

CMD=("$PYTHON" -m pipelines.verify_pii)
if [[ "$DRY_RUN" == 1 ]]; then
    printf '%q ' "${CMD[@]}" "${ARGS[@]}"; echo
else
    exec "${CMD[@]}" "${ARGS[@]}"
fi

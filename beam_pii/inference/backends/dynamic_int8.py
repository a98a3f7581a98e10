"""Dynamic int8 quantisation of a CPU model's linear layers (`--dtype qint8`).

Weights are stored as int8 per output channel; activations are quantised per batch at run
time (torch's dynamic quantisation, fbgemm/x86 kernels). The LM head stays fp32: only the
answer position's logits are computed, so it costs little, and quantising the large tied
vocabulary matrix per tensor moved P(yes) most. Measured on 64 dev candidates (1 thread, CPU
seconds): 1.4x faster than fp32, 98.4 % verdict agreement; keeping `down_proj` (or also
`o_proj`) in fp32 as well was slower (1.20x) and agreed less (96.9 %). Below the 99 % the CPU
default needs, so it is an option; `bench.cpu_paths` measures it on the dev split.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterable

import torch

KEEP_FP32 = ("lm_head",)


def quantize_linear_int8(model: Any, keep_fp32: Iterable[str] = KEEP_FP32) -> Any:
    """The model with every `nn.Linear` (but those whose name holds a `keep_fp32` part)
    replaced by a dynamically quantised int8 linear layer. CPU only."""
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    keep = tuple(keep_fp32)
    spec = {name: per_channel_dynamic_qconfig for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and not any(k in name for k in keep)}
    with warnings.catch_warnings():  # torch points eager-mode users at torchao; this API still works
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, spec, dtype=torch.qint8, inplace=False)

"""Measured bytes: weights (with bitsandbytes' quantisation state), KV cache per token, and
the process's resident memory.

The weight and cache figures are what tensors hold, read from the tensors themselves; the
resident set (psutil) is what the process really holds on the host, interpreter, torch and
allocator slack included, which is what sizes a CPU worker.
"""
from __future__ import annotations

from typing import Any

import psutil

__all__ = ["quant_state_bytes", "measured_weight_bytes", "measure_kv_bytes_per_token",
           "process_rss_bytes", "host_memory_bytes"]


def quant_state_bytes(model: Any) -> int:
    """Bytes bitsandbytes keeps beside the parameters: Params4bit.quant_state tensors (absmax,
    nested absmax, code tables, offset) and Int8Params' row scales; shared tensors once."""
    import torch

    seen: set[int] = {p.data_ptr() for p in model.parameters()}
    total = 0

    def add(value: Any, depth: int = 0) -> None:
        nonlocal total
        if isinstance(value, torch.Tensor):
            if value.data_ptr() not in seen and value.numel():
                seen.add(value.data_ptr())
                total += value.numel() * value.element_size()
        elif depth < 3 and hasattr(value, "__dict__") and type(value).__name__ == "QuantState":
            for item in vars(value).values():
                add(item, depth + 1)

    for param in model.parameters():
        state = getattr(param, "quant_state", None)
        if state is not None:
            add(state)
        for attr in ("SCB", "CB"):
            add(getattr(param, attr, None))
    return total


def measured_weight_bytes(model: Any) -> dict[str, int]:
    """Parameters and buffers (transformers' own count) plus bitsandbytes' quantisation state."""
    footprint = int(model.get_memory_footprint())
    extra = quant_state_bytes(model)
    return {"footprint": footprint, "quant_state": extra, "total": footprint + extra}


def measure_kv_bytes_per_token(model: Any, tokens: int = 16) -> float:
    """Run `tokens` tokens with use_cache and divide the cache tensors' bytes by them."""
    import torch

    device = next(model.parameters()).device
    ids = torch.arange(1, tokens + 1, device=device)[None, :] % int(model.config.vocab_size)
    with torch.inference_mode():
        out = model(input_ids=ids, use_cache=True, logits_to_keep=1)
    cache = getattr(out, "cache", None) or out.past_key_values
    total = 0
    for layer in cache.layers:
        for tensor in (layer.keys, layer.values):
            total += tensor.numel() * tensor.element_size()
    del out, cache
    return total / tokens


def process_rss_bytes() -> int:
    """This process's resident set size now (psutil: /proc on Linux, the OS API elsewhere)."""
    return int(psutil.Process().memory_info().rss)


def host_memory_bytes() -> dict[str, int]:
    """The host's total and available memory (psutil), for the report's environment."""
    memory = psutil.virtual_memory()
    return {"total": int(memory.total), "available": int(memory.available)}

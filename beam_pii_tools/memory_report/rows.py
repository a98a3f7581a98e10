"""One model's rows of the memory table: every requested dtype built, measured and dropped.

Each failure is kept in its row instead of raised, so one dtype that does not fit never loses
the rest of the table.
"""
from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass
from typing import Any

from beam_pii.inference.memory import (ModelShape, forward_bytes_per_token, usual_estimate_bytes,
                                       weight_bytes)
from beam_pii_tools.memory_report.builders import build_random_model, cpu_state_dict, quantize_model
from beam_pii_tools.memory_report.environment import device_label
from beam_pii_tools.memory_report.measure import (measure_kv_bytes_per_token, measured_weight_bytes,
                                                  process_rss_bytes)
from beam_pii_tools.memory_report.models import hf_config
from beam_pii_tools.memory_report.peaks import measure_scoring_peaks

__all__ = ["QUANTIZED", "LONG_CASE", "Options", "measure_model"]

_LOG = logging.getLogger(__name__)

QUANTIZED = ("nf4", "int8")
# One more peak: 16 records of 1536-token texts (a raised --max_text_tokens; the default is 512),
# two flagged types each; `--long_case 0` leaves it out.
LONG_CASE = (16, 1536, 2)


@dataclass
class Options:
    """What one report run measures (the command line, parsed)."""

    device: str
    dtypes: tuple[str, ...]
    depth: str
    batches: tuple[int, ...]
    tiny: bool
    peaks: bool = False  # measure scoring peaks (always on CUDA; --cpu_peaks on CPU)
    long_case: tuple[int, int, int] | None = LONG_CASE
    compute_dtype: str = "bfloat16"


def _collect() -> None:
    """Return freed memory now (call after dropping the last reference)."""
    gc.collect()
    try:
        import torch
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass


def _row(name: str, shape: ModelShape, dtype: str, device: str) -> dict[str, Any]:
    return {"model": name, "params": shape.params, "dtype": dtype, "device": device_label(device),
            "derived_bytes": weight_bytes(shape, dtype),
            "usual_estimate_bytes": usual_estimate_bytes(shape, dtype),
            "derived_kv_bytes_per_token": shape.kv_bytes_per_token(dtype),
            "derived_forward_bytes_per_token": forward_bytes_per_token(shape, dtype)}


def _quantized_depth(opts: Options, dtype: str) -> str:
    if opts.depth != "auto":
        return opts.depth
    return "full" if opts.device.startswith("cuda") else "extrapolate"


def measure_model(name: str, opts: Options) -> list[dict[str, Any]]:
    """Rows (one per dtype) for one model; each failure is recorded in its row, not raised."""
    config = hf_config(name, tiny=opts.tiny)
    shape = ModelShape.from_config(config)
    rows: list[dict[str, Any]] = []
    plain = [d for d in opts.dtypes if d not in QUANTIZED]
    quantized = [d for d in opts.dtypes if d in QUANTIZED]
    base_dtype = plain[0] if plain else opts.compute_dtype
    needs_full_base = bool(plain) or any(_quantized_depth(opts, d) == "full" for d in quantized)

    base, build_s, kv = None, 0.0, None
    if needs_full_base:
        started = time.perf_counter()
        base = build_random_model(config, base_dtype, opts.device)
        build_s = time.perf_counter() - started
        kv = measure_kv_bytes_per_token(base)
    for dtype in plain:
        row = _row(name, shape, dtype, opts.device)
        row["depth"] = "full"
        model = None
        try:
            model = base if dtype == base_dtype else build_random_model(config, dtype, opts.device)
            weights = measured_weight_bytes(model)
            row.update(measured_bytes=weights["total"], build_seconds=round(build_s, 1),
                       rss_bytes=process_rss_bytes(),
                       kv_bytes_per_token=kv if dtype == base_dtype
                       else measure_kv_bytes_per_token(model))
            if opts.peaks and opts.batches:
                row["peaks"] = measure_scoring_peaks(model, opts.batches,
                                                     long_case=opts.long_case)
        except Exception as exc:  # noqa: BLE001 - one failure must not lose the whole table
            _LOG.exception("%s %s failed", name, dtype)
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        model = None
        _collect()
        rows.append(row)

    # Full-depth quantisation reads the weights from a CPU state dict; the 16-bit model itself
    # is dropped first, so on CUDA the peaks below hold only the quantised model.
    state, model_class = None, type(base) if base is not None else None
    if base is not None and any(_quantized_depth(opts, d) == "full" for d in quantized):
        state = cpu_state_dict(base)
    base = None
    _collect()
    for dtype in quantized:
        row = _row(name, shape, dtype, opts.device)
        depth = _quantized_depth(opts, dtype)
        row["depth"] = depth
        started = time.perf_counter()
        model = None
        try:
            if depth == "full":
                model = quantize_model(model_class, config, state, dtype, opts.device,
                                       opts.compute_dtype)
                weights = measured_weight_bytes(model)
                row["measured_bytes"] = weights["total"]
                row["rss_bytes"] = process_rss_bytes()
                row["quant_state_bytes"] = weights["quant_state"]
                row["kv_bytes_per_token"] = measure_kv_bytes_per_token(model)
                if opts.peaks and opts.batches:
                    row["peaks"] = measure_scoring_peaks(model, opts.batches,
                                                     long_case=opts.long_case)
            else:
                row.update(_extrapolated_quantized(name, opts, dtype))
            row["quantize_seconds"] = round(time.perf_counter() - started, 1)
        except Exception as exc:  # noqa: BLE001
            _LOG.exception("%s %s failed", name, dtype)
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        model = None
        _collect()
        rows.append(row)
    state = None
    _collect()
    return rows


def _extrapolated_quantized(name: str, opts: Options, dtype: str) -> dict[str, Any]:
    """Quantise the model at 1 and 2 layers; the layers are identical, so the full model's
    bytes are m1 + (L - 1)(m2 - m1), exactly."""
    full_layers = int(hf_config(name, tiny=opts.tiny).num_hidden_layers)
    measured, kv = {}, {}
    for layers in (1, 2):
        base = build_random_model(hf_config(name, tiny=opts.tiny, layers=layers),
                                  opts.compute_dtype, opts.device)
        model_class, config, state = type(base), base.config, cpu_state_dict(base)
        base = None
        model = quantize_model(model_class, config, state, dtype, opts.device, opts.compute_dtype)
        state = None
        measured[layers] = measured_weight_bytes(model)
        kv[layers] = measure_kv_bytes_per_token(model)
        model = None
        _collect()
    per_layer = {k: measured[2][k] - measured[1][k] for k in measured[1]}
    total = {k: measured[1][k] + (full_layers - 1) * per_layer[k] for k in measured[1]}
    return {"measured_bytes": total["total"], "quant_state_bytes": total["quant_state"],
            "per_layer_bytes": per_layer["total"],
            "kv_bytes_per_token": kv[1] + (full_layers - 1) * (kv[2] - kv[1])}

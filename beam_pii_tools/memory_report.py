"""Measured memory of the models beam-pii is run with: weights, KV cache, scoring peaks.

    python -m beam_pii_tools.memory_report [--models qwen2.5-0.5b,llama-3.2-1b] [--dtypes bf16,nf4,int8]
                                      [--skip_quantized] [--json PATH] [--markdown PATH]
    beam-pii memory …                  (the same)

Each model is built with its real architecture (the config numbers of its public config.json,
in `MODELS` below) and random weights, so nothing is downloaded. For each dtype it measures:

* weight bytes: `model.get_memory_footprint()` (parameters + buffers) plus what bitsandbytes
  keeps outside parameters (NF4 absmax/code tables, int8 row scales). NF4/int8 models are
  quantised by transformers' own loading path (`from_pretrained(quantization_config=…)`, fed
  the random state dict), exactly as the nf4/int8 backends load a real checkpoint;
* KV-cache bytes per token: a forward with `use_cache` on a short input, the cache tensors'
  bytes divided by the tokens;
* on CUDA (on CPU with `--cpu_peaks`): the peak memory of scoring 1, 4, 8 and 16 candidates
  through the transformers backend's real scoring path (prefix reuse), each candidate a
  ~300-token prompt laid out like the shipped ones (180 instruction tokens, 50 text tokens,
  70 question tokens), and of 16 records of 1536-token texts with 2 candidates each
  (`--long_case`); next to it, what the `--token_budget auto` formula charges per token.

Next to the measurements it prints what `beam_pii.inference.memory` derives from the config alone (the
numbers `--token_budget auto` uses) and the usual rule of thumb (params x bytes per param
+ 10%). The decoder layers of a model are identical, so the quantised footprint is exactly
linear in the layer count; on CPU (where bitsandbytes quantises slowly, ~10 M params/s on one
core) quantised models are therefore measured at 1 and 2 layers and extrapolated
(`--depth extrapolate`, the CPU default), on CUDA at full depth. `--depth full` forces full
depth (slow on CPU; a 3B model needs its bf16 and quantised copies in RAM at once, ~9 GiB).
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from beam_pii.inference.memory import (GIB, MIB, ModelShape, auto_token_budget, forward_bytes_per_token,
                             free_device_bytes, normalize_dtype, usual_estimate_bytes,
                             weight_bytes)

_LOG = logging.getLogger("beam_pii.memory_report")

# The numbers of each model's public config.json (Hugging Face model cards).
MODELS: dict[str, dict[str, Any]] = {
    "Qwen2.5-0.5B-Instruct": dict(
        model_type="qwen2", vocab_size=151936, hidden_size=896, intermediate_size=4864,
        num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
        tie_word_embeddings=True, max_position_embeddings=32768, rope_theta=1000000.0,
        rms_norm_eps=1e-6),
    "Qwen2.5-1.5B-Instruct": dict(
        model_type="qwen2", vocab_size=151936, hidden_size=1536, intermediate_size=8960,
        num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2,
        tie_word_embeddings=True, max_position_embeddings=32768, rope_theta=1000000.0,
        rms_norm_eps=1e-6),
    "Qwen2.5-3B-Instruct": dict(
        model_type="qwen2", vocab_size=151936, hidden_size=2048, intermediate_size=11008,
        num_hidden_layers=36, num_attention_heads=16, num_key_value_heads=2,
        tie_word_embeddings=True, max_position_embeddings=32768, rope_theta=1000000.0,
        rms_norm_eps=1e-6),
    "Llama-3.2-1B-Instruct": dict(
        model_type="llama", vocab_size=128256, hidden_size=2048, intermediate_size=8192,
        num_hidden_layers=16, num_attention_heads=32, num_key_value_heads=8, head_dim=64,
        tie_word_embeddings=True, max_position_embeddings=131072, rope_theta=500000.0,
        rms_norm_eps=1e-5),
    "Llama-3.2-3B-Instruct": dict(
        model_type="llama", vocab_size=128256, hidden_size=3072, intermediate_size=8192,
        num_hidden_layers=28, num_attention_heads=24, num_key_value_heads=8, head_dim=128,
        tie_word_embeddings=True, max_position_embeddings=131072, rope_theta=500000.0,
        rms_norm_eps=1e-5),
}
# Parameter counts the model cards publish (0.49B, 1.54B, 3.09B, 1.24B, 3.21B), to the unit.
PUBLISHED_PARAMS = {
    "Qwen2.5-0.5B-Instruct": 494_032_768, "Qwen2.5-1.5B-Instruct": 1_543_714_304,
    "Qwen2.5-3B-Instruct": 3_085_938_688, "Llama-3.2-1B-Instruct": 1_235_814_400,
    "Llama-3.2-3B-Instruct": 3_212_749_824,
}
LLAMA_3_ROPE = {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                "high_freq_factor": 4.0, "original_max_position_embeddings": 8192,
                "rope_theta": 500000.0}
# --tiny: every model shrunk (same family, same head/kv-head ratio) so a run takes seconds.
TINY = dict(vocab_size=4096, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, head_dim=16)

DEFAULT_DTYPES = ("bf16", "nf4", "int8")
QUANTIZED = ("nf4", "int8")
DEFAULT_BATCHES = (1, 4, 8, 16)
# The shipped prompt layout, measured with SmolLM2's tokenizer on examples/sample.jsonl:
# instructions 179 tokens, questions 59-90, texts 50 on average.
PREFIX_TOKENS, TEXT_TOKENS, QUESTION_TOKENS = 180, 50, 70
BUDGET_TABLE_GIB = (8, 16, 24, 40, 80)
# One more peak: 16 records of the longest text the pipeline keeps (max_text_tokens 1536),
# two flagged types each; `--long_case 0` leaves it out.
LONG_CASE = (16, 1536, 2)


def resolve_models(spec: str | None) -> list[str]:
    """`--models`: comma-separated names, matched case-insensitively by prefix/substring."""
    if not spec or spec == "all":
        return list(MODELS)
    chosen = []
    for part in (p.strip().lower() for p in spec.split(",") if p.strip()):
        hits = [m for m in MODELS if m.lower() == part] or \
               [m for m in MODELS if m.lower().startswith(part)] or \
               [m for m in MODELS if part in m.lower()]
        if len(hits) != 1:
            raise SystemExit(f"--models: {part!r} matches {hits or 'nothing'}; "
                             f"choose from {', '.join(MODELS)}")
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return chosen


def hf_config(name: str, *, tiny: bool = False, layers: int | None = None,
              vocab_size: int | None = None) -> Any:
    """The transformers config of a model in `MODELS` (optionally shrunk)."""
    from transformers import LlamaConfig, Qwen2Config

    spec = dict(MODELS[name])
    if tiny:
        spec.update(TINY)
    if layers is not None:
        spec["num_hidden_layers"] = layers
    if vocab_size is not None:
        spec["vocab_size"] = vocab_size
    model_type = spec.pop("model_type")
    if model_type == "llama":
        spec["rope_scaling"] = dict(LLAMA_3_ROPE)
        return LlamaConfig(**spec)
    spec.pop("head_dim", None)  # Qwen2: hidden / heads
    return Qwen2Config(**spec, use_sliding_window=False)


# --- building and measuring ------------------------------------------------------------------
def _torch_dtype(name: str) -> Any:
    import torch
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def build_random_model(config: Any, dtype: str = "bfloat16", device: str = "cpu",
                       seed: int = 0) -> Any:
    """A model of this config with random weights, allocated directly in `dtype` on `device`.

    transformers' initialisation (a normal draw per weight) takes ~35 s for 0.5B parameters
    on one CPU core; here weights are left uninitialised and then filled by tiling one random
    block, which runs at memory speed. Norm weights keep their ones, biases are zeroed.
    """
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.initialization import no_init_weights

    torch_dtype = _torch_dtype(normalize_dtype(dtype))
    with torch.device(device), no_init_weights():
        model = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    model.tie_weights()
    generator = torch.Generator(device="cpu").manual_seed(seed)
    block = (torch.randn(1 << 20, generator=generator) * 0.02).to(device=device, dtype=torch_dtype)
    seen: set[int] = set()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if id(param) in seen:
                continue
            seen.add(id(param))
            if param.ndim >= 2:
                flat = param.view(-1)
                for start in range(0, flat.numel(), block.numel()):
                    chunk = flat[start: start + block.numel()]
                    chunk.copy_(block[: chunk.numel()])
            elif name.endswith("bias"):
                param.zero_()
    return model.eval()


def cpu_state_dict(model: Any) -> dict[str, Any]:
    """The weights as a CPU state dict, without the tied output head (save_pretrained drops it
    too); on CPU the tensors are the model's own, not copies."""
    tied = bool(getattr(model.config, "tie_word_embeddings", False))
    return {k: v.detach().to("cpu") for k, v in model.state_dict().items()
            if not (tied and k == "lm_head.weight")}


def quantize_model(model_class: Any, config: Any, state: dict[str, Any], kind: str, device: str,
                   compute_dtype: str = "bfloat16", double_quant: bool = True) -> Any:
    """The NF4/int8 model transformers' bitsandbytes path makes from these weights: what
    `from_pretrained(path, quantization_config=…, device_map=device)` does with a checkpoint."""
    from transformers import BitsAndBytesConfig

    if kind == "nf4":
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                   bnb_4bit_compute_dtype=_torch_dtype(compute_dtype),
                                   bnb_4bit_use_double_quant=double_quant)
    else:
        quant = BitsAndBytesConfig(load_in_8bit=True)
    quantized = model_class.from_pretrained(None, config=config, state_dict=state,
                                            quantization_config=quant, device_map=device,
                                            dtype=_torch_dtype(compute_dtype))
    return quantized.eval()


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


class _StubTokenizer:
    """What TransformersBackend reads from a tokenizer when only `score` is called."""

    pad_token_id = 0
    eos_token_id = 0


def scoring_groups(n_records: int, vocab: int, *, text_tokens: int = TEXT_TOKENS,
                   question_tokens: int = QUESTION_TOKENS, questions: int = 1,
                   seed: int = 0) -> list[Any]:
    """`n_records` records of `questions` flagged types each (one: the no-sharing case, as
    costly per candidate as scoring gets)."""
    import random

    from beam_pii.inference.backends.base import ScoringGroup

    rng = random.Random(seed)
    top = min(vocab, 32000) - 1

    def ids(n: int) -> tuple[int, ...]:
        return tuple(rng.randint(10, top) for _ in range(n))

    return [ScoringGroup(text_ids=ids(text_tokens),
                         question_ids=tuple(ids(question_tokens) for _ in range(questions)))
            for _ in range(n_records)]


class TensorPeakTracker:
    """Peak bytes of the tensors created inside the `with` block, on any device.

    A dispatch mode sees every op's outputs; each new storage is counted until it is freed
    (a weakref finalizer on the storage). Tensors that existed before (weights, caches) are not
    counted. Used for CPU peaks, which torch's allocator does not record.
    """

    def __init__(self) -> None:
        import torch
        from torch.utils._python_dispatch import TorchDispatchMode
        from torch.utils._pytree import tree_leaves

        tracker = self
        self.live: dict[int, int] = {}
        self.current = 0
        self.peak = 0

        class _Mode(TorchDispatchMode):
            def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
                out = func(*args, **(kwargs or {}))
                for leaf in tree_leaves(out):
                    if isinstance(leaf, torch.Tensor):
                        tracker._add(leaf.untyped_storage())
                return out

        self._mode = _Mode()

    def _add(self, storage: Any) -> None:
        import weakref

        key = storage._cdata
        if key in self.live:
            return
        try:
            weakref.finalize(storage, self._drop, key)
        except TypeError:  # a storage type without weakref support: not counted
            return
        size = int(storage.nbytes())
        self.live[key] = size
        self.current += size
        self.peak = max(self.peak, self.current)

    def _drop(self, key: int) -> None:
        self.current -= self.live.pop(key, 0)

    def __enter__(self) -> "TensorPeakTracker":
        self._mode.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._mode.__exit__(*exc)


def measure_scoring_peaks(model: Any, batches: Sequence[int], *, prefix_tokens: int = PREFIX_TOKENS,
                          text_tokens: int = TEXT_TOKENS, question_tokens: int = QUESTION_TOKENS,
                          long_case: tuple[int, int, int] | None = None) -> dict[str, Any]:
    """Peak memory of scoring each batch size through the backend's real scoring path.

    CUDA: `torch.cuda.max_memory_allocated` (weights included). CPU: the weights' bytes plus
    the peak of the tensors the scoring call creates (`TensorPeakTracker`); slow for real sizes
    (the tracker and bf16 matmuls on CPUs without AMX), meant for small models.
    long_case: (records, text tokens, questions per record) scored once more, keyed
    "RECORDSxTEXT": the longest texts the pipeline lets through (`max_text_tokens`).
    """
    import torch

    from beam_pii.inference.backends.base import ModelInfo
    from beam_pii.inference.backends.transformers_backend import TransformersBackend
    from beam_pii.inference.prompting import AnswerTokens

    device = next(model.parameters()).device
    cuda = device.type == "cuda"
    backend = TransformersBackend(model, _StubTokenizer(),
                                  ModelInfo("random", "memory", "", device.type),
                                  reuse_prefix=True, token_budget=1 << 30)
    answers = AnswerTokens(yes=(3, 4), no=(5, 6))
    prefix = tuple(range(10, 10 + prefix_tokens))
    groups = scoring_groups(max(batches), int(model.config.vocab_size), text_tokens=text_tokens,
                            question_tokens=question_tokens)
    backend.score(prefix, groups[:1], answers)  # warm-up: prefix cache, kernels, cuBLAS
    weights = measured_weight_bytes(model)["total"]
    results: dict[str, Any] = {}

    def measure(chosen: Sequence[Any]) -> tuple[int, int]:
        """(peak bytes, bytes above what was allocated before) of scoring `chosen`."""
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(device)
            base = torch.cuda.memory_allocated(device)
            backend.score(prefix, chosen, answers)
            torch.cuda.synchronize()
            top = int(torch.cuda.max_memory_allocated(device))
            return top, top - base
        with TensorPeakTracker() as tracker:
            backend.score(prefix, chosen, answers)
        return weights + tracker.peak, tracker.peak

    for n in batches:
        started = time.perf_counter()
        peak, above = measure(groups[:n])
        computed = sum(g.computed_tokens for g in groups[:n])
        results[str(n)] = {"peak_bytes": int(peak), "above_base_bytes": int(above),
                           "computed_tokens": computed,
                           "above_base_per_token": round(above / computed, 1),
                           "prompt_tokens": n * (prefix_tokens + text_tokens + question_tokens),
                           "seconds": round(time.perf_counter() - started, 4)}
    if long_case:
        # long texts: the attention terms that grow with the square of the text length
        records, text, questions = long_case
        long_groups = scoring_groups(records, int(model.config.vocab_size), text_tokens=text,
                                     question_tokens=question_tokens, questions=questions, seed=1)
        started = time.perf_counter()
        peak, above = measure(long_groups)
        computed = sum(g.computed_tokens for g in long_groups)
        results[f"{records}x{text}"] = {
            "peak_bytes": int(peak), "above_base_bytes": int(above), "computed_tokens": computed,
            "above_base_per_token": round(above / computed, 1), "records": records,
            "text_tokens": text, "questions": questions,
            "seconds": round(time.perf_counter() - started, 4)}
    backend = None
    return results


# --- one model ---------------------------------------------------------------------------------
@dataclass
class Options:
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


# --- output --------------------------------------------------------------------------------------
def _size(value: Any, unit: int) -> str:
    return "—" if value is None else f"{value / unit:.3f}"


def _params(n: int) -> str:
    return f"{n / 1e9:.2f}B" if n >= 1e8 else f"{n / 1e6:.2f}M"


def markdown_table(rows: Sequence[dict[str, Any]], batches: Sequence[int]) -> str:
    with_peaks = any(r.get("peaks") for r in rows)
    largest = max([r.get("measured_bytes") or 0 for r in rows] + [r["derived_bytes"] for r in rows])
    unit, label = (GIB, "GiB") if largest >= GIB // 10 else (MIB, "MiB")
    head = ["model", "params", "dtype", f"measured weights {label}", f"derived {label}",
            f"usual estimate {label}", "KV bytes/token"]
    if with_peaks:
        head += [f"peak {label}, {n} cand." for n in batches]
    head += ["measured on"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        kv = r.get("kv_bytes_per_token")
        dtype = r["dtype"] + (" (×)" if r.get("depth") == "extrapolate" else "")
        cells = [r["model"], _params(r["params"]), dtype,
                 "error" if r.get("error") else _size(r.get("measured_bytes"), unit),
                 _size(r["derived_bytes"], unit), _size(r["usual_estimate_bytes"], unit),
                 "—" if kv is None else f"{kv:,.0f}"]
        if with_peaks:
            peaks = r.get("peaks") or {}
            cells += [_size(peaks.get(str(n), {}).get("peak_bytes"), unit) for n in batches]
        cells.append(r["device"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def formula_check_table(rows: Sequence[dict[str, Any]]) -> str:
    """Measured scoring memory per computed token (above the weights, at the largest batch)
    against what `auto_token_budget` charges per token."""
    lines = ["| model | dtype | records × candidates | computed tokens | measured bytes/token | "
             "budget formula bytes/token | formula / measured |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        peaks = r.get("peaks") or {}
        plain = [k for k in peaks if k.isdigit()]
        keys = ([max(plain, key=int)] if plain else []) + [k for k in peaks if not k.isdigit()]
        for key in keys:
            p = peaks[key]
            label = (f"{key} × 1 ({TEXT_TOKENS}-token texts)" if key.isdigit() else
                     f"{p['records']} × {p['questions']} ({p['text_tokens']}-token texts)")
            measured = p["above_base_bytes"] / max(p["computed_tokens"], 1)
            derived = r["derived_forward_bytes_per_token"]
            lines.append(f"| {r['model']} | {r['dtype']} | {label} | {p['computed_tokens']:,} | "
                         f"{measured:,.0f} | {derived:,} | {derived / max(measured, 1):.2f} |")
    return "\n".join(lines)


def budget_table(models: Sequence[str], dtypes: Sequence[str], tiny: bool = False) -> str:
    """`auto_token_budget` for a few free-memory sizes (derived, no measurement)."""
    head = ["model", "dtype"] + [f"{g} GiB free" for g in BUDGET_TABLE_GIB]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in models:
        shape = ModelShape.from_config(hf_config(name, tiny=tiny))
        for dtype in dtypes:
            cells = [name, dtype] + [f"{auto_token_budget(shape, dtype, g * GIB):,}"
                                     for g in BUDGET_TABLE_GIB]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def environment(device: str) -> dict[str, Any]:
    import importlib.metadata as md

    versions = {}
    for package in ("torch", "transformers", "bitsandbytes", "accelerate"):
        try:
            versions[package] = md.version(package)
        except md.PackageNotFoundError:
            versions[package] = None
    env: dict[str, Any] = {"device": device, "python": platform.python_version(),
                           "when": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "versions": versions}
    if device.startswith("cuda"):
        import torch
        env["device_name"] = torch.cuda.get_device_name(device)
    else:
        env["device_name"] = _cpu_name()
        env["threads"] = _threads()
    return env


def device_label(device: str) -> str:
    """'cpu' or e.g. 'cuda (NVIDIA H200)' for the table's last column."""
    if device.startswith("cuda"):
        try:
            import torch
            return f"{device} ({torch.cuda.get_device_name(device)})"
        except Exception:  # noqa: BLE001
            return device
    return "cpu"


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def _threads() -> int:
    try:
        import torch
        return int(torch.get_num_threads())
    except ImportError:
        return os.cpu_count() or 1


def write_markdown(path: str, table: str, budgets: str, result: dict[str, Any]) -> None:
    env = result["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    notes = [
        "# Measured model memory",
        "",
        f"Written by `python -m beam_pii_tools.memory_report` on {env['device_name']} "
        f"({env['device']}), {env['when']}, {versions}; the run took "
        f"{result['seconds']:.0f} s. Random weights with each model's real architecture.",
        "",
        table,
        "",
        "* measured weights: `model.get_memory_footprint()` plus bitsandbytes' quantisation "
        "state (NF4 absmax and code tables, int8 row scales). bf16 and fp16 take the same bytes.",
        "* (×): quantised at 1 and 2 layers and extrapolated linearly to the full depth "
        "(exact: every layer is the same); see `--depth`.",
        "* derived: `beam_pii.inference.memory.weight_bytes`, what `--token_budget auto` subtracts.",
        "* usual estimate: params × bytes per param + 10% (NF4: 0.5 byte). It is far off for "
        "NF4/int8 on small models: bitsandbytes quantises only the decoder layers' "
        "projections; the embedding (tied to the output head) stays in 16 bits and is "
        "27-31% of a Qwen2.5/Llama-3.2 model's parameters below 2B.",
        "* KV bytes/token: cache bytes of a 16-token forward / 16, in the 16-bit compute dtype "
        "(NF4 and int8 compute in bf16, so their cache is the bf16 one).",
    ]
    if any(r.get("peaks") for r in result["rows"]):
        notes.append("* peak: memory while scoring N candidates, each a "
                     f"{PREFIX_TOKENS}+{TEXT_TOKENS}+{QUESTION_TOKENS}-token prompt (its own "
                     "record), through the backend's prefix-reuse path; CUDA: "
                     "`torch.cuda.max_memory_allocated`, CPU (`--cpu_peaks`): the weights plus "
                     "the peak of the tensors the scoring call creates.")
    else:
        notes.append("* peaks of scoring batches are measured on CUDA only "
                     "(`scripts/gpu_check.sh` runs this report there).")
    if any(r.get("peaks") for r in result["rows"]):
        notes += ["", "## The budget formula against the measured peaks", "",
                  "Scoring memory above the weights per computed token (prefix reuse: each "
                  "record's text once plus its question) at the largest batch, and what "
                  "`beam_pii.inference.memory.forward_bytes_per_token` charges; a ratio above 1 is the "
                  "formula's margin (the 0.8 safety factor comes on top).", "",
                  formula_check_table(result["rows"])]
    notes += ["", "## `--token_budget auto` for some free-memory sizes (derived)", "",
              "Tokens per forward pass `beam_pii.inference.memory.auto_token_budget` picks when this much "
              "memory is free before loading (formula in `beam_pii/memory.py`).", "", budgets, ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(notes))


def _long_case(spec: str) -> tuple[int, int, int] | None:
    if spec in ("", "0", "none"):
        return None
    parts = tuple(int(x) for x in spec.lower().split("x"))
    if len(parts) != 3 or min(parts) < 1:
        raise SystemExit("--long_case: RECORDSxTEXT_TOKENSxQUESTIONS, e.g. 16x1536x2, or 0")
    return parts  # type: ignore[return-value]


def _write_json(path: str | None, result: dict[str, Any]) -> None:
    if not path:
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
        fh.write("\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="beam-pii memory", description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="all",
                        help=f"comma-separated subset of: {', '.join(MODELS)} (prefixes work)")
    parser.add_argument("--dtypes", default=",".join(DEFAULT_DTYPES),
                        help="comma-separated: bf16, fp16, fp32, nf4, int8 (default %(default)s)")
    parser.add_argument("--skip_quantized", action="store_true", help="leave out nf4 and int8")
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda[:N]")
    parser.add_argument("--depth", choices=("auto", "full", "extrapolate"), default="auto",
                        help="quantised models: full depth, or 1+2 layers extrapolated "
                             "(auto: full on CUDA, extrapolate on CPU)")
    parser.add_argument("--batches", default=",".join(map(str, DEFAULT_BATCHES)),
                        help="candidates per scoring batch for the CUDA peaks ('' for none)")
    parser.add_argument("--long_case", default="16x1536x2",
                        help="one more peak: RECORDSxTEXT_TOKENSxQUESTIONS ('0': none)")
    parser.add_argument("--cpu_peaks", action="store_true",
                        help="on CPU, measure the scoring peaks too (tensor tracking; slow: "
                             "~20 s per candidate for Qwen2.5-0.5B in bf16 on one core)")
    parser.add_argument("--tiny", action="store_true",
                        help="shrink every model to a few-MB config (tests, dry runs)")
    parser.add_argument("--json", dest="json_path",
                        help="write the results here (after each model, so a cut-short run "
                             "keeps what it measured)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the models the --json file already holds (same options) "
                             "and measure only the rest")
    parser.add_argument("--markdown",
                        help="write the table with notes here (e.g. docs/memory_table.md)")
    return parser.parse_args(argv)


def run(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    import torch

    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("--device cuda: torch sees no CUDA device")
    short = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}
    names = [normalize_dtype(d) for d in args.dtypes.split(",") if d.strip()]
    dtypes = tuple(dict.fromkeys(short.get(n, n) for n in names))
    if args.skip_quantized:
        dtypes = tuple(d for d in dtypes if d not in QUANTIZED)
    if not dtypes:
        raise SystemExit("no dtype left to measure")
    if any(d in QUANTIZED for d in dtypes):
        import importlib.util
        if importlib.util.find_spec("bitsandbytes") is None:
            _LOG.warning("bitsandbytes is not installed: nf4/int8 rows are left out")
            dtypes = tuple(d for d in dtypes if d not in QUANTIZED)
    batches = tuple(int(b) for b in args.batches.split(",") if b.strip())
    opts = Options(device=device, dtypes=dtypes, depth=args.depth, batches=batches, tiny=args.tiny,
                   peaks=device.startswith("cuda") or args.cpu_peaks,
                   long_case=_long_case(args.long_case))
    models = resolve_models(args.models)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    result: dict[str, Any] = {
        "environment": environment(device), "complete": False,
        "options": {"models": models, "dtypes": list(dtypes), "depth": args.depth,
                    "batches": list(batches), "tiny": args.tiny},
        "prompt_layout": {"prefix": PREFIX_TOKENS, "text": TEXT_TOKENS,
                          "question": QUESTION_TOKENS},
        "rows": rows}
    done: set[str] = set()
    previous_seconds = 0.0
    if args.resume and args.json_path and os.path.isfile(args.json_path):
        with open(args.json_path, encoding="utf-8") as fh:
            previous = json.load(fh)
        same = {k: previous.get("options", {}).get(k) for k in ("dtypes", "depth", "tiny")} == \
            {"dtypes": list(dtypes), "depth": args.depth, "tiny": args.tiny}
        if same and previous.get("environment", {}).get("device") == device:
            kept = [r for r in previous.get("rows", []) if r.get("model") in models]
            rows.extend(kept)
            done = {r["model"] for r in kept}
            previous_seconds = float(previous.get("seconds") or 0.0)
            _LOG.info("resuming: %s already measured", ", ".join(sorted(done)) or "nothing")
        else:
            _LOG.warning("--resume: %s was written with other options; starting over",
                         args.json_path)
    started -= previous_seconds
    for name in models:
        if name in done:
            continue
        model_started = time.perf_counter()
        model_rows = measure_model(name, opts)
        for row in model_rows:
            row["model_seconds"] = round(time.perf_counter() - model_started, 1)
        rows.extend(model_rows)
        _LOG.info("%s measured in %.1f s", name, time.perf_counter() - model_started)
        result["seconds"] = round(time.perf_counter() - started, 1)
        _write_json(args.json_path, result)  # after each model: a cut-short run keeps its rows
    seconds = time.perf_counter() - started
    rows.sort(key=lambda r: models.index(r["model"]))  # resumed rows came first
    table = markdown_table(rows, batches)
    result.update(seconds=round(seconds, 1), complete=True, table=table,
                  free_bytes_at_end=free_device_bytes(device))
    print(table)
    print(f"\n(measured on {device} in {seconds:.0f} s)")
    _write_json(args.json_path, result)
    if args.markdown:
        write_markdown(args.markdown, table, budget_table(models, dtypes, args.tiny), result)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    # force: importing Beam may have configured the root logger already
    logging.basicConfig(level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("transformers", "bitsandbytes", "accelerate", "apache_beam"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    run(sys.argv[1:] if argv is None else list(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())

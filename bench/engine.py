"""Count the forward work inside a row's process: passes, padded vs real tokens, model seconds.

Wraps the `_score_with_reuse` method of every scoring backend that has one (transformers and
ONNX Runtime: one token-budget chunk each), without changing what it computes. A pass
computes rows x the widest text plus questions x the widest question; the real tokens are
the groups' computed tokens, so padded/real - 1 is what batching costs, and wall minus model
seconds what Beam and IO cost.
"""
from __future__ import annotations

import time
from typing import Any

_COUNTS: dict[str, float] | None = None


def _backend_classes() -> list[type]:
    from beam_pii.inference.backends import transformers_backend as tb
    classes: list[type] = [tb.TransformersBackend]
    try:
        from beam_pii.inference.backends import onnx_backend
        classes.append(onnx_backend.OnnxBackend)
    except ImportError:  # onnxruntime not installed: nothing of it to count
        pass
    return classes


def instrument_backend() -> dict[str, float]:
    """A fresh counter dict that counts from now on (the previous one stops counting)."""
    global _COUNTS
    counts = {"chunks": 0, "padded_tokens": 0, "real_tokens": 0, "model_seconds": 0.0}
    _COUNTS = counts
    for cls in _backend_classes():
        inner = getattr(cls, "_score_with_reuse", None)
        if inner is None or getattr(inner, "_bench_wrapped", False):
            continue
        cls._score_with_reuse = _wrap(inner)
    return counts


def _wrap(inner: Any) -> Any:
    def wrapped(self, prefix_ids, groups, answers):
        live = _COUNTS
        if live is None or not groups:
            return inner(self, prefix_ids, groups, answers)
        questions = [q for g in groups for q in g.question_ids]
        live["chunks"] += 1
        live["padded_tokens"] += (len(groups) * max(len(g.text_ids) for g in groups)
                                  + len(questions) * max(map(len, questions), default=0))
        live["real_tokens"] += sum(g.computed_tokens for g in groups)
        started = time.perf_counter()
        try:
            return inner(self, prefix_ids, groups, answers)
        finally:
            live["model_seconds"] += time.perf_counter() - started

    wrapped._bench_wrapped = True  # type: ignore[attr-defined]
    return wrapped


def engine_summary(counts: dict[str, float]) -> dict[str, Any]:
    out = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in counts.items()}
    if counts.get("real_tokens"):
        out["padding_overhead"] = round(counts["padded_tokens"] / counts["real_tokens"] - 1, 3)
    return out

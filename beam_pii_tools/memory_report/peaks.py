"""Peak memory of real scoring passes: prompts laid out like the shipped ones, scored through
the transformers backend's prefix-reuse path, the peak read from CUDA's allocator or, on CPU,
from a tracker of the tensors the pass creates."""
from __future__ import annotations

import time
from typing import Any, Sequence

from beam_pii_tools.memory_report.measure import measured_weight_bytes

__all__ = ["PREFIX_TOKENS", "TEXT_TOKENS", "QUESTION_TOKENS", "scoring_groups",
           "TensorPeakTracker", "measure_scoring_peaks"]

# The shipped prompt layout, measured with SmolLM2's tokenizer on examples/sample.jsonl:
# instructions 179 tokens, questions 59-90, texts 50 on average.
PREFIX_TOKENS, TEXT_TOKENS, QUESTION_TOKENS = 180, 50, 70


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

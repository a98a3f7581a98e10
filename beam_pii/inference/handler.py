"""`PIIVerificationModelHandler`: the Beam `ModelHandler` that runs the verifier in RunInference.

Beam owns loading (once per worker, optionally shared across the worker's SDK processes),
batching (by estimated tokens, so a batch of long JSON records and a batch of short chats cost
about the same) and metrics. This class adds fail-closed batch handling: a batch that raises
is split in halves and retried, so one poisonous record fails alone, and a record that still
fails is returned with its error (every flag kept) rather than marked rejected.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Iterable, Mapping, Optional, Sequence

from apache_beam.metrics import Metrics
from apache_beam.ml.inference.base import ModelHandler

from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.explain import is_template_reason, wants_reason
from beam_pii.records import Decision, VerificationRequest, VerificationResult
from beam_pii.inference.verifier import Verifier

_LOG = logging.getLogger(__name__)
METRICS_NAMESPACE = "beam_pii"
CHARS_PER_TOKEN = 3.5  # a deliberately low estimate: batches err on the small side
QUESTION_TOKENS = 20


def estimated_tokens(request: VerificationRequest, max_text_tokens: int) -> int:
    """Batch weight of a request: its text once plus one question per pending type."""
    text_tokens = min(int(len(request.text) / CHARS_PER_TOKEN) + 1, max_text_tokens)
    return text_tokens + QUESTION_TOKENS * max(len(request.pending), 1)


def _is_out_of_memory(exc: BaseException) -> bool:
    return "out of memory" in str(exc).lower() or type(exc).__name__ == "OutOfMemoryError"


def _release_accelerator_memory() -> None:
    try:
        import torch
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except Exception:  # best effort only
        pass


class PIIVerificationModelHandler(
        ModelHandler[VerificationRequest, VerificationResult, Verifier]):
    """Loads the verifier and verifies batches of `VerificationRequest`s."""

    def __init__(self, config: VerifierConfig | None = None, **overrides: Any):
        super().__init__()
        self.config = (config or VerifierConfig()).replace(**overrides) if overrides \
            else (config or VerifierConfig())
        self._metrics: dict[str, Any] | None = None
        self._catalog: Catalog | None = None

    # --- Beam hooks -------------------------------------------------------------------------
    def load_model(self) -> Verifier:
        verifier = Verifier.load(self.config)
        _append_load_log(verifier)
        return verifier

    def run_inference(self, batch: Sequence[VerificationRequest], model: Verifier,
                      inference_args: Optional[dict[str, Any]] = None
                      ) -> Iterable[VerificationResult]:
        results = self._verify_splitting(list(batch), model)
        self._record_metrics(results)
        return results

    def batch_elements_kwargs(self) -> Mapping[str, Any]:
        """Batch by estimated tokens (weights) when a token budget is set, else by records."""
        config = self.config
        if config.max_batch_tokens:
            limit = config.max_text_tokens
            return {"min_batch_size": 1, "max_batch_size": config.max_batch_tokens,
                    "element_size_fn": lambda r: estimated_tokens(r, limit)}
        return {"min_batch_size": config.min_batch_size, "max_batch_size": config.max_batch_size}

    def share_model_across_processes(self) -> bool:
        """Share on GPUs (one copy per device); on CPU the cross-process hop costs ~2x."""
        if self.config.share_model is not None:
            return self.config.share_model
        return _gpu_visible() or (self.config.model_copies or 1) > 1

    def model_copies(self) -> int:
        return self.config.model_copies or 1

    def get_metrics_namespace(self) -> str:
        return METRICS_NAMESPACE

    def get_num_bytes(self, batch: Sequence[VerificationRequest]) -> int:
        return sum(len(r.text.encode("utf-8", errors="ignore")) for r in batch)

    # --- fail-closed splitting --------------------------------------------------------------
    def _verify_splitting(self, batch: list[VerificationRequest],
                          model: Verifier) -> list[VerificationResult]:
        try:
            return model.verify(batch)
        except Exception as exc:  # noqa: BLE001 - every failure must be routed, none raised
            if _is_out_of_memory(exc):
                _release_accelerator_memory()
            if len(batch) == 1:
                _LOG.warning("record %s failed scoring: %s", batch[0].record_id, type(exc).__name__)
                return [failed_result(batch[0], exc, model.describe())]
            _LOG.warning("batch of %d failed (%s); retrying in halves", len(batch), type(exc).__name__)
            middle = len(batch) // 2
            return (self._verify_splitting(batch[:middle], model)
                    + self._verify_splitting(batch[middle:], model))

    def _record_metrics(self, results: Sequence[VerificationResult]) -> None:
        """Counters from the results alone: through Beam's shared-model proxy only the model's
        methods are reachable, never its attributes."""
        if self._metrics is None:
            ns = METRICS_NAMESPACE
            self._metrics = {name: Metrics.counter(ns, name) for name in (
                "model_records", "model_candidates", "verified", "rejected", "unknown_types",
                "scoring_failed", "truncated", "reasons_failed", "explained", "reasons_generated",
                "reasons_fallback", "evidence_none")}
            self._metrics["latency_ms"] = Metrics.distribution(ns, "latency_ms")
            self._catalog = Catalog.load(self.config.catalog_path)
        m, catalog = self._metrics, self._catalog
        for result in results:
            m["model_records"].inc()
            m["model_candidates"].inc(len(result.request.pending))
            if result.error is not None:
                m["scoring_failed"].inc()
                continue
            m["truncated"].inc(int(result.truncated))
            m["latency_ms"].update(int(result.latency_ms))
            for d in result.decisions:
                if d.source == "model":
                    m["verified" if d.verified else "rejected"].inc()
                    if wants_reason(d, self.config.explain):
                        self._count_explanation(d)
            m["unknown_types"].inc(sum(1 for p in result.request.pending if catalog.lookup(p) is None))

    def _count_explanation(self, d: Decision) -> None:
        """An explained decision: its sentence written by the model or the evidence template."""
        m = self._metrics
        assert m is not None
        m["explained"].inc()
        if d.reason is None:
            m["reasons_failed"].inc()
        else:
            m["reasons_fallback" if is_template_reason(d.reason) else "reasons_generated"].inc()
        if d.evidence is None or d.evidence.text is None:
            m["evidence_none"].inc()


def failed_result(request: VerificationRequest, exc: BaseException,
                  model_info: Mapping[str, str]) -> VerificationResult:
    """A record whose scoring failed: every pending flag kept, the error recorded."""
    kept = tuple(d for d in request.decided) + tuple(
        Decision(pii=p, verified=True, confidence=None, source="error") for p in request.pending)
    order = {p: i for i, p in enumerate(request.piis)}
    return VerificationResult(request=request, decisions=tuple(sorted(kept, key=lambda d: order[d.pii])),
                              model=dict(model_info), latency_ms=0.0,
                              error=f"scoring failed: {type(exc).__name__}: {exc}"[:500])


def _gpu_visible() -> bool:
    try:
        import torch
        return torch.cuda.is_available()
    except ImportError:
        return False


LOAD_LOG_ENV = "BEAM_PII_LOAD_LOG"


def _append_load_log(verifier: Verifier) -> None:
    """If $BEAM_PII_LOAD_LOG names a file, note each model load (pid, model): lets operators
    check how many copies a worker really holds (one, when sharing works)."""
    path = os.environ.get(LOAD_LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {verifier.model_info['id']} {verifier.model_info['device']}\n")

"""`PIIVerificationModelHandler`: the Beam `ModelHandler` that runs the verifier in RunInference.

Beam owns loading (once per worker, optionally shared across the worker's SDK processes),
batching and metrics. Batching is declared with Beam's own `ModelHandler.__init__` arguments:
`max_batch_size` records and `max_batch_weight` estimated tokens per batch, weighed by
`element_size_fn`, so a batch of long JSON records and a batch of short chats cost about the
same. `VerifyPII` hands exactly those to Beam's `SortAndBatchElements`, which also sorts each
bundle by weight so a batch holds records of similar length (little padding).

This class adds fail-closed batch handling, which tells two
kinds of failure apart (`failures`):

* record-level: a batch that raises is split in halves and retried, so one poisonous record
  fails alone, and a record that still fails is returned with its error (every flag kept)
  rather than marked rejected;
* worker-level: a CUDA error, a dead engine, or a worker that cannot score a one-line health
  check right after a failure raises `WorkerFailure` (after at most two scoring attempts per
  failure), so the runner retries the bundle instead of every later record going to `failed`.

Out-of-memory recovery runs in the process that owns the model: `Verifier.release_memory` is
a method, so through Beam's shared-model proxy it executes where the model's memory lives.
"""
from __future__ import annotations

import functools
import logging
import os
import uuid
from typing import Any, Iterable, Mapping, Optional, Sequence

from apache_beam.metrics import Metrics
from apache_beam.ml.inference.base import ModelHandler

from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.explain import is_template_reason, wants_reason
from beam_pii.inference.unknown_types import UnknownTypeCounter
from beam_pii.inference.truncation import TRUNCATED_SOURCE
from beam_pii.inference.failures import WorkerFailure, is_fatal, is_out_of_memory
from beam_pii.records import Decision, VerificationRequest, VerificationResult
from beam_pii.inference.verifier import Verifier

_LOG = logging.getLogger(__name__)
METRICS_NAMESPACE = "beam_pii"
CHARS_PER_TOKEN = 3.5  # a deliberately low estimate: batches err on the small side
QUESTION_TOKENS = 20


def estimated_tokens(request: VerificationRequest,
                     max_text_tokens: int = VerifierConfig.max_text_tokens) -> int:
    """Batch weight of a request: its text once plus one question per pending type."""
    text_tokens = min(int(len(request.text) / CHARS_PER_TOKEN) + 1, max_text_tokens)
    return text_tokens + QUESTION_TOKENS * max(len(request.pending), 1)


def _one(_: Any) -> int:
    return 1


class PIIVerificationModelHandler(
        ModelHandler[VerificationRequest, VerificationResult, Verifier]):
    """Loads the verifier and verifies batches of `VerificationRequest`s."""

    def __init__(self, config: VerifierConfig | None = None, **overrides: Any):
        config = (config or VerifierConfig()).replace(**overrides) if overrides \
            else (config or VerifierConfig())
        if config.max_batch_tokens:  # weights: estimated tokens (text once + one question per type)
            weight, size_fn = config.max_batch_tokens, functools.partial(
                estimated_tokens, max_text_tokens=config.max_text_tokens)
        else:  # batch by count only
            weight, size_fn = config.max_batch_size, _one
        super().__init__(min_batch_size=config.min_batch_size, max_batch_size=config.max_batch_size,
                         max_batch_weight=weight, element_size_fn=size_fn)
        self.config = config
        self._metrics: dict[str, Any] | None = None
        self._unknown: UnknownTypeCounter | None = None
        # Names this handler's copy counter on each worker host (see load_model).
        self._placement_tag = f"beam_pii_copies_{uuid.uuid4().hex}"

    # --- Beam hooks -------------------------------------------------------------------------
    def load_model(self) -> Verifier:
        """Copy i of `model_copies` N goes on cuda:i (mod the GPUs the worker sees)."""
        config = self.config
        if (config.model_copies or 1) > 1:
            from beam_pii.inference.backends.placement import copy_device, next_copy_index
            config = config.replace(device=copy_device(config, next_copy_index(self._placement_tag)))
        verifier = Verifier.load(config)
        _append_load_log(verifier)
        return verifier

    def run_inference(self, batch: Sequence[VerificationRequest], model: Verifier,
                      inference_args: Optional[dict[str, Any]] = None
                      ) -> Iterable[VerificationResult]:
        results = self._verify_splitting(list(batch), model)
        self._record_metrics(results)
        return results

    def sort_and_batch_kwargs(self) -> dict[str, Any]:
        """The batching declared in `__init__`, as `beam.SortAndBatchElements` takes it."""
        return dict(self._batching_kwargs)

    def batch_elements_kwargs(self) -> Mapping[str, Any]:
        """For `RunInference(handler)` used directly, without `VerifyPII`.

        Beam 2.77's RunInference passes these to `BatchElements`, which has no
        `max_batch_weight` (a TypeError); there `max_batch_size` is the weight limit when an
        `element_size_fn` is given. Same limits, without the sorting `VerifyPII` adds.
        """
        kwargs = self._batching_kwargs
        return {"min_batch_size": 1, "max_batch_size": kwargs["max_batch_weight"],
                "element_size_fn": kwargs["element_size_fn"]}

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
        except Exception as exc:  # noqa: BLE001 - routed per record, or raised as WorkerFailure
            self._raise_if_worker_failed(exc, batch, model)
            if len(batch) == 1:
                _LOG.warning("record %s failed scoring: %s", batch[0].record_id, type(exc).__name__)
                return [failed_result(batch[0], exc, model.describe())]
            _LOG.warning("batch of %d failed (%s); retrying in halves", len(batch), type(exc).__name__)
            middle = len(batch) // 2
            return (self._verify_splitting(batch[:middle], model)
                    + self._verify_splitting(batch[middle:], model))

    def _raise_if_worker_failed(self, exc: Exception, batch: Sequence[VerificationRequest],
                                model: Verifier) -> None:
        """Raise `WorkerFailure` unless the failure can belong to the records of `batch`.

        Fatal errors raise at once. Any other failure is followed by one health check (after
        freeing cached memory, for out-of-memory): a worker that cannot score a fixed short
        text is broken, whatever the records hold.
        """
        if is_out_of_memory(exc):
            _release_memory(model)
        reason = "fatal error" if is_fatal(exc) else None
        if reason is None:
            try:
                model.health_check()
            except Exception as check:  # noqa: BLE001 - any failure here means a broken worker
                reason = f"health check failed too ({type(check).__name__})"
        if reason is not None:
            _LOG.error("worker-level scoring failure (%s): %s; %d records left for the runner to "
                       "retry", reason, type(exc).__name__, len(batch))
            raise WorkerFailure(f"worker-level scoring failure ({reason}): {type(exc).__name__}; "
                                f"{len(batch)} record(s) left for the runner to retry") from exc

    def _record_metrics(self, results: Sequence[VerificationResult]) -> None:
        """Counters from the results alone: through Beam's shared-model proxy only the model's
        methods are reachable, never its attributes."""
        if self._metrics is None:
            ns = METRICS_NAMESPACE
            self._metrics = {name: Metrics.counter(ns, name) for name in (
                "model_records", "model_candidates", "verified", "rejected", "unknown_types",
                "scoring_failed", "truncated", "truncated_kept", "instructions_screened",
                "reasons_failed", "explained", "reasons_generated", "reasons_fallback",
                "evidence_none")}
            self._metrics["latency_ms"] = Metrics.distribution(ns, "latency_ms")
            self._unknown = UnknownTypeCounter(Catalog.load(self.config.catalog_path))
        m, unknown = self._metrics, self._unknown
        for result in results:
            m["model_records"].inc()
            m["model_candidates"].inc(len(result.request.pending))
            # Counted whether or not scoring worked: the name is unknown either way (and kept).
            m["unknown_types"].inc(unknown.count(result.request.pending))
            if result.error is not None:
                m["scoring_failed"].inc()
                continue
            m["truncated"].inc(int(result.truncated))
            m["instructions_screened"].inc(int(result.instructions_screened > 0))
            m["latency_ms"].update(int(result.latency_ms))
            for d in result.decisions:
                m["truncated_kept"].inc(int(d.source == TRUNCATED_SOURCE))
                if d.source == "model":
                    m["verified" if d.verified else "rejected"].inc()
                    if wants_reason(d, self.config.explain):
                        self._count_explanation(d)

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


def _release_memory(model: Verifier) -> None:
    """Free cached accelerator memory where the model lives (a method call: through Beam's
    shared-model proxy it runs in the owning process). Best effort: never masks the failure."""
    try:
        released = model.release_memory()
        _LOG.warning("out of memory: released %d MiB of cached accelerator memory in process %s",
                     int(released.get("freed_bytes", 0)) // 2 ** 20, released.get("pid"))
    except Exception as exc:  # noqa: BLE001
        _LOG.warning("releasing accelerator memory failed: %s", type(exc).__name__)


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

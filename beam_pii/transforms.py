"""`VerifyPII`: the composite transform users embed in their Beam jobs.

    results = records | VerifyPII(VerifierConfig(threshold=0.5))
    results.verified, results.clean, results.failed   # three PCollections of dicts

Every input element leaves through exactly one door. Records are parsed and validated before
inference (a malformed record goes to `failed` and never shares a batch with good ones), then
reshuffled so inference spreads over all workers;
deterministic validators decide what they can with certainty; records with nothing left for
the model skip it; batch-level inference failures are expanded back to one failed record each.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Iterable, NamedTuple

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.ml.inference.base import PredictionResult, RunInference

from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.handler import METRICS_NAMESPACE, PIIVerificationModelHandler
from beam_pii.records import (
    Decision, InvalidRecord, RecordError, VerificationRequest, VerificationResult, parse_request,
    record_id_of, result_to_dict)
from beam_pii.validators import ValidatorSet

_LOG = logging.getLogger(__name__)
VERIFIED, CLEAN, FAILED = "verified", "clean", "failed"
DOORS = (VERIFIED, CLEAN, FAILED)
_NEEDS_MODEL, _NO_MODEL = "needs_model", "no_model"


class VerifyPIIResult(NamedTuple):
    """The three doors, as PCollections of output dicts."""

    verified: beam.PCollection
    clean: beam.PCollection
    failed: beam.PCollection


class ParseAndPrevalidate(beam.DoFn):
    """Record -> request with validator decisions, or a dead-letter error. Never raises."""

    def __init__(self, config: VerifierConfig):
        self._config = config
        self._validators: ValidatorSet | None = None
        self._input = Metrics.counter(METRICS_NAMESPACE, "records_in")
        self._invalid = Metrics.counter(METRICS_NAMESPACE, "records_invalid")
        self._validator_rejected = Metrics.counter(METRICS_NAMESPACE, "validator_rejected")

    def setup(self) -> None:
        catalog = Catalog.load(self._config.catalog_path)
        self._validators = ValidatorSet(self._config.validators, catalog)

    def process(self, element: Any) -> Iterable[Any]:
        self._input.inc()
        if isinstance(element, RecordError):
            self._invalid.inc()
            yield beam.pvalue.TaggedOutput(FAILED, element)
            return
        try:
            request = parse_request(element)
            request = self._prevalidate(request)
        except InvalidRecord as exc:
            self._invalid.inc()
            yield beam.pvalue.TaggedOutput(FAILED, RecordError(
                error=str(exc), record=_safe_dict(element), record_id=record_id_of(element)))
            return
        except Exception as exc:  # noqa: BLE001 - a validator bug must not lose the record
            self._invalid.inc()
            _LOG.warning("record %s failed validation: %s", record_id_of(element), type(exc).__name__)
            yield beam.pvalue.TaggedOutput(FAILED, RecordError(
                error=f"validation failed: {type(exc).__name__}", record=_safe_dict(element),
                record_id=record_id_of(element), stage="validate"))
            return
        # The main output (needs the model) must be yielded untagged: a TaggedOutput named
        # like the main tag goes nowhere, silently.
        yield request if request.pending else beam.pvalue.TaggedOutput(_NO_MODEL, request)

    def _prevalidate(self, request: VerificationRequest) -> VerificationRequest:
        assert self._validators is not None
        if not request.piis or not self._validators.names:
            return request
        decided = []
        for pii in request.piis:
            rejection = self._validators.check(request.text, pii)
            if rejection is not None:
                self._validator_rejected.inc()
                decided.append(Decision(pii=pii, verified=False, confidence=0.0,
                                        source=f"validator:{rejection.validator}",
                                        reason=rejection.reason))
        return VerificationRequest(record_id=request.record_id, text=request.text,
                                   piis=request.piis, record=request.record, decided=tuple(decided))


def _safe_dict(element: Any) -> dict[str, Any] | None:
    if isinstance(element, dict):
        return element
    as_dict = getattr(element, "_asdict", None)
    return dict(as_dict()) if callable(as_dict) else {"value": repr(element)[:1000]}


def _decided_without_model(request: VerificationRequest, config: VerifierConfig) -> VerificationResult:
    from beam_pii.inference.verifier import merge_decisions
    return VerificationResult(
        request=request, decisions=merge_decisions(request, {}),
        model={"id": config.model_id, "backend": "none", "dtype": "none", "device": "none"},
        latency_ms=0.0)


def _failed_batch_to_errors(failure: Any, timeout_s: float | None = None) -> Iterable[RecordError]:
    """RunInference's dead letter holds (batch, error): one failed record per request."""
    batch, error = failure[0], failure[1]
    if isinstance(error, tuple) and error:
        name = getattr(error[0], "__name__", str(error[0]))
        detail = str(error[1]) if len(error) > 1 else ""
        if name == "TimeoutError" and timeout_s:
            detail = f"the batch of {len(batch)} took longer than inference_timeout_s={timeout_s:g}"
        message = f"inference failed: {name}: {detail}"
    elif isinstance(error, BaseException):
        message = f"inference failed: {type(error).__name__}: {error}"
        _LOG.debug("%s", "".join(traceback.format_exception_only(type(error), error)))
    else:
        message = f"inference failed: {error}"
    for request in batch:
        yield RecordError(error=message[:500], record=dict(request.record),
                          record_id=request.record_id, stage="inference")


class RouteResults(beam.DoFn):
    """Result -> output dict on its door: verified (some type kept), clean, or failed."""

    def __init__(self) -> None:
        self._doors = {door: Metrics.counter(METRICS_NAMESPACE, f"records_{door}") for door in DOORS}

    def process(self, element: Any) -> Iterable[Any]:
        if isinstance(element, PredictionResult):
            element = element.inference
        if isinstance(element, RecordError):
            self._doors[FAILED].inc()
            yield beam.pvalue.TaggedOutput(FAILED, element.to_dict())
            return
        assert isinstance(element, VerificationResult)
        output = result_to_dict(element)
        if element.error is not None:
            output["error"] = element.error
            output["error_stage"] = "inference"
            self._doors[FAILED].inc()
            yield beam.pvalue.TaggedOutput(FAILED, output)
        elif output["verified_piis"]:
            self._doors[VERIFIED].inc()
            yield beam.pvalue.TaggedOutput(VERIFIED, output)
        else:
            self._doors[CLEAN].inc()
            yield beam.pvalue.TaggedOutput(CLEAN, output)


class VerifyPII(beam.PTransform):
    """Verify every flagged PII type of every record; returns `VerifyPIIResult`.

    Input: a PCollection of dicts (or `beam.Row`s) with `recordId`, `input`, `PIIs`, or
    `RecordError`s from `ReadRecords`. Any other field passes through untouched.
    """

    def __init__(self, config: VerifierConfig | None = None, *, label: str | None = None,
                 handler: PIIVerificationModelHandler | None = None, **overrides: Any):
        """`handler` replaces the default model handler (e.g. a subclass that wraps the model)."""
        super().__init__(label)
        base = handler.config if handler is not None else (config or VerifierConfig())
        self.config = base.replace(**overrides) if overrides else base
        self.handler = handler or PIIVerificationModelHandler(self.config)

    def expand(self, records: beam.PCollection) -> VerifyPIIResult:
        config = self.config
        parsed = records | "ParseAndPrevalidate" >> beam.ParDo(
            ParseAndPrevalidate(config)).with_outputs(FAILED, _NO_MODEL, main=_NEEDS_MODEL)
        # Reshuffle: parsing is fused with reading, and one gzip file is read by one worker;
        # after it, inference spreads over every worker. Then Beam's SortAndBatchElements with
        # the handler's declared limits (records, estimated tokens): each bundle sorted by
        # weight, so a batch holds records of similar length; RunInference takes the batches
        # as they are (`with_no_batching`).
        batches = (parsed[_NEEDS_MODEL]
                   | "Reshuffle" >> beam.Reshuffle()
                   | "SortAndBatch" >> beam.SortAndBatchElements(**self.handler.sort_and_batch_kwargs()))
        inferred, dead_letter = (
            batches
            | "RunInference" >> RunInference(self.handler.with_no_batching()).with_exception_handling(
                timeout=config.inference_timeout_s))
        direct = parsed[_NO_MODEL] | "DecidedWithoutModel" >> beam.Map(_decided_without_model, config)
        batch_failures = dead_letter.failed_inferences | "ExpandFailedBatches" >> beam.FlatMap(
            _failed_batch_to_errors, config.inference_timeout_s)
        routed = (
            (inferred, direct, batch_failures, parsed[FAILED])
            | "Gather" >> beam.Flatten()
            | "Route" >> beam.ParDo(RouteResults()).with_outputs(VERIFIED, CLEAN, FAILED))
        return VerifyPIIResult(routed[VERIFIED], routed[CLEAN], routed[FAILED])


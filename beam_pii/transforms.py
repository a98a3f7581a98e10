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

import dataclasses
import logging
import traceback
from typing import Any, Iterable, NamedTuple

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.ml.inference.base import PredictionResult, RunInference

from beam_pii import progress
from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.handler import METRICS_NAMESPACE, PIIVerificationModelHandler
from beam_pii.fields import DEFAULT_FIELDS, FieldMap, plain
from beam_pii.records import (
    Decision, InvalidRecord, RecordError, VerificationRequest, VerificationResult, clashing_fields,
    parse_request, record_id_of, result_to_dict)
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
        self._fields = config.fields
        self._catalog: Catalog | None = None
        self._validators: ValidatorSet | None = None
        self._input = Metrics.counter(METRICS_NAMESPACE, "records_in")
        self._invalid = Metrics.counter(METRICS_NAMESPACE, "records_invalid")
        self._validator_rejected = Metrics.counter(METRICS_NAMESPACE, "validator_rejected")

    def setup(self) -> None:
        self._catalog = Catalog.load(self._config.catalog_path)
        self._validators = ValidatorSet(self._config.validators, self._catalog)

    def process(self, element: Any) -> Iterable[Any]:
        self._input.inc()
        progress.count("read")
        if isinstance(element, RecordError):
            self._invalid.inc()
            yield beam.pvalue.TaggedOutput(FAILED, element)
            return
        fields = self._fields
        try:
            request = parse_request(element, fields, self._catalog)
            request = self._prevalidate(request)
        except InvalidRecord as exc:  # a missing or malformed mapped field: the message names it
            self._invalid.inc()
            yield beam.pvalue.TaggedOutput(FAILED, RecordError(
                error=str(exc), record=_safe_dict(element), record_id=record_id_of(element, fields),
                stage="validate"))
            return
        except Exception as exc:  # noqa: BLE001 - a validator bug must not lose the record
            self._invalid.inc()
            rid = record_id_of(element, fields)
            _LOG.warning("record %s failed validation: %s", rid, type(exc).__name__)
            yield beam.pvalue.TaggedOutput(FAILED, RecordError(
                error=f"validation failed: {type(exc).__name__}", record=_safe_dict(element),
                record_id=rid, stage="validate"))
            return
        # The main output (needs the model) must be yielded untagged: a TaggedOutput named
        # like the main tag goes nowhere, silently.
        yield request if request.pending else beam.pvalue.TaggedOutput(_NO_MODEL, request)

    def finish_bundle(self) -> None:
        progress.flush()

    def _prevalidate(self, request: VerificationRequest) -> VerificationRequest:
        assert self._validators is not None
        if not request.piis or not self._validators.names:
            return request
        decided = []
        for pii in request.piis:
            rejection = self._validators.check(request.text, pii)
            if rejection is not None and request.texts and any(
                    self._validators.check(value, pii) is None for _, value in request.texts):
                # Several text fields: a rejection must also hold for each field's value on its
                # own (JSON decoding and label context work per field), else the model decides.
                rejection = None
            if rejection is not None:
                self._validator_rejected.inc()
                decided.append(Decision(pii=pii, verified=False, confidence=0.0,
                                        source=f"validator:{rejection.validator}",
                                        reason=rejection.reason))
        return dataclasses.replace(request, decided=tuple(decided))


def _safe_dict(element: Any) -> dict[str, Any] | None:
    if isinstance(element, dict) or callable(getattr(element, "_asdict", None)):
        return plain(element)  # nested rows as dicts, so the dead letter keeps their names
    return {"value": repr(element)[:1000]}


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

    def __init__(self, fields: FieldMap = DEFAULT_FIELDS) -> None:
        self._fields = fields
        self._doors = {door: Metrics.counter(METRICS_NAMESPACE, f"records_{door}") for door in DOORS}
        self._clashes = Metrics.counter(METRICS_NAMESPACE, "output_field_clashes")
        self._warned_clash = False

    def process(self, element: Any) -> Iterable[Any]:
        fields = self._fields
        if isinstance(element, PredictionResult):
            element = element.inference
        if isinstance(element, RecordError):
            self._route(FAILED)
            yield beam.pvalue.TaggedOutput(FAILED, element.to_dict(fields))
            return
        assert isinstance(element, VerificationResult)
        self._check_clash(element)
        output = result_to_dict(element, fields)
        if element.error is not None:
            output[fields.out("error")] = element.error
            output[fields.out("error_stage")] = "inference"
            self._route(FAILED)
            yield beam.pvalue.TaggedOutput(FAILED, output)
        elif output[fields.out("verified_piis")]:
            self._route(VERIFIED)
            yield beam.pvalue.TaggedOutput(VERIFIED, output)
        else:
            self._route(CLEAN)
            yield beam.pvalue.TaggedOutput(CLEAN, output)

    def _route(self, door: str) -> None:
        self._doors[door].inc()
        progress.count(door)

    def finish_bundle(self) -> None:
        progress.flush()

    def _check_clash(self, result: VerificationResult) -> None:
        """Our output fields overwrite the user's fields of the same name: count it and say so
        once per worker (field names only), pointing at `output_prefix`."""
        clashes = clashing_fields(result.request.record, self._fields)
        if clashes:
            self._clashes.inc()
            if not self._warned_clash:
                self._warned_clash = True
                _LOG.warning("records already have fields %s, which beam-pii's output replaces; "
                             "set output_prefix (--output_prefix) to keep both", clashes)


class VerifyPII(beam.PTransform):
    """Verify every flagged PII type of every record; returns `VerifyPIIResult`.

    Input: a PCollection of dicts (or `beam.Row`s) with an id, a text and the flagged types
    (by default `recordId`, `input`, `PIIs`; `id_field`, `text_fields`, `types_field` map
    other names and dotted paths), or `RecordError`s from `ReadRecords`. The user's fields
    pass through untouched; ours are added (behind `output_prefix` if set).

        records | VerifyPII(id_field="meta.id", text_fields=("subject", "body"), types_field="detected")
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
            | "Route" >> beam.ParDo(RouteResults(config.fields)).with_outputs(VERIFIED, CLEAN, FAILED))
        return VerifyPIIResult(routed[VERIFIED], routed[CLEAN], routed[FAILED])


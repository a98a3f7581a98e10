"""`evaluate`: results + labels -> `EvaluationReport`.

    results = load_results("out/")
    labels = load_labels("data/dev.jsonl")          # or None: use each result's own `labels`
    report = evaluate(results, labels)
    report.write("report/")                         # report.md, metrics.json, *.png
    threshold = choose_threshold(report, min_recall=0.97)
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Iterable, Mapping, Sequence

from beam_pii_tools.evaluation.candidates import JSON_INPUT, TEXT_INPUT, Candidate, join
from beam_pii_tools.evaluation.metrics import (confusion, group_row, grouped,
                                               metrics_from_confusion, pr_curve, score_metrics,
                                               source_row)
from beam_pii_tools.evaluation.report import EvaluationReport
from beam_pii_tools.evaluation.results import load_labels, load_results
from beam_pii_tools.evaluation.taxonomy import HIGH_TIER, NOT_IN_TAXONOMY, OTHER_TIER, Taxonomy
from beam_pii_tools.evaluation.threshold import DEFAULT_THRESHOLDS, sweep

__all__ = ["evaluate", "default_taxonomy"]

_LOG = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy over the built-in catalog, read once per process."""
    return Taxonomy.load()


def _in_order(cands: Sequence[Candidate], keys: Callable[[Candidate], Iterable[str]],
              order: Sequence[str]) -> dict[str, dict[str, Any]]:
    """A group table with every group of `order` (empty ones too: a gap in the evaluation
    data should show), then any other group met."""
    rows = grouped(cands, keys)
    return {**{name: rows.get(name) or group_row([]) for name in order}, **rows}


def evaluate(results: Sequence[Mapping[str, Any]] | str,
             labels: Mapping[str, Mapping[str, bool]] | str | None = None, *,
             allow_partial: bool = False, thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
             taxonomy: Taxonomy | None = None) -> EvaluationReport:
    """Score pipeline results against labels.

    ``results``: records from :func:`load_results` (or a path). ``labels``:
    ``{recordId: {type: bool}}`` (or a path for :func:`load_labels`); ``None`` uses each
    result's own ``labels`` field. Records are joined on ``recordId``; unless
    ``allow_partial``, any result without labels, any labelled record without a result and
    any flagged type without a label raises :class:`LabelMismatchError`. ``taxonomy`` places
    flags in the users' categories (default: the shipped one)."""
    if isinstance(results, str):
        results = load_results(results)
    if isinstance(labels, str):
        labels = load_labels(labels)
    joined = join(results, labels, allow_partial=allow_partial)
    if joined.summary["results_without_id"]:
        _LOG.warning("evaluate: %d result record(s) without a recordId were ignored",
                     joined.summary["results_without_id"])
    cands = joined.candidates
    taxonomy = taxonomy or default_taxonomy()
    auc, calibration = score_metrics(cands)
    counts = {
        "records": joined.records, "failed_records": joined.failed_records,
        "failed_candidates": joined.failed_candidates, "candidates": len(cands),
        "positives": sum(1 for c in cands if c.label),
        "negatives": sum(1 for c in cands if not c.label),
        "model_scored": sum(1 for c in cands if c.tunable),
        "by_door": joined.by_door, "duplicate_results": joined.duplicates,
    }
    return EvaluationReport(
        overall=metrics_from_confusion(confusion((c.label, c.kept) for c in cands)),
        per_type=grouped(cands, lambda c: (c.pii,)),
        per_source=grouped(cands, lambda c: (c.source,), source_row),
        threshold_sweep=sweep(cands, thresholds), roc_auc=auc, calibration=calibration,
        counts=counts, join=joined.summary, pr_curve=pr_curve(cands), candidates=cands,
        per_category=_in_order(cands, lambda c: taxonomy.categories_of(c.pii),
                               taxonomy.categories + [NOT_IN_TAXONOMY]),
        per_input_kind=_in_order(cands, lambda c: (c.input_kind,), (JSON_INPUT, TEXT_INPUT)),
        per_sensitivity=_in_order(cands, lambda c: (taxonomy.tier_of(c.pii),),
                                  (HIGH_TIER, OTHER_TIER)))

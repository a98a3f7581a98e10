"""Re-thresholding model decisions: the sweep, and the threshold that holds a PII-recall target.

Only model decisions move with the threshold; validator rejections, failed records and
undecided flags stay as the pipeline decided them, so every figure here is what the pipeline
would report if run again with that `--threshold`.
"""
from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from beam_pii_tools.evaluation.candidates import Candidate
from beam_pii_tools.evaluation.metrics import confusion, metrics_from_confusion

if TYPE_CHECKING:  # pragma: no cover
    from beam_pii_tools.evaluation.report import EvaluationReport

__all__ = ["DEFAULT_THRESHOLDS", "kept_at", "sweep", "exact_threshold", "choose_threshold"]

_LOG = logging.getLogger(__name__)

DEFAULT_THRESHOLDS: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 20))
_SWEEP_FIELDS = ("precision", "recall", "f1", "fp_rejection_rate", "accuracy", "tp", "fp", "tn", "fn")


def kept_at(cand: Candidate, threshold: float) -> bool:
    """Whether the flag would be kept at `threshold` (fixed decisions do not move)."""
    return cand.confidence >= threshold if cand.tunable else cand.kept  # type: ignore[operator]


def sweep(cands: Sequence[Candidate], thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """Metrics when model decisions are re-thresholded; other decisions stay fixed."""
    rows = []
    for threshold in thresholds:
        m = metrics_from_confusion(confusion((c.label, kept_at(c, threshold)) for c in cands))
        rows.append({"threshold": round(float(threshold), 4), **{k: m[k] for k in _SWEEP_FIELDS}})
    return rows


def exact_threshold(cands: Sequence[Candidate], min_recall: float) -> float | None:
    """The highest threshold, taken from the model's own scores, whose PII recall is at least
    ``min_recall`` (None when even keeping every model-scored flag falls short).

    One sort, no sweep: recall only moves with the model-scored positives, so the answer is the
    score of the k-th best of them, k being how many are needed on top of the fixed decisions.
    The returned value sits a hair below that score so batching noise in the last float digits
    cannot move a candidate across it."""
    positives = sum(1 for c in cands if c.label)
    tunable = [c for c in cands if c.tunable]
    if not positives or not tunable:
        return None
    fixed_tp = sum(1 for c in cands if c.label and not c.tunable and c.kept)
    needed = math.ceil(min_recall * positives - 1e-9) - fixed_tp
    if needed <= 0:  # the fixed decisions suffice: the highest score keeps recall
        return max(c.confidence for c in tunable) * (1 - 1e-3)  # type: ignore[type-var]
    scores = sorted((c.confidence for c in tunable if c.label), reverse=True)  # type: ignore[misc]
    if needed > len(scores):
        return None
    return float(scores[needed - 1]) * (1 - 1e-3)


def choose_threshold(report_or_results: "EvaluationReport | Sequence[Mapping[str, Any]] | str",
                     min_recall: float = 0.97, *, labels: Any = None, allow_partial: bool = False,
                     thresholds: Sequence[float] | None = None) -> float:
    """The highest threshold whose PII recall is at least ``min_recall``.

    Accepts a report or results (evaluated with ``labels``, default: the results' own
    labels). With ``thresholds`` given, the sweep is recomputed on that grid; otherwise the
    report's sweep grid is used. When no grid threshold reaches ``min_recall`` the exact one
    from the model's scores is returned, and when none at all does, the lowest of the grid
    (with a warning)."""
    from beam_pii_tools.evaluation.evaluate import evaluate
    from beam_pii_tools.evaluation.report import EvaluationReport

    if isinstance(report_or_results, EvaluationReport):
        report = report_or_results
    else:
        report = evaluate(report_or_results, labels, allow_partial=allow_partial,
                          thresholds=thresholds or DEFAULT_THRESHOLDS)
    rows = sweep(report.candidates, thresholds) if thresholds is not None and report.candidates \
        else report.threshold_sweep
    if not rows:
        raise ValueError("no thresholds to choose from")
    reaching = [r["threshold"] for r in rows if r["recall"] is not None and r["recall"] >= min_recall]
    if reaching:
        return float(max(reaching))
    exact = exact_threshold(report.candidates, min_recall)
    if exact is not None:  # a sharply peaked model: the grid is too coarse near zero
        _LOG.warning("no grid threshold reaches PII recall %.3f; using %.3g from the scores themselves",
                     min_recall, exact)
        return exact
    lowest = float(min(r["threshold"] for r in rows))
    _LOG.warning("no threshold reaches PII recall %.3f; returning the lowest (%.2f)", min_recall, lowest)
    return lowest

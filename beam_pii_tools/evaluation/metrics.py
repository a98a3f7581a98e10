"""Metrics over candidates: confusion counts, group tables, and the score-based curves.

The confusion counts and group tables are plain counting. ROC-AUC, the precision-recall curve
and the calibration bins come from scikit-learn. Only model decisions carry a score that a
threshold moves; validator rejections, failed records and undecided flags are fixed, so the
curves are computed with pipeline semantics (see `pr_curve`).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from beam_pii_tools.evaluation.candidates import Candidate

__all__ = ["confusion", "metrics_from_confusion", "group_row", "source_row", "grouped",
           "roc_auc", "pr_curve", "calibration", "score_metrics", "MAX_CURVE_POINTS"]

MAX_CURVE_POINTS = 400  # keeps metrics.json small on large evaluations
# Scores that put fixed decisions outside every model threshold in [0, 1].
_ALWAYS_KEPT, _NEVER_KEPT = 2.0, -1.0


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def confusion(pairs: Iterable[tuple[bool, bool]]) -> dict[str, int]:
    """TP/FP/TN/FN from (label, kept) pairs; positive = is PII, predicted positive = kept."""
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for label, kept in pairs:
        if kept:
            counts["tp" if label else "fp"] += 1
        else:
            counts["fn" if label else "tn"] += 1
    return counts


def metrics_from_confusion(c: Mapping[str, int]) -> dict[str, Any]:
    """Rates from counts; a rate whose denominator is zero is None (reported as n/a), never 0."""
    tp, fp, tn, fn = c["tp"], c["fp"], c["tn"], c["fn"]
    n = tp + fp + tn + fn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"n": n, "tp": tp, "fp": fp, "tn": tn, "fn": fn,
            "accuracy": _ratio(tp + tn, n), "precision": precision, "recall": recall, "f1": f1,
            "pii_recall": recall, "fp_rejection_rate": _ratio(tn, tn + fp)}


def _decided(cands: Iterable[Candidate]) -> dict[str, Any]:
    return metrics_from_confusion(confusion((c.label, c.kept) for c in cands))


def group_row(cands: Sequence[Candidate]) -> dict[str, Any]:
    """One row of a per-type/per-category/per-kind table: support, F1, recall, FP rejection."""
    m = _decided(cands)
    return {"support": m["n"], "positives": m["tp"] + m["fn"], "negatives": m["tn"] + m["fp"],
            "f1": m["f1"], "recall": m["recall"], "fp_rejection_rate": m["fp_rejection_rate"],
            "precision": m["precision"], "accuracy": m["accuracy"],
            "tp": m["tp"], "fp": m["fp"], "tn": m["tn"], "fn": m["fn"]}


def source_row(cands: Sequence[Candidate]) -> dict[str, Any]:
    """One row of the per-source table: how often a source keeps or rejects, and how right."""
    m = _decided(cands)
    kept, rejected = m["tp"] + m["fp"], m["tn"] + m["fn"]
    return {"decisions": m["n"], "kept": kept, "rejected": rejected, "accuracy": m["accuracy"],
            "precision_of_keeps": _ratio(m["tp"], kept),
            "precision_of_rejections": _ratio(m["tn"], rejected),
            "tp": m["tp"], "fp": m["fp"], "tn": m["tn"], "fn": m["fn"]}


def grouped(cands: Sequence[Candidate], keys: Callable[[Candidate], Iterable[str]],
            row: Callable[[Sequence[Candidate]], dict[str, Any]] = group_row
            ) -> dict[str, dict[str, Any]]:
    """A table keyed by group; `keys` may put a candidate in several groups (a type in two of
    the users' categories counts in both)."""
    groups: dict[str, list[Candidate]] = {}
    for cand in cands:
        for key in keys(cand):
            groups.setdefault(key, []).append(cand)
    return {key: row(members) for key, members in groups.items()}


def _scored(cands: Sequence[Candidate]) -> tuple[list[float], list[bool]]:
    scored = [c for c in cands if c.tunable]
    return [float(c.confidence) for c in scored], [c.label for c in scored]  # type: ignore[arg-type]


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """ROC-AUC of the scores (ties count half); None when a class is absent."""
    if not labels or all(labels) or not any(labels):
        return None
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(list(labels), list(scores)))


def pr_curve(cands: Sequence[Candidate], max_points: int = MAX_CURVE_POINTS) -> list[dict[str, float]]:
    """(threshold, precision, recall) at every distinct model confidence, pipeline semantics.

    Fixed decisions get scores outside [0, 1] (kept: above every threshold, rejected: below),
    so scikit-learn's curve moves only the model decisions; the points outside [0, 1] are
    dropped. Empty when nothing is model-scored or there is no positive (recall undefined)."""
    if not any(c.tunable for c in cands) or not any(c.label for c in cands):
        return []
    from sklearn.metrics import precision_recall_curve

    scores = [float(c.confidence) if c.tunable else (_ALWAYS_KEPT if c.kept else _NEVER_KEPT)
              for c in cands]
    precision, recall, thresholds = precision_recall_curve([c.label for c in cands], scores)
    points = [{"threshold": float(t), "precision": float(p), "recall": float(r)}
              for p, r, t in zip(precision, recall, thresholds) if 0.0 <= t <= 1.0]
    if len(points) > max_points:
        step = len(points) / max_points
        keep = sorted({int(i * step) for i in range(max_points)} | {0, len(points) - 1})
        points = [points[i] for i in keep]
    return points


def calibration(scores: Sequence[float], labels: Sequence[bool], n_bins: int = 10) -> dict[str, Any]:
    """Reliability bins of the model confidences (scikit-learn's uniform bins, closed on the
    right: 0.2 falls in 0.1–0.2) and the expected calibration error over them."""
    import numpy as np

    edges = np.linspace(0.0, 1.0, n_bins + 1)
    probs = np.asarray(scores, dtype=float)
    # scikit-learn returns only the non-empty bins; their counts come from the same binning.
    counts = np.bincount(np.searchsorted(edges[1:-1], probs), minlength=n_bins)
    rates: list[float] = []
    means: list[float] = []
    if len(probs):
        from sklearn.calibration import calibration_curve
        true_rate, mean_prob = calibration_curve(np.asarray(labels, dtype=int), probs,
                                                 n_bins=n_bins, strategy="uniform")
        rates, means = true_rate.tolist(), mean_prob.tolist()
    bins, filled, ece = [], 0, 0.0
    for index in range(n_bins):
        n = int(counts[index])
        mean_conf = positive_rate = None
        if n:
            mean_conf, positive_rate = means[filled], rates[filled]
            filled += 1
            ece += n / len(probs) * abs(positive_rate - mean_conf)
        bins.append({"lo": round(float(edges[index]), 2), "hi": round(float(edges[index + 1]), 2),
                     "n": n, "mean_confidence": mean_conf, "positive_rate": positive_rate})
    return {"bins": bins, "ece": ece if len(probs) else None, "n": int(len(probs))}


def score_metrics(cands: Sequence[Candidate]) -> tuple[float | None, dict[str, Any]]:
    """ROC-AUC and calibration of the model-scored candidates."""
    scores, labels = _scored(cands)
    return roc_auc(scores, labels), calibration(scores, labels)

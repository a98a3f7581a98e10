"""`EvaluationReport`: every figure of one evaluation, and the files it writes."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from beam_pii_tools.evaluation.candidates import Candidate

__all__ = ["EvaluationReport", "REPORT_FILES"]

REPORT_FILES = {"report": "report.md", "metrics": "metrics.json",
                "confusion_matrix": "confusion_matrix.png", "pr_curve": "pr_curve.png",
                "reliability": "reliability.png"}


@dataclass
class EvaluationReport:
    """Overall metrics and the tables per type, source, category, input kind and tier.

    Group tables map a group's name to a row of `metrics.group_row` (support, F1, recall, FP
    rejection, …); `candidates` keeps the joined flags so thresholds can be re-chosen."""

    overall: dict[str, Any]
    per_type: dict[str, dict[str, Any]]
    per_source: dict[str, dict[str, Any]]
    threshold_sweep: list[dict[str, Any]]
    roc_auc: float | None
    calibration: dict[str, Any]
    counts: dict[str, Any]
    join: dict[str, Any]
    pr_curve: list[dict[str, float]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list, repr=False)
    per_category: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_input_kind: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_sensitivity: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        return self.overall["accuracy"]

    @property
    def precision(self) -> float | None:
        return self.overall["precision"]

    @property
    def recall(self) -> float | None:
        return self.overall["recall"]

    @property
    def f1(self) -> float | None:
        return self.overall["f1"]

    @property
    def pii_recall(self) -> float | None:
        return self.overall["pii_recall"]

    @property
    def fp_rejection_rate(self) -> float | None:
        return self.overall["fp_rejection_rate"]

    @property
    def confusion(self) -> dict[str, int]:
        return {k: self.overall[k] for k in ("tp", "fp", "tn", "fn")}

    def to_dict(self) -> dict[str, Any]:
        """Everything but the candidates, as metrics.json holds it."""
        return {"overall": self.overall, "counts": self.counts, "join": self.join,
                "roc_auc": self.roc_auc, "calibration": self.calibration,
                "per_type": self.per_type, "per_source": self.per_source,
                "per_category": self.per_category, "per_input_kind": self.per_input_kind,
                "per_sensitivity": self.per_sensitivity,
                "threshold_sweep": self.threshold_sweep, "pr_curve": self.pr_curve}

    def to_markdown(self) -> str:
        from beam_pii_tools.evaluation.markdown import report_markdown
        return report_markdown(self)

    def summary_markdown(self) -> str:
        """The overall table beside the per-input, per-tier and per-category tables."""
        from beam_pii_tools.evaluation.markdown import summary_markdown
        return summary_markdown(self)

    def write(self, out_dir: str) -> dict[str, str]:
        """Write report.md, metrics.json and the PNG plots; returns their paths."""
        from beam_pii_tools.evaluation import plots

        os.makedirs(out_dir, exist_ok=True)
        paths = {key: os.path.join(out_dir, name) for key, name in REPORT_FILES.items()}
        with open(paths["report"], "w", encoding="utf-8") as fh:
            fh.write(self.to_markdown())
        with open(paths["metrics"], "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, indent=2, ensure_ascii=False)
        plots.confusion_matrix(self, paths["confusion_matrix"])
        plots.precision_recall(self, paths["pr_curve"])
        plots.reliability(self, paths["reliability"])
        return paths

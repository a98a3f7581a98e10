"""Evaluating pipeline results against labels: metrics, threshold choice, reports with plots.

    results.py     reading result folders and label files (JSONL, Parquet), row normalisation
    candidates.py  the join of results with labels into one candidate per flagged type
    taxonomy.py    the users' categories and sensitivity tiers of a flag
    metrics.py     confusion counts, group tables; ROC-AUC, PR curve, calibration (scikit-learn)
    threshold.py   the threshold sweep and the threshold that holds a recall target
    evaluate.py    `evaluate`: results + labels -> EvaluationReport
    report.py      `EvaluationReport` and the files it writes
    markdown.py    report.md;  plots.py: the PNGs (matplotlib, Agg)
    cli.py         `beam-pii evaluate`
"""
from beam_pii_tools.evaluation.candidates import Candidate, LabelMismatchError
from beam_pii_tools.evaluation.evaluate import evaluate
from beam_pii_tools.evaluation.report import EvaluationReport
from beam_pii_tools.evaluation.results import load_labels, load_results
from beam_pii_tools.evaluation.threshold import DEFAULT_THRESHOLDS, choose_threshold

__all__ = ["Candidate", "DEFAULT_THRESHOLDS", "EvaluationReport", "LabelMismatchError",
           "choose_threshold", "evaluate", "load_labels", "load_results"]

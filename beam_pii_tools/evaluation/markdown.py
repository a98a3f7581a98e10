"""The evaluation report as markdown (report.md, and what `beam-pii evaluate` prints).

Every table goes through `beam_pii_tools.tables`, so the report, the training dev table and the
memory report look alike. Undefined rates (recall of a group without PII, FP rejection of a
group without false positives) print as n/a, never as 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from beam_pii_tools.tables import fmt, markdown_table

if TYPE_CHECKING:  # pragma: no cover
    from beam_pii_tools.evaluation.report import EvaluationReport

__all__ = ["overall_table", "group_table", "summary_markdown", "report_markdown"]

_OVERALL = (("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"),
            ("f1", "F1"), ("pii_recall", "PII recall (true flags kept)"),
            ("fp_rejection_rate", "false-positive rejection rate"))


def overall_table(report: "EvaluationReport") -> str:
    """The headline rates, ROC-AUC and ECE, one per line."""
    rows = [[name, fmt(report.overall[key])] for key, name in _OVERALL]
    rows.append(["ROC-AUC (model confidences)", fmt(report.roc_auc)])
    rows.append(["ECE (10 bins)", fmt(report.calibration.get("ece"))])
    return markdown_table(["metric", "value"], rows)


def group_table(title: str, groups: Mapping[str, Mapping[str, Any]]) -> str:
    """F1, PII recall and FP rejection per group, in the groups' order."""
    rows = [[name, g["support"], g["positives"], g["negatives"], fmt(g["f1"]), fmt(g["recall"]),
             fmt(g["fp_rejection_rate"])] for name, g in groups.items()]
    return markdown_table([title, "flags", "PII", "not PII", "F1", "PII recall", "FP rejection"], rows)


def _group_sections(report: "EvaluationReport") -> list[str]:
    return [
        "## JSON vs free text", "",
        "By the record's `input_kind`, or whether its input parses as a JSON object.", "",
        group_table("input", report.per_input_kind), "",
        "## Per sensitivity tier", "",
        "high: special-category or high-sensitivity rows of the users' taxonomy; other: the "
        "rest, and flags outside it.", "",
        group_table("tier", report.per_sensitivity), "",
        "## Per category of the users' taxonomy", "",
        "A flag is placed by its taxonomy name, or through the catalog type it resolves to (a "
        "type in two categories counts in both); categories with no flag show 0.", "",
        group_table("category", report.per_category), "",
    ]


def _header(report: "EvaluationReport") -> list[str]:
    c, j = report.counts, report.join
    lines = [f"Records evaluated: **{c['records']}** ({c['failed_records']} failed, counted as kept) · "
             f"candidates: **{c['candidates']}** ({c['positives']} PII / {c['negatives']} not PII) · "
             f"model-scored: {c['model_scored']}", ""]
    if j.get("partial"):
        lines += [f"> **Partial evaluation**: {j['matched']} records matched; "
                  f"{j['n_missing_labels']} results without labels, {j['n_missing_results']} labelled "
                  f"records without results, {j['n_unlabelled_flags']} flags without a label.", ""]
        if j["missing_labels"]:
            lines += ["> results without labels: " + ", ".join(j["missing_labels"]), ""]
        if j["missing_results"]:
            lines += ["> labelled records without results: " + ", ".join(j["missing_results"]), ""]
    if c.get("duplicate_results"):
        lines += [f"> {c['duplicate_results']} duplicate result record(s) ignored (first one kept).", ""]
    return lines


def summary_markdown(report: "EvaluationReport") -> str:
    """The overall table and the per-input, per-tier and per-category tables."""
    lines = ["## Overall (positive class = is PII)", "", overall_table(report), ""]
    return "\n".join(lines + _group_sections(report))


def report_markdown(report: "EvaluationReport") -> str:
    """The whole report: summary, confusion matrix, per type and source, sweep, calibration."""
    o = report.overall
    lines = ["# PII verification — evaluation report", "", *_header(report),
             "## Overall (positive class = is PII)", "", overall_table(report), "",
             "Confusion matrix:", "",
             markdown_table(["", "kept (predicted PII)", "rejected"],
                            [["**is PII**", f"TP {o['tp']}", f"FN {o['fn']}"],
                             ["**not PII**", f"FP {o['fp']}", f"TN {o['tn']}"]]), ""]
    lines += _group_sections(report)
    per_type = sorted(report.per_type.items(), key=lambda kv: (-kv[1]["support"], kv[0]))
    lines += ["## Per type", "", markdown_table(
        ["type", "support", "PII", "not PII", "recall", "FP rejection", "precision", "accuracy"],
        [[t, m["support"], m["positives"], m["negatives"], fmt(m["recall"]),
          fmt(m["fp_rejection_rate"]), fmt(m["precision"]), fmt(m["accuracy"])]
         for t, m in per_type]), ""]
    per_source = sorted(report.per_source.items(), key=lambda kv: -kv[1]["decisions"])
    lines += ["## Per decision source", "", markdown_table(
        ["source", "decisions", "kept", "rejected", "accuracy", "precision of keeps",
         "precision of rejections"],
        [[s, m["decisions"], m["kept"], m["rejected"], fmt(m["accuracy"]),
          fmt(m["precision_of_keeps"]), fmt(m["precision_of_rejections"])]
         for s, m in per_source]), ""]
    lines += ["## Threshold sweep (model decisions re-thresholded; validators and failures fixed)",
              "", markdown_table(
                  ["threshold", "precision", "recall", "F1", "FP rejection", "accuracy"],
                  [[f"{r['threshold']:.2f}", fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]),
                    fmt(r["fp_rejection_rate"]), fmt(r["accuracy"])]
                   for r in report.threshold_sweep]), ""]
    lines += ["## Calibration (model confidences)", "",
              "Bins closed on the right (scikit-learn's uniform bins): 0.2 falls in 0.1–0.2.", "",
              markdown_table(["bin", "n", "mean confidence", "observed PII rate"],
                             [[f"{b['lo']:.1f}–{b['hi']:.1f}", b["n"], fmt(b["mean_confidence"]),
                               fmt(b["positive_rate"])] for b in report.calibration.get("bins", [])]),
              "", "Plots: `confusion_matrix.png`, `pr_curve.png`, `reliability.png`.", ""]
    return "\n".join(lines)

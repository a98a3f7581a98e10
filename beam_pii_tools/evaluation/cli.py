"""`beam-pii evaluate`: score a results folder against labels, print and write the report.

    beam-pii evaluate --results OUT [--labels FILE] [--out DIR] [--allow_partial] [--min_recall R]
    python -m beam_pii_tools.evaluation …   (the same)

With `--out`, writes report.md, metrics.json and the plots there and prints the overall table
beside the per-input (JSON vs free text), per-sensitivity-tier and per-category tables; without
it, prints the whole report. Exit status 2 when results and labels do not match (unless
`--allow_partial`), 1 for unreadable input.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from beam_pii.catalog import Catalog
from beam_pii_tools.evaluation.candidates import LabelMismatchError
from beam_pii_tools.evaluation.evaluate import evaluate
from beam_pii_tools.evaluation.report import EvaluationReport
from beam_pii_tools.evaluation.results import load_labels, load_results
from beam_pii_tools.evaluation.taxonomy import Taxonomy
from beam_pii_tools.evaluation.threshold import choose_threshold
from beam_pii_tools.tables import fmt

__all__ = ["main", "summary_line"]


def summary_line(report: EvaluationReport, min_recall: float) -> str:
    """One grep-able line with the headline figures and the suggested threshold."""
    o, c, j = report.overall, report.counts, report.join
    line = (f"records={c['records']} (failed {c['failed_records']}) candidates={c['candidates']} "
            f"accuracy={fmt(o['accuracy'])} precision={fmt(o['precision'])} "
            f"recall={fmt(o['recall'])} f1={fmt(o['f1'])} fp_rejection={fmt(o['fp_rejection_rate'])} "
            f"roc_auc={fmt(report.roc_auc)} ece={fmt(report.calibration.get('ece'))}")
    if c["model_scored"]:
        line += f" threshold@recall>={min_recall:g}: {choose_threshold(report, min_recall):.2f}"
    if j["partial"]:
        line += (f" [partial: matched {j['matched']}, {j['n_missing_labels']} without labels, "
                 f"{j['n_missing_results']} without results]")
    return line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="beam-pii evaluate",
                                     description="Score pipeline results (decision=* folders) against labels.")
    parser.add_argument("--results", required=True, help="pipeline output folder (or one result file)")
    parser.add_argument("--labels", help="JSONL/Parquet file of {recordId, labels}; default: the results' own labels")
    parser.add_argument("--out", help="folder for report.md, metrics.json and plots; default: print the report")
    parser.add_argument("--allow_partial", "--allow-partial", action="store_true",
                        help="score the matched records when results and labels differ")
    parser.add_argument("--min_recall", "--min-recall", type=float, default=0.97,
                        help="PII recall target for the suggested threshold (default 0.97)")
    parser.add_argument("--taxonomy", help="TSV of name, category, sensitivity, special_category "
                                           "(default: the shipped seed_data_elements.tsv)")
    parser.add_argument("--catalog", help="the --catalog file the pipeline ran with, so flags "
                                          "resolve to the same types")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        taxonomy = None
        if args.taxonomy or args.catalog:
            taxonomy = Taxonomy.load(args.taxonomy, Catalog.load(args.catalog))
        results = load_results(args.results)
        labels = load_labels(args.labels) if args.labels else None
        report = evaluate(results, labels, allow_partial=args.allow_partial, taxonomy=taxonomy)
    except LabelMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        paths = report.write(args.out)
        print(report.summary_markdown())
        print(summary_line(report, args.min_recall))
        print(f"wrote {', '.join(paths.values())}")
    else:
        print(report.to_markdown())
        print(summary_line(report, args.min_recall))
    return 0

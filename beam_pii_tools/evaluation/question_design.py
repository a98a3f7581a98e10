"""Issue 14, item 3: does the type's description in the question help the types the adapter never saw?

Compares pipeline runs on the same labelled records that differ only in `--type_descriptions`
(policy: the name alone; gloss: the description's first clause; all: the whole description),
split into the types the shipped adapter was trained on (`SHIPPED_ADAPTER_TYPES`, the 44 of
its training data) and every other type (resolved through the catalog, so aliases count as
their type). Per group and run: ROC-AUC of the model's confidences (threshold-free, so a
style that shifts every score is not penalised for the shipped thresholds), the run's own
verdicts (recall, FP rejection, F1) and FP rejection at the dev threshold that keeps recall
>= 0.97 (an oracle figure, labelled as one: it compares rankings, it does not choose a
threshold). Token cost: the mean question length per scored candidate, from the tokenizer.

    python -m beam_pii_tools.evaluation.question_design --runs policy=DIR gloss=DIR all=DIR \
        [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any, Mapping, Sequence

from beam_pii.catalog import Catalog
from beam_pii_tools.evaluation.candidates import Candidate, join
from beam_pii_tools.evaluation.metrics import confusion, metrics_from_confusion, roc_auc
from beam_pii_tools.evaluation.results import load_results
from beam_pii_tools.tables import fmt

SEEN, UNSEEN = "trained types", "other types"
ORACLE_RECALL = 0.97


def shipped_adapter_types() -> frozenset[str]:
    """Canonical names of the types in the shipped adapter's training data."""
    text = resources.files("beam_pii_tools.data").joinpath("shipped_adapter_types.json").read_text()
    catalog = Catalog.default()
    return frozenset(_canonical(catalog, name) for name in json.loads(text)["types"])


def _canonical(catalog: Catalog, name: str) -> str:
    known = catalog.lookup(name)
    return known.name if known else name


def fp_rejection_at_recall(cands: Sequence[Candidate], min_recall: float) -> float | None:
    """FP rejection of the model-scored candidates at the highest threshold keeping recall."""
    scored = sorted(((c.confidence, c.label) for c in cands if c.tunable), reverse=True)
    positives = sum(1 for _, label in scored if label)
    negatives = len(scored) - positives
    if not positives or not negatives:
        return None
    needed, seen_pos, seen_neg = min_recall * positives, 0, 0
    for _, label in scored:
        seen_pos += label
        seen_neg += not label
        if seen_pos >= needed:
            return 1.0 - seen_neg / negatives
    return 0.0


def group_figures(cands: Sequence[Candidate]) -> dict[str, Any]:
    """The run's verdicts and its ranking, for one group of candidates."""
    scored = [c for c in cands if c.tunable]
    row = metrics_from_confusion(confusion((c.label, c.kept) for c in cands))
    return {"candidates": len(cands), "model_scored": len(scored),
            "positives": sum(c.label for c in cands),
            "recall": row["recall"], "fp_rejection": row["fp_rejection_rate"], "f1": row["f1"],
            "roc_auc": roc_auc([c.confidence for c in scored], [c.label for c in scored]),
            f"fp_rejection_at_recall_{ORACLE_RECALL:g}": fp_rejection_at_recall(scored, ORACLE_RECALL)}


def question_tokens(tokenizer: Any, style: str, piis: Sequence[str]) -> float | None:
    """Mean question length in tokens (question + chat tail) over the given flags."""
    if not piis:
        return None
    from beam_pii.inference.prompting import PromptBuilder

    builder = PromptBuilder(tokenizer, Catalog.default(), max_text_tokens=256,
                            type_descriptions=style)
    return sum(len(builder.question_ids(p)) for p in piis) / len(piis)


def compare(runs: Mapping[str, str]) -> dict[str, Any]:
    """Figures per run and group; the run names are `--type_descriptions` values."""
    from transformers import AutoTokenizer

    from beam_pii.inference.backends.embedded import embedded_model_dir

    tokenizer = AutoTokenizer.from_pretrained(str(embedded_model_dir()))
    catalog, seen = Catalog.default(), shipped_adapter_types()
    out: dict[str, Any] = {}
    for style, folder in runs.items():
        cands = join(load_results(folder), None).candidates
        groups = {SEEN: [c for c in cands if _canonical(catalog, c.pii) in seen],
                  UNSEEN: [c for c in cands if _canonical(catalog, c.pii) not in seen]}
        out[style] = {"all types": group_figures(cands),
                      **{name: group_figures(group) for name, group in groups.items()},
                      "question_tokens": question_tokens(tokenizer, style,
                                                         [c.pii for c in cands if c.tunable])}
    return out


def markdown(result: Mapping[str, Any]) -> str:
    """One table: a row per (run, group)."""
    key = f"fp_rejection_at_recall_{ORACLE_RECALL:g}"
    lines = ["| question | types | model-scored | ROC-AUC | recall | FP rej. | F1 | "
             f"FP rej. at dev recall {ORACLE_RECALL:g} | question tokens |",
             "|---|---|---|---|---|---|---|---|---|"]
    for style, groups in result.items():
        for group in ("all types", SEEN, UNSEEN):
            g = groups[group]
            lines.append(f"| {style} | {group} | {g['model_scored']} | {fmt(g['roc_auc'])} | "
                         f"{fmt(g['recall'])} | {fmt(g['fp_rejection'])} | {fmt(g['f1'])} | "
                         f"{fmt(g[key])} | {fmt(groups['question_tokens'], 1)} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m beam_pii_tools.evaluation.question_design",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--runs", nargs="+", required=True, help="STYLE=RESULTS_DIR, one per run")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    runs = dict(run.split("=", 1) for run in args.runs)
    result = compare(runs)
    print(markdown(result))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`beam-pii train`: retrain the LoRA adapter on your own labelled records.

    beam-pii train --labels reviewed.jsonl --out my-adapter            # records with a `labels` field
    beam-pii train --labels labels.jsonl --records records.jsonl --out my-adapter   # labels by id
    beam-pii verify --adapter my-adapter --input … --output …

Labels are read and matched exactly as `beam-pii evaluate` reads them (`{type: true|false}`
per record, a dict or a JSON string; a labels file keyed by `recordId`), and a mismatch is
refused with the same `LabelMismatchError`: a record without labels, labels without a
record, a flagged type without a label. A slice of the records (by record, fixed seed) is held
back; the adapter trains on the rest with the shared loop (`train.fit_adapter`: the exact
inference computation), the threshold is chosen on the held-back slice for PII recall >=
`--min_recall`, and the before/after table is printed for that slice. The folder written is a
complete adapter (`--adapter DIR` loads it, threshold included).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any, Sequence

from beam_pii.fields import FieldMap
from beam_pii.inference.adapter import THRESHOLD_FILE, adapter_threshold, default_adapter_path
from beam_pii.records import InvalidRecord, parse_request

TRAINING_FILE = "beam_pii_training.json"
MIN_RECORDS = 4


def load_labelled_records(labels: str, records: str | None = None, *,
                          fields: FieldMap = FieldMap(), labels_field: str = "labels"
                          ) -> list[dict[str, Any]]:
    """Records as `{"recordId", "input", "PIIs", "labels"}`, every flagged type labelled.

    `labels` alone: records carrying their labels in `labels_field`. With `records`: a labels
    file keyed by record id, joined to those records. Raises `LabelMismatchError` as
    `beam-pii evaluate` does, and ValueError for records that cannot be read.
    """
    from beam_pii_tools.evaluation import evaluate, load_labels, load_results
    from beam_pii_tools.evaluation.results import normalise_labels as _normalise_labels

    rows = load_results(records or labels)
    label_map = load_labels(labels) if records else None
    normalised, bad = [], []
    for row in rows:
        try:
            request = parse_request(row, fields)
        except InvalidRecord as exc:
            bad.append(f"{row.get(fields.id_field, '?')}: {exc}")
            continue
        record = {"recordId": request.record_id, "input": request.text, "PIIs": list(request.piis)}
        if label_map is None:
            own = _normalise_labels(row.get(labels_field))
            if own is not None:
                record["labels"] = own
        normalised.append(record)
    if bad:
        raise ValueError(f"{len(bad)} record(s) cannot be used for training, e.g. {'; '.join(bad[:5])}")
    evaluate(normalised, label_map)  # the refusal rules of `beam-pii evaluate`
    source = label_map or {r["recordId"]: r["labels"] for r in normalised}
    return [{**r, "labels": {p: bool(source[r["recordId"]][p]) for p in r["PIIs"]}} for r in normalised]


def split_holdout(records: Sequence[dict], share: float, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, held back), by record with a fixed seed; at least one record on each side."""
    if len(records) < MIN_RECORDS:
        raise ValueError(f"need at least {MIN_RECORDS} labelled records, got {len(records)}")
    order = list(records)
    random.Random(seed).shuffle(order)
    n_held = min(max(1, round(len(order) * share)), len(order) - 1)
    return order[n_held:], order[:n_held]


def _base_adapter(name: str, model: str | None) -> str | None:
    if name in ("", "none"):
        return None
    if name == "default":
        if model is not None:
            raise ValueError("--base_adapter default is the embedded model's adapter; with --model "
                             "pass --base_adapter none or an adapter folder trained on that model")
        found = default_adapter_path()
        return str(found) if found else None
    return name


def _scored(records: Sequence[dict], adapter: str | None, model: str | None,
            threads: int | None) -> list[dict]:
    """Every flag scored by the model (validators off; their decisions are merged later)."""
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.verifier import Verifier
    from beam_pii.records import result_to_dict
    from beam_pii_tools.training.train import _prevalidated

    config = VerifierConfig(model=model, adapter=adapter or "none", validators=(), threshold=0.5,
                            threads=threads)
    verifier = Verifier.load(config)
    requests = _prevalidated(records, config)
    out = []
    for i in range(0, len(requests), 32):
        out.extend(result_to_dict(r) for r in verifier.verify(requests[i: i + 32]))
    return out


def before_after(held: Sequence[dict], before: str | None, after: str, *, model: str | None,
                 threads: int | None, min_recall: float) -> tuple[dict[str, Any], float, float]:
    """The held-back slice's rows (validators + model, as the pipeline decides by default)
    before and after training, and the two thresholds used."""
    from beam_pii_tools.evaluation import choose_threshold, evaluate
    from beam_pii_tools.training.train import rethreshold, validator_decisions

    validated = validator_decisions(held)
    old = _scored(held, before, model, threads)
    old_threshold = adapter_threshold(before)
    new = _scored(held, after, model, threads)
    new_threshold = choose_threshold(evaluate(rethreshold(new, 0.5, validated)), min_recall)
    rows = {f"before ({Path(before).name if before else 'no adapter'}, threshold {old_threshold:.3g})":
            evaluate(rethreshold(old, old_threshold, validated)),
            f"after (new adapter, threshold {new_threshold:.3g})":
            evaluate(rethreshold(new, new_threshold, validated))}
    return rows, old_threshold, new_threshold


def table(rows: dict[str, Any], n_records: int, n_candidates: int) -> str:
    lines = [f"Held-back slice: {n_records} records, {n_candidates} labelled flags "
             "(validators + model, as the pipeline decides):", "",
             "| adapter | F1 | PII recall | FP rejection | accuracy | ROC-AUC |",
             "|---|---|---|---|---|---|"]
    for name, report in rows.items():
        o, auc = report.overall, report.roc_auc

        def fmt(v: Any) -> str:
            return "-" if v is None else f"{v:.3f}"
        lines.append(f"| {name} | {fmt(o['f1'])} | {fmt(o['recall'])} | "
                     f"{fmt(o['fp_rejection_rate'])} | {fmt(o['accuracy'])} | {fmt(auc)} |")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="beam-pii train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--labels", required=True,
                   help="JSONL/Parquet records with a labels field, or (with --records) labels by recordId")
    p.add_argument("--records", default=None, help="the records the labels file refers to")
    p.add_argument("--out", required=True, help="adapter folder to write (replaced if it exists)")
    p.add_argument("--base_adapter", default="default",
                   help="continue from this adapter: 'default' (the shipped one), 'none' or a folder")
    p.add_argument("--model", default=None, help="base model folder (default: the embedded SmolLM2)")
    p.add_argument("--id_field", default="recordId")
    p.add_argument("--text_field", action="append", default=None)
    p.add_argument("--types_field", default="PIIs")
    p.add_argument("--labels_field", default="labels")
    p.add_argument("--holdout", type=float, default=0.2, help="share of records held back")
    p.add_argument("--min_recall", type=float, default=0.97)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--max_steps", type=int, default=0)
    p.add_argument("--batch", type=int, default=16, help="candidates per step")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--rank", type=int, default=8, help="fresh adapters only")
    p.add_argument("--lora_layers", type=int, default=16, help="fresh adapters only: top N layers")
    p.add_argument("--max_text_tokens", type=int, default=384)
    p.add_argument("--injection_share", type=float, default=0.15)
    p.add_argument("--prefix_every", type=int, default=8)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=None)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    import torch

    from beam_pii.config import VerifierConfig
    from beam_pii.inference.backends.transformers_backend import set_threads
    from beam_pii_tools.evaluation import LabelMismatchError
    from beam_pii_tools.training.train import (
        _examples, build_lora_model, fit_adapter, save_adapter, with_injections)

    args = parser().parse_args(argv)
    fields = FieldMap(args.id_field, tuple(args.text_field or ("input",)), args.types_field)
    try:
        records = load_labelled_records(args.labels, args.records, fields=fields,
                                        labels_field=args.labels_field)
        base = _base_adapter(args.base_adapter, args.model)
        train_records, held = split_holdout(records, args.holdout, args.seed)
    except LabelMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    set_threads(VerifierConfig(threads=args.threads))
    model, backend, builder = build_lora_model(
        rank=args.rank, lora_layers=args.lora_layers, max_text_tokens=args.max_text_tokens,
        model_path=args.model, base_adapter=base)
    examples = _examples(with_injections(train_records, args.injection_share, rng), builder)
    fitted = fit_adapter(model, backend, builder, examples, rng, lr=args.lr, batch=args.batch,
                         epochs=args.epochs, max_steps=args.max_steps, prefix_every=args.prefix_every)
    out = Path(args.out)
    staging = save_adapter(model, out)
    del model, backend
    n_held = sum(len(r["PIIs"]) for r in held)
    rows, _, threshold = before_after(held, base, str(staging), model=args.model,
                                      threads=args.threads, min_recall=args.min_recall)
    per_1000 = 1000 * fitted["seconds"] / max(fitted["candidates"], 1)
    cpu_per_1000 = 1000 * fitted["cpu_seconds"] / max(fitted["candidates"], 1)
    summary = {"threshold": threshold, "min_recall": args.min_recall, "seed": args.seed,
               "held_back_records": len(held)}
    (staging / THRESHOLD_FILE).write_text(json.dumps(summary) + "\n")
    report = table(rows, len(held), n_held)
    (staging / TRAINING_FILE).write_text(json.dumps({
        "base_adapter": base, "model": args.model, "train_records": len(train_records),
        "train_candidates": sum(len(r["PIIs"]) for r in train_records), "steps": fitted["steps"],
        "candidates_seen": fitted["candidates"], "train_seconds": fitted["seconds"],
        "train_cpu_seconds": fitted["cpu_seconds"], "threads": fitted["threads"],
        "seconds_per_1000_candidates": round(per_1000, 1),
        "cpu_seconds_per_1000_candidates": round(cpu_per_1000, 1), "held_back": report},
        indent=2) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"trained {fitted['steps']} steps on {len(train_records)} records "
          f"({fitted['candidates']} candidates seen) in {fitted['seconds']} s: "
          f"{per_1000:.0f} s per 1,000 candidates (CPU {cpu_per_1000:.0f} s on {fitted['threads']} "
          f"threads); adapter in {out} (--adapter {out})")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

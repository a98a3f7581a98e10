"""CPU fast paths and text budgets, side by side on the labelled dev split.

Each variant is one row in its own process (so its peak RSS is its own): the dev records go
through the pipeline's `ParseAndPrevalidate` (same validator decisions), then
`Verifier.verify` in batches of `BATCH_RECORDS` records, the call the pipeline's
RunInference makes; only those calls are timed. Every row reports candidates/s, peak RSS and
dev quality (`beam_pii_tools.evaluation.evaluate`: PII recall, FP rejection, F1), and
its model confidences, so verdict agreement with the fp32 row is computed here.

Variants (`VARIANTS`): transformers fp32 (the reference), transformers `qint8` (torch's
dynamic int8 linear layers), ONNX Runtime fp32 and ONNX Runtime `qint8` (the embedded model
with its adapter merged, exported with key/value-cache inputs, so prefix reuse is kept).
`choose_cpu_default` names the fastest variant with >= 99 % agreement and no loss of recall.

Text budgets (`--max_text_tokens`): the dev texts are short (1 of 667 exceeds 512 tokens), so
the budgets are also measured on `long_dev`: each dev record embedded, alone, in a 1-3 KB
JSON export of non-personal filler (`bench.workload`'s long records), its labels unchanged.

    python -m bench.cpu_paths [--dev_records 628] [--long_dev_records 150] [--dev_stride K] [--threads N]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from bench.phases import BenchContext, make_config, read_jsonl

DEV_PATH = "/work/baseline/data/dev.jsonl"
BATCH_RECORDS = 64
VARIANTS = (("transformers", "float32"), ("transformers", "qint8"),
            ("onnxruntime", "float32"), ("onnxruntime", "qint8"))
TEXT_BUDGETS = (256, 512, 1536)
MIN_AGREEMENT = 0.99


def default_dev_path() -> str | None:
    """The frozen dev split, else the one `make train-adapter` writes, else None (generate it)."""
    for candidate in (DEV_PATH, "out/train/dev.jsonl"):
        if Path(candidate).is_file():
            return candidate
    return None


def load_dev(path: str | None, workdir: Path, stride: int = 1) -> tuple[str, list[dict[str, Any]]]:
    """Every `stride`-th record of the labelled dev split at `path`; without one, of the dev
    split `datagen` writes (seed 13, as `make evaluate`). Returns the path read and the records."""
    if path is None:
        from beam_pii_tools.datagen.__main__ import main as datagen_main
        datagen_main(["--out", str(workdir / "data")])
        path = str(workdir / "data" / "dev.jsonl")
    return path, read_jsonl(path)[:: max(stride, 1)]


def long_dev(records: Sequence[dict[str, Any]], seed: int = 7) -> list[dict[str, Any]]:
    """Each record alone inside a 1-3 KB export of non-personal filler; labels unchanged."""
    from bench.workload import _long_json

    rng = random.Random(seed)
    out = []
    for record in records:
        part = dict(record, family=record.get("family", "dev"))
        wrapped = _long_json(rng, [part])
        out.append({"recordId": record["recordId"], "input": wrapped["input"],
                    "PIIs": list(record["PIIs"]), "labels": dict(record["labels"]),
                    "kind": "long_dev"})
    return out


def phase_dev(records: list[dict[str, Any]], options: dict[str, Any], backend: str, dtype: str,
              max_text_tokens: int | None = None) -> dict[str, Any]:
    """Score labelled records with one backend/dtype; timed: the verify calls only."""
    from beam_pii.inference.verifier import Verifier, merge_decisions
    from beam_pii.records import VerificationRequest, VerificationResult, result_to_dict
    from beam_pii.transforms import ParseAndPrevalidate
    from beam_pii_tools.evaluation import evaluate

    overrides: dict[str, Any] = {"backend": backend, "dtype": dtype}
    if max_text_tokens:
        overrides["max_text_tokens"] = max_text_tokens
    config = make_config(options, **overrides)
    started = time.perf_counter()
    verifier = Verifier.load(config)
    load_seconds = time.perf_counter() - started
    prevalidate = ParseAndPrevalidate(config)
    prevalidate.setup()
    requests = [out for r in records for out in prevalidate.process(r)]
    requests = [r.value if hasattr(r, "value") else r for r in requests]  # TaggedOutput: no model
    pending = [r for r in requests if isinstance(r, VerificationRequest) and r.pending]
    done = [r for r in requests if isinstance(r, VerificationRequest) and not r.pending]

    results: list[VerificationResult] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, len(pending), BATCH_RECORDS):
        results.extend(verifier.verify(pending[start: start + BATCH_RECORDS]))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    results += [VerificationResult(request=r, decisions=merge_decisions(r, {}), model={},
                                   latency_ms=0.0) for r in done]
    outputs = [result_to_dict(r) for r in results]
    report = evaluate(outputs)
    confidences = {f"{o['recordId']}\t{d['pii']}": d["confidence"] for o in outputs
                   for d in o["decisions"] if d["source"] == "model"}
    model_candidates = len(confidences)
    stats = verifier.stats
    return {
        "label": f"{backend} {dtype}" + (f", max_text_tokens {max_text_tokens}" if max_text_tokens else ""),
        "backend": backend, "dtype": dtype, "max_text_tokens": verifier.prompts.max_text_tokens,
        "model": verifier.model_info, "records": len(records), "model_records": len(pending),
        "candidates": sum(len(r["PIIs"]) for r in records), "model_candidates": model_candidates,
        "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
        "load_seconds": round(load_seconds, 3),
        "model_candidates_per_s": round(model_candidates / max(wall, 1e-9), 3),
        "model_candidates_per_cpu_s": round(model_candidates / max(cpu, 1e-9), 3),
        "computed_tokens_per_candidate": round(stats.computed_tokens / max(stats.candidates, 1), 1),
        "truncated": stats.truncated, "threshold": verifier.threshold,
        "quality": {k: report.overall[k] for k in ("pii_recall", "fp_rejection_rate", "f1", "accuracy")}
        | {"roc_auc": report.roc_auc},
        "confidences": confidences,
    }


def agreement(reference: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Verdict agreement and confidence differences of `row` against `reference`."""
    ref, got = reference["confidences"], row["confidences"]
    keys = [k for k in ref if k in got]
    th_ref, th = reference["threshold"], row["threshold"]
    same = sum((ref[k] >= th_ref) == (got[k] >= th) for k in keys)
    diffs = [abs(ref[k] - got[k]) for k in keys]
    return {"compared": len(keys), "verdict_agreement": round(same / max(len(keys), 1), 4),
            "max_abs_confidence_diff": round(max(diffs, default=0.0), 6),
            "mean_abs_confidence_diff": round(sum(diffs) / max(len(diffs), 1), 6)}


def choose_cpu_default(rows: dict[str, dict[str, Any]], reference: str) -> dict[str, Any]:
    """The fastest row with >= 99 % verdict agreement and PII recall not below the reference's."""
    ref = rows[reference]
    recall = ref["quality"]["pii_recall"]
    qualified = [name for name, row in rows.items() if name == reference or (
        row["agreement"]["verdict_agreement"] >= MIN_AGREEMENT
        and (row["quality"]["pii_recall"] or 0) >= (recall or 0))]
    best = max(qualified, key=lambda n: rows[n]["model_candidates_per_s"])
    return {"choice": best, "qualified": qualified, "rule":
            f"fastest with verdict agreement >= {MIN_AGREEMENT:.0%} and PII recall >= {recall}",
            "speedup_over_reference": round(rows[best]["model_candidates_per_s"]
                                            / max(ref["model_candidates_per_s"], 1e-9), 3)}


def run_cpu_paths(ctx: BenchContext, dev_records: list[dict[str, Any]],
                  variants: Sequence[tuple[str, str]] = VARIANTS) -> dict[str, Any]:
    """Rows `dev_<backend>_<dtype>` in ctx.rows, their agreement, and the CPU default choice."""
    names = []
    for backend, dtype in variants:
        name = f"dev_{backend}_{dtype}"
        ctx.run_phase(name, phase_dev, records=dev_records, options=ctx.options,
                      backend=backend, dtype=dtype)
        names.append(name)
    rows = {n: ctx.rows[n] for n in names}
    reference = names[0]
    for name in names:
        rows[name]["agreement"] = agreement(rows[reference], rows[name])
    return {"reference": reference, "rows": names, **choose_cpu_default(rows, reference)}


def run_text_budgets(ctx: BenchContext, records: list[dict[str, Any]], backend: str, dtype: str,
                     budgets: Sequence[int] = TEXT_BUDGETS, tag: str = "long_dev") -> dict[str, Any]:
    """Rows `<tag>_text<N>` for each budget; agreement against the largest budget."""
    names = []
    for budget in budgets:
        name = f"{tag}_text{budget}"
        ctx.run_phase(name, phase_dev, records=records, options=ctx.options, backend=backend,
                      dtype=dtype, max_text_tokens=budget)
        names.append(name)
    reference = names[-1]
    for name in names:
        ctx.rows[name]["agreement"] = agreement(ctx.rows[reference], ctx.rows[name])
    recall = ctx.rows[reference]["quality"]["pii_recall"] or 0
    safe = [ctx.rows[n]["max_text_tokens"] for n in names
            if (ctx.rows[n]["quality"]["pii_recall"] or 0) >= recall]
    return {"rows": names, "reference": reference, "smallest_budget_holding_recall": min(safe)}


def strip_confidences(rows: dict[str, dict[str, Any]]) -> None:
    """Per-candidate confidences are for agreement only: left out of the result file."""
    for row in rows.values():
        row.pop("confidences", None)


def format_rows(rows: dict[str, dict[str, Any]], names: Sequence[str]) -> list[str]:
    lines = [f"{'row':<44}{'cand/s':>8}{'by CPU':>8}{'RSS MB':>8}{'agree':>8}{'max |dc|':>10}"
             f"{'recall':>8}{'FP rej':>8}{'F1':>7}{'tok/c':>7}{'trunc':>6}"]
    for name in names:
        r = rows[name]
        q, a = r["quality"], r.get("agreement", {})
        lines.append(
            f"{r['label'][:43]:<44}{r['model_candidates_per_s']:>8.2f}{r['model_candidates_per_cpu_s']:>8.2f}"
            f"{r['peak_rss_mb']:>8.0f}{a.get('verdict_agreement', float('nan')):>8.4f}"
            f"{a.get('max_abs_confidence_diff', float('nan')):>10.4f}{q['pii_recall'] or 0:>8.3f}"
            f"{q['fp_rejection_rate'] or 0:>8.3f}{q['f1'] or 0:>7.3f}"
            f"{r['computed_tokens_per_candidate']:>7.0f}{r['truncated']:>6}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    import tempfile
    parser = argparse.ArgumentParser(prog="python -m bench.cpu_paths", description=__doc__.split("\n")[0])
    parser.add_argument("--dev", default=default_dev_path(),
                        help="labelled dev JSONL (default: the frozen split, else generated by datagen)")
    parser.add_argument("--dev_stride", type=int, default=1,
                        help="take every Nth dev record (spreads a small sample over the families)")
    parser.add_argument("--dev_records", type=int, default=628)
    parser.add_argument("--long_dev_records", type=int, default=150)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--variants", default=",".join(f"{b}:{d}" for b, d in VARIANTS))
    parser.add_argument("--budgets", default=",".join(map(str, TEXT_BUDGETS)))
    parser.add_argument("--out", default=None, help="write the result JSON here")
    args = parser.parse_args(argv)
    variants = [tuple(v.split(":")) for v in args.variants.split(",") if v]
    with tempfile.TemporaryDirectory(prefix="beam-pii-cpu-") as tmp:
        dev_path, strided = load_dev(args.dev, Path(tmp), args.dev_stride)
        dev = strided[: args.dev_records]
        ctx = BenchContext(options={"dtype": "float32", "threads": args.threads, "model": args.model},
                           workdir=Path(tmp), workload_path=Path(tmp) / "unused", records=[])
        result: dict[str, Any] = {"dev": dev_path, "dev_stride": args.dev_stride}
        if variants:
            result["cpu_paths"] = run_cpu_paths(ctx, dev, variants)
        budgets = [int(b) for b in args.budgets.split(",") if b]
        if budgets and args.long_dev_records:
            result["text_budgets"] = run_text_budgets(ctx, long_dev(strided[: args.long_dev_records]),
                                                      "transformers", "float32", budgets)
    for section in ("cpu_paths", "text_budgets"):
        if section in result:
            print("\n".join(format_rows(ctx.rows, result[section]["rows"])))
            print({k: v for k, v in result[section].items() if k != "rows"}, "\n")
    strip_confidences(ctx.rows)
    result["rows"] = ctx.rows
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    from bench import cpu_paths
    sys.exit(cpu_paths.main())

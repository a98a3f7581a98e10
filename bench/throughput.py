"""Throughput benchmark: our pipeline, its bound and the baselines, in one invocation.

    python -m bench.throughput [--records 300] [--naive_records 30] [--threads N] [--dtype auto]

On one fixed generated workload (`bench.workload`), each row in its own fresh process
(multiprocessing `spawn`, so each row's peak RSS is its own):

(a)  pipeline   `pipelines.verify_pii.run` end to end on DirectRunner's in-process engine
     (`bench.pipeline_row`), model load included.
(b)  bound      the same model's forward passes over exactly the tokens (a) computed, no Beam
     (`bench.bound`).
(c)  as users run it: one sampled `generate` per record with a ~600-token rubric, the
     flagged types' descriptions and the text (~1,000 prompt tokens), answer parsed by string
     matching (`bench.faithful`), on an evenly spaced subsample (`--naive_records`).
(c') the shorter greedy naive prompt this bench used before (`bench.naive`), same subsample.

Then, on the labelled dev split (`bench.cpu_paths`): the CPU fast paths side by side
(transformers fp32 / qint8, ONNX Runtime fp32 / qint8: candidates/s, peak RSS, verdict
agreement with fp32, recall) and `--max_text_tokens` 256 / 512 / 1536 on dev records inside
long exports. Rates are per flagged candidate (record, type) of the row's records, so rows
compare fairly; tokens per candidate are per candidate the model scored.

Ratios (met/MISSED, judged on wall time; per CPU second beside them): a/c >= 15 (goal 20)
against the faithful baseline, b/a <= 1.05, computed/prompt tokens <= 0.5; a/c' is printed for
reference. The result goes to `<out>/<UTC timestamp>.json` and `<out>/latest.json`.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from bench import workload as wl
from bench.bound import phase_bound
from bench.cpu_paths import (TEXT_BUDGETS, VARIANTS, default_dev_path, long_dev, run_cpu_paths,
                             run_text_budgets, strip_confidences)
from bench.faithful import phase_faithful
from bench.naive import NAIVE_MAX_NEW_TOKENS, phase_naive_short
from bench.phases import BenchContext, read_jsonl
from bench.pipeline_row import pipeline_row
from bench.report import (ROW_KEYS, TARGETS, check_consistency, compute_ratios, format_table,
                          host_info, write_result)

DEFAULT_RECORDS = 300
DEFAULT_NAIVE_RECORDS = 30
DEFAULT_DEV_RECORDS = 628
DEFAULT_LONG_DEV_RECORDS = 150
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
__all__ = ["ROW_KEYS", "TARGETS", "main", "parse_args", "run_benchmark"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from beam_pii.config import BACKENDS, DTYPES

    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--naive_records", type=int, default=DEFAULT_NAIVE_RECORDS,
                        help="records of the subsample rows (c) and (c') run on")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    parser.add_argument("--dtype", default="auto", choices=DTYPES, help="rows (a) and (b)")
    parser.add_argument("--backend", default=None, choices=BACKENDS,
                        help="rows (a) and (b) (default: the pipeline's default)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the result JSON files")
    parser.add_argument("--model", default=None, help="model folder (default: the embedded model)")
    parser.add_argument("--seed", type=int, default=wl.DEFAULT_SEED)
    parser.add_argument("--naive_max_new_tokens", type=int, default=NAIVE_MAX_NEW_TOKENS,
                        help="row (c'), the short greedy naive baseline")
    parser.add_argument("--no_short_naive", action="store_true", help="skip row (c')")
    parser.add_argument("--baseline_json", action="store_true",
                        help="add a row: (c) asked for a JSON answer with reasons (<= 300 tokens)")
    parser.add_argument("--explain", default=[], action="append", choices=("rejected", "all"),
                        help="add a row: (a) with --explain MODE (repeatable)")
    parser.add_argument("--dev", default=default_dev_path(), help="labelled dev split (JSONL)")
    parser.add_argument("--dev_records", type=int, default=DEFAULT_DEV_RECORDS,
                        help="dev records for the CPU-path rows (0: skip them)")
    parser.add_argument("--variants", default=",".join(f"{b}:{d}" for b, d in VARIANTS),
                        help="CPU-path rows as backend:dtype; the first is the reference")
    parser.add_argument("--long_dev_records", type=int, default=DEFAULT_LONG_DEV_RECORDS,
                        help="dev records inside long exports for the text-budget rows (0: skip)")
    parser.add_argument("--budgets", default=",".join(map(str, TEXT_BUDGETS)),
                        help="--max_text_tokens values of the text-budget rows")
    parser.add_argument("--workdir", default=None, help="keep the workload and outputs here")
    parser.add_argument("--no_isolate", action="store_true",
                        help="run phases in this process (peak RSS is then cumulative)")
    parser.add_argument("--profile", default=None, metavar="DIR",
                        help="cProfile each phase into DIR/<phase>.prof")
    return parser.parse_args(argv)


def _run_rows(ctx: BenchContext, args: argparse.Namespace, naive_sample: list[dict[str, Any]]) -> dict[str, Any]:
    """Every row, in order; returns the CPU-path and text-budget summaries."""
    pipeline_row(ctx, "a_pipeline")
    ctx.run_phase("b_bound", phase_bound, workload_path=str(ctx.workload_path), options=ctx.options)
    if naive_sample:
        ctx.run_phase("c_faithful", phase_faithful, records=naive_sample, options=ctx.options,
                      seed=args.seed)
        if args.baseline_json:
            ctx.run_phase("c_faithful_json", phase_faithful, records=naive_sample,
                          options=ctx.options, answer_format="json", seed=args.seed)
        if not args.no_short_naive:
            ctx.run_phase("c_naive_short", phase_naive_short, records=naive_sample,
                          options=ctx.options, max_new_tokens=args.naive_max_new_tokens)
    for mode in args.explain:  # each extra row is one call
        pipeline_row(ctx, f"a_explain_{mode}", f"(a) with --explain {mode}", ["--explain", mode])
    sections: dict[str, Any] = {}
    dev = read_jsonl(args.dev)[: args.dev_records] if args.dev_records or args.long_dev_records else []
    variants = [tuple(v.split(":")) for v in args.variants.split(",") if v]
    if args.dev_records and variants:
        sections["cpu_paths"] = run_cpu_paths(ctx, dev[: args.dev_records], variants)
    budgets = [int(b) for b in args.budgets.split(",") if b]
    if args.long_dev_records and budgets:
        backend, dtype = variants[0] if variants else ("transformers", "float32")
        sections["text_budgets"] = run_text_budgets(ctx, long_dev(dev[: args.long_dev_records]),
                                                    backend, dtype, budgets)
    return sections


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = args.threads or cores
    options = {"dtype": args.dtype, "threads": args.threads, "model": args.model,
               "backend": args.backend}
    records = wl.build_workload(args.records, seed=args.seed)
    naive_sample = wl.subsample(records, args.naive_records)
    temp = None if args.workdir else tempfile.TemporaryDirectory(prefix="beam-pii-bench-")
    workdir = Path(args.workdir or temp.name)
    try:
        ctx = BenchContext(options=options, workdir=workdir,
                           workload_path=wl.write_workload(records, workdir), records=records,
                           isolate=not args.no_isolate,
                           profile_dir=Path(args.profile) if args.profile else None)
        if ctx.profile_dir:
            ctx.profile_dir.mkdir(parents=True, exist_ok=True)
        sections = _run_rows(ctx, args, naive_sample)
    finally:
        if temp is not None:
            temp.cleanup()
    rows = ctx.rows
    b = rows["b_bound"]
    for name, row in rows.items():  # same workload, same tokens: (a)-style rows take (b)'s counts
        if name.startswith("a_"):
            row["prompt_tokens_per_candidate"] = b["prompt_tokens_per_candidate"]
            row["computed_tokens_per_candidate"] = b["computed_tokens_per_candidate"]
            row["tokens_from"] = "b_bound"
            if row.get("argv") and name != "a_pipeline":
                row["tokens_note"] = "scoring tokens only; tokens its extra flags generate are not counted"
    for section in sections.values():  # dev rows report model candidates/s
        for name in section["rows"]:
            rows[name].setdefault("candidates_per_s", rows[name]["model_candidates_per_s"])
    summary = wl.summarize(records)
    ratios = compute_ratios(rows)
    strip_confidences(rows)
    result = {
        "benchmark": "beam-pii throughput",
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python -m bench.throughput " + " ".join(sys.argv[1:]) if sys.argv[1:] else None,
        "options": {"records": args.records, "naive_records": len(naive_sample),
                    "threads": args.threads, "dtype": args.dtype, "backend": args.backend,
                    "model": args.model, "seed": args.seed,
                    "naive_max_new_tokens": args.naive_max_new_tokens,
                    "dev": args.dev, "dev_records": args.dev_records,
                    "long_dev_records": args.long_dev_records, "variants": args.variants,
                    "budgets": args.budgets, "isolated_processes": not args.no_isolate},
        "host": host_info(threads),
        "model": b.get("model", {}),
        "workload": summary,
        "rows": {name: {k: row.get(k) for k in ROW_KEYS} | {k: v for k, v in row.items() if k not in ROW_KEYS}
                 for name, row in rows.items()},
        "ratios": ratios,
        "consistency": check_consistency(rows, summary),
        **sections,
    }
    result["rows"]["a_pipeline"]["fixed_costs_note"] = (
        "(a) wall includes pipeline construction and model load; see b_bound.load_seconds")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = run_benchmark(args)
    path = write_result(result, args.out)
    print(format_table(result))
    print(f"\nresult: {path} (and {Path(args.out) / 'latest.json'})")
    return 0


if __name__ == "__main__":
    # Run through the importable module so spawned phases pickle `bench.throughput.*`.
    from bench import throughput
    sys.exit(throughput.main())

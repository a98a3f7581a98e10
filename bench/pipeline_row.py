"""Row (a): the pipeline end to end, as a user runs it, on DirectRunner's in-process engine.

`pipelines.verify_pii.run` reads the workload's JSONL, parses, runs the validators and
RunInference with the embedded model, and writes the three doors. Timed from `run()` to its
return (model load included); the records are counted on disk. `pipeline_row` runs it again
with extra flags (e.g. `--explain rejected`) as one more row.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Sequence

from bench.engine import engine_summary, instrument_backend
from bench.phases import BenchContext, rates, read_jsonl


def count_doors(output: str | os.PathLike[str]) -> dict[str, int]:
    """Records on disk per door (JSONL parts)."""
    counts = {}
    for door in ("verified", "clean", "failed"):
        folder = Path(output) / f"decision={door}"
        counts[door] = sum(len(read_jsonl(p)) for p in sorted(folder.glob("part-*"))) \
            if folder.is_dir() else 0
    return counts


def pipeline_argv(workload_path: str, output: str, options: dict[str, Any],
                  extra_argv: Sequence[str] = ()) -> list[str]:
    argv = ["--input", workload_path, "--output", output, "--dtype", options["dtype"]]
    if options.get("backend"):
        argv += ["--backend", options["backend"]]
    if options.get("threads"):
        argv += ["--threads", str(options["threads"])]
    if options.get("model"):
        argv += ["--model", options["model"]]
    return argv + list(extra_argv)


def phase_pipeline(workload_path: str, output: str, options: dict[str, Any],
                   extra_argv: Sequence[str] = ()) -> dict[str, Any]:
    from pipelines.verify_pii import run

    argv = pipeline_argv(workload_path, output, options, extra_argv)
    candidates = sum(len(r["PIIs"]) for r in read_jsonl(workload_path))
    counts = instrument_backend()  # the pipeline runs in this process (FnApiRunner in-process)
    started, cpu_started = time.perf_counter(), time.process_time()
    totals = run(argv)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    doors = count_doors(output)
    return rates({
        "label": "(a) pipeline, DirectRunner in-process" + (f" {' '.join(extra_argv)}" if extra_argv else ""),
        "argv": argv, "records": sum(doors.values()), "doors": doors, "candidates": candidates,
        "model_candidates": int(totals.get("model_candidates", 0)),
        "validator_rejected": int(totals.get("validator_rejected", 0)),
        "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
        "metrics": {k: v for k, v in totals.items()},
        "engine": engine_summary(counts),
    })


def pipeline_row(ctx: BenchContext, name: str, label: str | None = None,
                 extra_argv: Sequence[str] = (), repeat: int = 0) -> dict[str, Any]:
    """One more (a)-style row: the pipeline again with extra flags (e.g. --explain rejected).
    Repetition `repeat` > 0 writes to its own folder, so each run's records are counted alone."""
    output = ctx.workdir / (f"out-{name}-r{repeat}" if repeat else f"out-{name}")
    row = ctx.run_phase(name, phase_pipeline, workload_path=str(ctx.workload_path),
                        output=str(output), options=ctx.options, extra_argv=list(extra_argv))
    if label:
        row["label"] = label
    return row

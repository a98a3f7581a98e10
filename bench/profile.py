"""Where the benchmark's time goes: sample it with py-spy and summarise the samples.

    make bench-profile        # = python -m bench.profile -- --records 60 --naive_records 6 --dev_records 0 --long_dev_records 0

py-spy samples every thread of every process (the bench runs each row in its own process and
Beam runs bundles on worker threads, which cProfile would not see). Each sample is put in one
activity, the first that matches from this list, and in the row whose process it came from:

| activity | a sample's stack holds |
|---|---|
| model forward | a `forward` of a torch module, or an ONNX Runtime session's `run` (the model's matrix work) |
| decode loop | transformers' `generate` outside any forward (the naive row's per-token steps) |
| validators | `beam_pii/validators/` |
| prompt and tokenizer | `beam_pii/inference/prompting.py`, `reduction.py` or a tokenizer |
| Beam and IO | `apache_beam` |
| other | anything else (imports, model load, JSON) |

The summary goes to `<out>/profile_summary.md` and `.json`, next to py-spy's raw samples.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

ACTIVITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("model forward", re.compile(r"(?:^|;)(?:\w+\.)?(?:_call_impl|forward) \([^)]*(?:torch/nn/modules|modeling_)"
                                 r"|onnxruntime/capi/onnxruntime_inference_collection")),
    ("decode loop", re.compile(r"generation/utils\.py")),
    ("validators", re.compile(r"beam_pii/validators(?:/|\.py)")),
    ("prompt and tokenizer", re.compile(r"beam_pii/(?:inference/)?(?:prompting|reduction)\.py|tokeniz")),
    ("Beam and IO", re.compile(r"apache_beam")),
)
ROWS = {"phase_pipeline": "a_pipeline", "phase_bound": "b_bound", "phase_faithful": "c_faithful",
        "phase_naive_short": "c_naive_short", "phase_dev": "dev rows",
        "phase_naive": "c_naive"}  # the last: raw samples of runs before the faithful row
_PROCESS_RE = re.compile(r"(?:^|;)process (\d+):")


def classify(stack: str) -> str:
    for name, pattern in ACTIVITIES:
        if pattern.search(stack):
            return name
    return "other"


def parse_raw(lines: Sequence[str]) -> tuple[dict[str, Counter], dict[str, str]]:
    """Samples per process and activity, and each process's row (from its phase function)."""
    samples: dict[str, Counter] = defaultdict(Counter)
    rows: dict[str, str] = {}
    for line in lines:
        line = line.rstrip("\n")
        if not line or " " not in line:
            continue
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        # with --subprocesses a stack starts with its process chain: the last one is the sampled
        processes = _PROCESS_RE.findall(stack)
        process = processes[-1] if processes else "main"
        samples[process][classify(stack)] += int(count)
        for function, row in ROWS.items():
            if f"{function} (" in stack:
                rows[process] = row
    return samples, rows


def summarise(samples: dict[str, Counter], rows: dict[str, str]) -> dict[str, dict[str, float]]:
    """Share of each activity in each row's samples (processes without a row: `setup`)."""
    merged: dict[str, Counter] = defaultdict(Counter)
    for process, counts in samples.items():
        merged[rows.get(process, "setup")].update(counts)
    out = {}
    for row, counts in sorted(merged.items()):
        total = sum(counts.values())
        out[row] = {"samples": total, **{k: round(v / total, 3) for k, v in counts.most_common()}}
    return out


def to_markdown(summary: dict[str, dict[str, float]], command: Sequence[str]) -> str:
    names = [name for name, _ in ACTIVITIES] + ["other"]
    lines = [f"py-spy samples of `{' '.join(command)}`, share of each row's samples:", "",
             "| row | samples | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for row, shares in summary.items():
        cells = [f"{shares.get(name, 0.0):.1%}" for name in names]
        lines.append(f"| {row} | {int(shares['samples'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="bench/results/profile")
    parser.add_argument("--rate", type=int, default=50, help="samples per second")
    parser.add_argument("--summarise_only", action="store_true",
                        help="re-read <out>/py-spy.txt from an earlier run instead of sampling")
    parser.add_argument("bench_args", nargs=argparse.REMAINDER,
                        help="arguments for bench.throughput, after --")
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "py-spy.txt"
    bench_args = [a for a in args.bench_args if a != "--"]
    command = [sys.executable, "-m", "bench.throughput", "--out", str(out), *bench_args]
    if not args.summarise_only:
        subprocess.run([py_spy, "record", "--subprocesses", "--format", "raw", "--rate", str(args.rate),
                        "-o", str(raw), "--", *command], check=True)
    samples, rows = parse_raw(raw.read_text().splitlines())
    summary = summarise(samples, rows)
    shown = ["python -m bench.throughput", *bench_args]
    (out / "profile_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    table = to_markdown(summary, shown)
    (out / "profile_summary.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

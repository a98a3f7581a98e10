"""The GPU check's command line: prepare | run | one | report."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from beam_pii_tools.gpu_check.child import run_one
from beam_pii_tools.gpu_check.orchestrate import run_all
from beam_pii_tools.gpu_check.prepare import prepare
from beam_pii_tools.gpu_check.settings import BACKENDS, MODELS

__all__ = ["parse_args", "main"]


def run_report(argv: Sequence[str]) -> int:
    """The memory report on the device (a child of `run`, so its memory is its own)."""
    from beam_pii_tools.memory_report import main
    return main(list(argv))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m beam_pii_tools.gpu_check",
        description="The GPU check: backends x models on the sample, then the memory report.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="here: tokenizer (+ GGUF parts, wheels) for the device")
    p.add_argument("--wheels", action="store_true", help="pip download bitsandbytes into .whl/")
    p.add_argument("--gguf", action="store_true",
                   help="split the embedded GGUF into <=45 MiB parts (+ the gguf wheel)")
    r = sub.add_parser("run", help="all models x backends, then the memory report")
    r.add_argument("--out", default=os.environ.get("OUT") or "out/gpu_check")
    r.add_argument("--device", default="cuda")
    r.add_argument("--models", default=",".join(MODELS))
    r.add_argument("--backends", default=",".join(BACKENDS))
    r.add_argument("--repeat", type=int, default=40, help="copies of sample.jsonl to score")
    r.add_argument("--batch_records", type=int, default=64, help="records per verify call")
    r.add_argument("--limit", type=int, default=None, help="only the first N sample records")
    r.add_argument("--deadline_s", type=float, default=450)
    r.add_argument("--time_scale", type=float, default=1.0, help="multiply the per-step limits")
    r.add_argument("--no_vllm_eager", dest="vllm_eager", action="store_false",
                   help="let vLLM compile and capture CUDA graphs (slower start)")
    r.add_argument("--tiny", action="store_true", help="shrunken random model (CPU tests)")
    r.add_argument("--skip_report", action="store_true")
    r.add_argument("--dry_run", action="store_true", help="print the steps, run nothing")
    o = sub.add_parser("one", help="one model x backend (run by `run`)")
    o.add_argument("--model_name", required=True)
    o.add_argument("--model_dir", default=None)
    o.add_argument("--backend", choices=BACKENDS, required=True)
    o.add_argument("--dtype", default="float16")
    o.add_argument("--device", default="cuda")
    o.add_argument("--repeat", type=int, default=40)
    o.add_argument("--batch_records", type=int, default=64)
    o.add_argument("--limit", type=int, default=None)
    o.add_argument("--vllm_memory", type=float, default=0.5)
    o.add_argument("--no_vllm_eager", dest="vllm_eager", action="store_false")
    o.add_argument("--json", required=True)
    rep = sub.add_parser("report", help="beam_pii_tools.memory_report (needs no Apache Beam)")
    rep.add_argument("rest", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "prepare":
        return prepare(args)
    if args.command == "one":
        return run_one(args)
    if args.command == "report":
        rest = [a for a in args.rest if a != "--"]
        return run_report(rest)
    return run_all(args)

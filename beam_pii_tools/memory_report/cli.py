"""`python -m beam_pii_tools.memory_report` (and `beam-pii memory`): options, the run over
every model, the JSON and markdown outputs."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from typing import Any, Sequence

from beam_pii.inference.memory import free_device_bytes, normalize_dtype
from beam_pii_tools.memory_report.environment import environment
from beam_pii_tools.memory_report.markdown import budget_table, markdown_table, write_markdown
from beam_pii_tools.memory_report.models import MODELS, resolve_models
from beam_pii_tools.memory_report.peaks import PREFIX_TOKENS, QUESTION_TOKENS, TEXT_TOKENS
from beam_pii_tools.memory_report.rows import QUANTIZED, Options, measure_model

__all__ = ["DEFAULT_DTYPES", "DEFAULT_BATCHES", "parse_args", "run", "main"]

_LOG = logging.getLogger("beam_pii_tools.memory_report")

DEFAULT_DTYPES = ("bf16", "nf4", "int8")
DEFAULT_BATCHES = (1, 4, 8, 16)


def _long_case(spec: str) -> tuple[int, int, int] | None:
    if spec in ("", "0", "none"):
        return None
    parts = tuple(int(x) for x in spec.lower().split("x"))
    if len(parts) != 3 or min(parts) < 1:
        raise SystemExit("--long_case: RECORDSxTEXT_TOKENSxQUESTIONS, e.g. 16x1536x2, or 0")
    return parts  # type: ignore[return-value]


def _write_json(path: str | None, result: dict[str, Any]) -> None:
    if not path:
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
        fh.write("\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="beam-pii memory",
        description="Measured memory of the models beam-pii is run with: weights, KV cache, scoring peaks.")
    parser.add_argument("--models", default="all",
                        help=f"comma-separated subset of: {', '.join(MODELS)} (prefixes work)")
    parser.add_argument("--dtypes", default=",".join(DEFAULT_DTYPES),
                        help="comma-separated: bf16, fp16, fp32, nf4, int8 (default %(default)s)")
    parser.add_argument("--skip_quantized", action="store_true", help="leave out nf4 and int8")
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda[:N]")
    parser.add_argument("--depth", choices=("auto", "full", "extrapolate"), default="auto",
                        help="quantised models: full depth, or 1+2 layers extrapolated "
                             "(auto: full on CUDA, extrapolate on CPU)")
    parser.add_argument("--batches", default=",".join(map(str, DEFAULT_BATCHES)),
                        help="candidates per scoring batch for the CUDA peaks ('' for none)")
    parser.add_argument("--long_case", default="16x1536x2",
                        help="one more peak: RECORDSxTEXT_TOKENSxQUESTIONS ('0': none)")
    parser.add_argument("--cpu_peaks", action="store_true",
                        help="on CPU, measure the scoring peaks too (tensor tracking; slow: "
                             "~20 s per candidate for Qwen2.5-0.5B in bf16 on one core)")
    parser.add_argument("--tiny", action="store_true",
                        help="shrink every model to a few-MB config (tests, dry runs)")
    parser.add_argument("--json", dest="json_path",
                        help="write the results here (after each model, so a cut-short run "
                             "keeps what it measured)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the models the --json file already holds (same options) "
                             "and measure only the rest")
    parser.add_argument("--markdown",
                        help="write the table with notes here (e.g. docs/memory_table.md)")
    return parser.parse_args(argv)


def run(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Measure every chosen model (JSON written after each, so a cut-short run keeps its
    rows), print the table, write the markdown; returns the result document."""
    args = parse_args(argv)
    import torch

    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("--device cuda: torch sees no CUDA device")
    short = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}
    names = [normalize_dtype(d) for d in args.dtypes.split(",") if d.strip()]
    dtypes = tuple(dict.fromkeys(short.get(n, n) for n in names))
    if args.skip_quantized:
        dtypes = tuple(d for d in dtypes if d not in QUANTIZED)
    if not dtypes:
        raise SystemExit("no dtype left to measure")
    if any(d in QUANTIZED for d in dtypes):
        import importlib.util
        if importlib.util.find_spec("bitsandbytes") is None:
            _LOG.warning("bitsandbytes is not installed: nf4/int8 rows are left out")
            dtypes = tuple(d for d in dtypes if d not in QUANTIZED)
    batches = tuple(int(b) for b in args.batches.split(",") if b.strip())
    opts = Options(device=device, dtypes=dtypes, depth=args.depth, batches=batches, tiny=args.tiny,
                   peaks=device.startswith("cuda") or args.cpu_peaks,
                   long_case=_long_case(args.long_case))
    models = resolve_models(args.models)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    result: dict[str, Any] = {
        "environment": environment(device), "complete": False,
        "options": {"models": models, "dtypes": list(dtypes), "depth": args.depth,
                    "batches": list(batches), "tiny": args.tiny},
        "prompt_layout": {"prefix": PREFIX_TOKENS, "text": TEXT_TOKENS,
                          "question": QUESTION_TOKENS},
        "rows": rows}
    done: set[str] = set()
    previous_seconds = 0.0
    if args.resume and args.json_path and os.path.isfile(args.json_path):
        with open(args.json_path, encoding="utf-8") as fh:
            previous = json.load(fh)
        same = {k: previous.get("options", {}).get(k) for k in ("dtypes", "depth", "tiny")} == \
            {"dtypes": list(dtypes), "depth": args.depth, "tiny": args.tiny}
        if same and previous.get("environment", {}).get("device") == device:
            kept = [r for r in previous.get("rows", []) if r.get("model") in models]
            rows.extend(kept)
            done = {r["model"] for r in kept}
            previous_seconds = float(previous.get("seconds") or 0.0)
            _LOG.info("resuming: %s already measured", ", ".join(sorted(done)) or "nothing")
        else:
            _LOG.warning("--resume: %s was written with other options; starting over",
                         args.json_path)
    started -= previous_seconds
    for name in models:
        if name in done:
            continue
        model_started = time.perf_counter()
        model_rows = measure_model(name, opts)
        for row in model_rows:
            row["model_seconds"] = round(time.perf_counter() - model_started, 1)
        rows.extend(model_rows)
        _LOG.info("%s measured in %.1f s", name, time.perf_counter() - model_started)
        result["seconds"] = round(time.perf_counter() - started, 1)
        _write_json(args.json_path, result)  # after each model: a cut-short run keeps its rows
    seconds = time.perf_counter() - started
    rows.sort(key=lambda r: models.index(r["model"]))  # resumed rows came first
    table = markdown_table(rows, batches)
    result.update(seconds=round(seconds, 1), complete=True, table=table,
                  free_bytes_at_end=free_device_bytes(device))
    print(table)
    print(f"\n(measured on {device} in {seconds:.0f} s)")
    _write_json(args.json_path, result)
    if args.markdown:
        write_markdown(args.markdown, table, budget_table(models, dtypes, args.tiny), result)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """The command: quiet library logs, offline hub, then `run`."""
    # force: importing Beam may have configured the root logger already
    logging.basicConfig(level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("transformers", "bitsandbytes", "accelerate", "apache_beam"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    run(sys.argv[1:] if argv is None else list(argv))
    return 0

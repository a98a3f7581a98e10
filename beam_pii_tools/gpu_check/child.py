"""`one`: a child process that loads one model with one backend, scores the sample and writes
its figures as JSON. Its own process, so one backend's memory or crash never reaches the next."""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from beam_pii_tools.gpu_check.settings import SAMPLE

__all__ = ["read_requests", "run_one", "quiet"]


def read_requests(path: Path, repeat: int, limit: int | None = None) -> list[Any]:
    """The first `limit` records of a JSONL file as requests, `repeat` times over. No
    validators run, so every flagged type is pending: the model scores them all."""
    from beam_pii.records import parse_request

    lines = [line for line in path.read_text().splitlines() if line.strip()]
    base = [parse_request(json.loads(line)) for line in lines]
    return [r for _ in range(repeat) for r in base[:limit]]


def run_one(args: argparse.Namespace) -> int:
    """Load, warm up, time the scoring of the repeated sample, write the figures as JSON."""
    quiet()
    import torch

    from beam_pii.inference.backends import BackendUnavailable, check_backend_available
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.verifier import Verifier

    result: dict[str, Any] = {"model": args.model_name, "backend": args.backend}
    engine_kwargs: tuple[tuple[str, Any], ...] = ()
    if args.backend == "vllm" and args.vllm_eager:
        engine_kwargs = (("enforce_eager", True),)
    config = VerifierConfig(model=args.model_dir or None, backend=args.backend, dtype=args.dtype,
                            device=args.device, adapter=None if args.model_dir else "default",
                            vllm_gpu_memory_utilization=args.vllm_memory,
                            vllm_max_model_len=4096, vllm_engine_kwargs=engine_kwargs)
    try:
        check_backend_available(config)
    except BackendUnavailable as exc:
        result.update(status="skipped", reason=str(exc))
        _write(args.json, result)
        print(f"gpu_check: {args.model_name} / {args.backend}: SKIPPED: {exc}")
        return 0
    cuda = args.device.startswith("cuda")
    requests = read_requests(SAMPLE, args.repeat, args.limit)
    started = time.perf_counter()
    verifier = Verifier.load(config)
    result["load_seconds"] = round(time.perf_counter() - started, 2)
    result["model_info"] = verifier.model_info
    verifier.verify(requests[: min(8, len(requests))])  # warm-up: prefix cache, kernels
    if cuda:
        torch.cuda.synchronize()
        result["after_load_allocated_bytes"] = int(torch.cuda.memory_allocated())
        torch.cuda.reset_peak_memory_stats()
    candidates = sum(len(r.pending) for r in requests)
    confidences: list[float | None] = []
    started = time.perf_counter()
    for start in range(0, len(requests), args.batch_records):
        for res in verifier.verify(requests[start: start + args.batch_records]):
            if start < len(requests) // max(args.repeat, 1):
                confidences.extend(d.confidence for d in res.decisions)
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    result.update(status="ok", records=len(requests), candidates=candidates,
                  seconds=round(seconds, 3), candidates_per_s=round(candidates / seconds, 1),
                  confidences=confidences[: 10_000],
                  token_budget=getattr(verifier.backend, "token_budget", None))
    if cuda:
        free, total = torch.cuda.mem_get_info()
        result["peak_allocated_bytes"] = int(torch.cuda.max_memory_allocated())
        result["device_used_bytes"] = int(total - free)
    close = getattr(verifier.backend, "close", None)
    if callable(close):
        close()
    _write(args.json, result)
    peak = result.get("peak_allocated_bytes")
    print(f"gpu_check: {args.model_name} / {args.backend}: {result['candidates_per_s']} "
          "candidates/s" + (f", peak {peak / 2**30:.2f} GiB" if peak else ""))
    return 0


def _write(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh)


def quiet() -> None:
    """No progress bars or per-tensor warnings in the log."""
    import logging

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    for name in ("bitsandbytes", "transformers", "accelerate"):
        logging.getLogger(name).setLevel(logging.ERROR)

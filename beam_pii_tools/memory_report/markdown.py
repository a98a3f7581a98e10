"""The memory report's tables (through `beam_pii_tools.tables`) and its markdown file."""
from __future__ import annotations

import os
from typing import Any, Sequence

from beam_pii.inference.memory import GIB, MIB, ModelShape, auto_token_budget
from beam_pii_tools.memory_report.models import hf_config
from beam_pii_tools.memory_report.peaks import PREFIX_TOKENS, QUESTION_TOKENS, TEXT_TOKENS
from beam_pii_tools.tables import markdown_table as table

__all__ = ["BUDGET_TABLE_GIB", "markdown_table", "formula_check_table", "budget_table",
           "write_markdown"]

BUDGET_TABLE_GIB = (8, 16, 24, 40, 80)


def _size(value: Any, unit: int) -> str:
    return "—" if value is None else f"{value / unit:.3f}"


def _params(n: int) -> str:
    return f"{n / 1e9:.2f}B" if n >= 1e8 else f"{n / 1e6:.2f}M"


def markdown_table(rows: Sequence[dict[str, Any]], batches: Sequence[int]) -> str:
    """One row per model and dtype: measured weights next to the derived and usual estimates,
    KV bytes per token, the process's resident memory, and the scoring peaks when measured."""
    with_peaks = any(r.get("peaks") for r in rows)
    largest = max([r.get("measured_bytes") or 0 for r in rows] + [r["derived_bytes"] for r in rows])
    unit, label = (GIB, "GiB") if largest >= GIB // 10 else (MIB, "MiB")
    head = ["model", "params", "dtype", f"measured weights {label}", f"derived {label}",
            f"usual estimate {label}", "KV bytes/token", "process RSS GiB"]
    if with_peaks:
        head += [f"peak {label}, {n} cand." for n in batches]
    head += ["measured on"]
    body = []
    for r in rows:
        kv = r.get("kv_bytes_per_token")
        dtype = r["dtype"] + (" (×)" if r.get("depth") == "extrapolate" else "")
        cells = [r["model"], _params(r["params"]), dtype,
                 "error" if r.get("error") else _size(r.get("measured_bytes"), unit),
                 _size(r["derived_bytes"], unit), _size(r["usual_estimate_bytes"], unit),
                 "—" if kv is None else f"{kv:,.0f}", _size(r.get("rss_bytes"), GIB)]
        if with_peaks:
            peaks = r.get("peaks") or {}
            cells += [_size(peaks.get(str(n), {}).get("peak_bytes"), unit) for n in batches]
        cells.append(r["device"])
        body.append(cells)
    return table(head, body)


def formula_check_table(rows: Sequence[dict[str, Any]]) -> str:
    """Measured scoring memory per computed token (above the weights, at the largest batch)
    against what `auto_token_budget` charges per token."""
    body = []
    for r in rows:
        peaks = r.get("peaks") or {}
        plain = [k for k in peaks if k.isdigit()]
        keys = ([max(plain, key=int)] if plain else []) + [k for k in peaks if not k.isdigit()]
        for key in keys:
            p = peaks[key]
            label = (f"{key} × 1 ({TEXT_TOKENS}-token texts)" if key.isdigit() else
                     f"{p['records']} × {p['questions']} ({p['text_tokens']}-token texts)")
            measured = p["above_base_bytes"] / max(p["computed_tokens"], 1)
            derived = r["derived_forward_bytes_per_token"]
            body.append([r["model"], r["dtype"], label, f"{p['computed_tokens']:,}",
                         f"{measured:,.0f}", f"{derived:,}", f"{derived / max(measured, 1):.2f}"])
    return table(["model", "dtype", "records × candidates", "computed tokens",
                  "measured bytes/token", "budget formula bytes/token", "formula / measured"], body)


def budget_table(models: Sequence[str], dtypes: Sequence[str], tiny: bool = False) -> str:
    """`auto_token_budget` for a few free-memory sizes (derived, no measurement)."""
    body = []
    for name in models:
        shape = ModelShape.from_config(hf_config(name, tiny=tiny))
        body.extend([name, dtype] + [f"{auto_token_budget(shape, dtype, g * GIB):,}"
                                     for g in BUDGET_TABLE_GIB] for dtype in dtypes)
    return table(["model", "dtype"] + [f"{g} GiB free" for g in BUDGET_TABLE_GIB], body)


def write_markdown(path: str, memory_table: str, budgets: str, result: dict[str, Any]) -> None:
    """The table with its notes, the budget formula check and the budget table, as one file."""
    env = result["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    notes = [
        "# Measured model memory",
        "",
        f"Written by `python -m beam_pii_tools.memory_report` on {env['device_name']} "
        f"({env['device']}), {env['when']}, {versions}; the run took "
        f"{result['seconds']:.0f} s. Random weights with each model's real architecture.",
        "",
        memory_table,
        "",
        "* measured weights: `model.get_memory_footprint()` plus bitsandbytes' quantisation "
        "state (NF4 absmax and code tables, int8 row scales). bf16 and fp16 take the same bytes.",
        "* (×): quantised at 1 and 2 layers and extrapolated linearly to the full depth "
        "(exact: every layer is the same); see `--depth`.",
        "* derived: `beam_pii.inference.memory.weight_bytes`, what `--token_budget auto` subtracts.",
        "* usual estimate: params × bytes per param + 10% (NF4: 0.5 byte). It is far off for "
        "NF4/int8 on small models: bitsandbytes quantises only the decoder layers' "
        "projections; the embedding (tied to the output head) stays in 16 bits and is "
        "27-31% of a Qwen2.5/Llama-3.2 model's parameters below 2B.",
        "* KV bytes/token: cache bytes of a 16-token forward / 16, in the 16-bit compute dtype "
        "(NF4 and int8 compute in bf16, so their cache is the bf16 one).",
        "* process RSS: the report process's resident memory (psutil) with the row's model "
        "loaded; it includes the interpreter, torch and what earlier rows left to the "
        "allocator, so it is an upper bound of what the row adds (— for extrapolated rows).",
    ]
    if any(r.get("peaks") for r in result["rows"]):
        notes.append("* peak: memory while scoring N candidates, each a "
                     f"{PREFIX_TOKENS}+{TEXT_TOKENS}+{QUESTION_TOKENS}-token prompt (its own "
                     "record), through the backend's prefix-reuse path; CUDA: "
                     "`torch.cuda.max_memory_allocated`, CPU (`--cpu_peaks`): the weights plus "
                     "the peak of the tensors the scoring call creates.")
    else:
        notes.append("* peaks of scoring batches are measured on CUDA only "
                     "(`scripts/gpu_check.sh` runs this report there).")
    if any(r.get("peaks") for r in result["rows"]):
        notes += ["", "## The budget formula against the measured peaks", "",
                  "Scoring memory above the weights per computed token (prefix reuse: each "
                  "record's text once plus its question) at the largest batch, and what "
                  "`beam_pii.inference.memory.forward_bytes_per_token` charges; a ratio above 1 is the "
                  "formula's margin (the 0.8 safety factor comes on top).", "",
                  formula_check_table(result["rows"])]
    notes += ["", "## `--token_budget auto` for some free-memory sizes (derived)", "",
              "Tokens per forward pass `beam_pii.inference.memory.auto_token_budget` picks when this much "
              "memory is free before loading (formula in `beam_pii/inference/memory.py`).", "", budgets, ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(notes))

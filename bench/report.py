"""The bench's ratios, consistency checks, printed table and result files."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

# name: (what is compared, comparison, target, goal or None); judged on wall time
TARGETS = {
    "a_over_c": ("cand/s (a) / (c) as users run it", ">=", 15.0, 20.0),
    "b_over_a": ("cand/s (b) / (a)", "<=", 1.05, None),
    "computed_over_prompt": ("computed / prompt tokens (a)", "<=", 0.5, None),
}
INFORMATIVE = {  # printed beside the targets, judged against nothing
    "a_over_c_short": ("cand/s (a) / (c\u2032) short naive", "a_pipeline", "c_naive_short"),
}
ROW_KEYS = ("name", "label", "records", "candidates", "model_candidates", "wall_seconds",
            "candidates_per_s", "records_per_s", "peak_rss_mb", "prompt_tokens_per_candidate",
            "computed_tokens_per_candidate")


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 3)


def _rate(row: dict[str, Any] | None, key: str) -> float | None:
    return row.get(key) if row else None


def compute_ratios(rows: dict[str, dict[str, Any]],
                   paired: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The targets' ratios from the rows; `paired` (`bench.repeats.paired_b_over_a`, when
    (a) and (b) ran several times in alternation) gives b/a as the median pair ratio."""
    a, b, c = rows.get("a_pipeline"), rows.get("b_bound"), rows.get("c_faithful")
    values = {
        "a_over_c": _ratio(_rate(a, "candidates_per_s"), _rate(c, "candidates_per_s")),
        "b_over_a": _ratio(_rate(b, "candidates_per_s"), _rate(a, "candidates_per_s")),
        "computed_over_prompt": _ratio(_rate(b, "computed_tokens"), _rate(b, "prompt_tokens")),
    }
    by_cpu = {  # the same rates per CPU second: a cross-check when the machine is shared
        "a_over_c": _ratio(_rate(a, "candidates_per_cpu_s"), _rate(c, "candidates_per_cpu_s")),
        "b_over_a": _ratio(_rate(b, "candidates_per_cpu_s"), _rate(a, "candidates_per_cpu_s")),
        "computed_over_prompt": values["computed_over_prompt"],
    }
    if paired:
        values["b_over_a"], by_cpu["b_over_a"] = paired["value"], paired["value_by_cpu_time"]
    ratios = {}
    for name, (what, op, target, goal) in TARGETS.items():
        value = values[name]
        met = None if value is None else (value >= target if op == ">=" else value <= target)
        ratios[name] = {"what": what, "value": value, "target": f"{op} {target:g}", "met": met,
                        "value_by_cpu_time": by_cpu[name]}
        if goal is not None:
            ratios[name]["goal"] = f"{op} {goal:g}"
            ratios[name]["goal_met"] = None if value is None else value >= goal
    if paired:
        ratios["b_over_a"].update({k: paired[k] for k in ("pairs", "pairs_by_cpu_time", "order")})
    for name, (what, top, bottom) in INFORMATIVE.items():
        if rows.get(top) and rows.get(bottom):
            ratios[name] = {"what": what, "target": "-", "met": None,
                            "value": _ratio(rows[top]["candidates_per_s"], rows[bottom]["candidates_per_s"]),
                            "value_by_cpu_time": _ratio(_rate(rows[top], "candidates_per_cpu_s"),
                                                        _rate(rows[bottom], "candidates_per_cpu_s"))}
    return ratios


def check_consistency(rows: dict[str, dict[str, Any]], workload: dict[str, Any]) -> dict[str, bool]:
    a, b = rows.get("a_pipeline", {}), rows.get("b_bound", {})
    return {
        "a_records_on_disk_equal_workload": a.get("records") == workload["records"],
        "a_no_failed_records": a.get("doors", {}).get("failed", 1) == 0,
        "b_scores_the_candidates_a_scored": a.get("model_candidates") == b.get("model_candidates"),
        "a_candidates_all_decided": (a.get("model_candidates", 0) + a.get("validator_rejected", 0)
                                     == workload["candidates"]),
        "a_computed_the_tokens_b_computed": (a.get("engine", {}).get("real_tokens")
                                             == b.get("computed_tokens")),
    }


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_table(result: dict[str, Any]) -> str:
    from bench.cpu_paths import format_rows

    w, opts = result["workload"], result["options"]
    main_rows = {k: v for k, v in result["rows"].items() if not k.startswith(("dev_", "long_dev_"))}
    lines = [
        f"beam-pii throughput: {w['records']} records, {w['candidates']} flagged candidates "
        f"({main_rows.get('a_pipeline', {}).get('model_candidates', '?')} scored by the model); "
        f"baselines on {opts['naive_records']} records; threads {result['host']['threads']}, "
        f"model {result.get('model', {}).get('id', '?')} ({result.get('model', {}).get('backend', '?')} "
        f"{result.get('model', {}).get('dtype', '?')})",
        "",
        f"{'row':<46}{'cand/s':>9}{'rec/s':>9}{'wall s':>9}{'CPU s':>9}{'RSS MB':>9}"
        f"{'prompt tok/c':>14}{'computed tok/c':>16}",
    ]
    for row in main_rows.values():
        lines.append(
            f"{row['label'][:45]:<46}{row['candidates_per_s']:>9.2f}{row['records_per_s']:>9.2f}"
            f"{row['wall_seconds']:>9.1f}{_fmt(row.get('cpu_seconds')):>9}{row['peak_rss_mb']:>9.0f}"
            f"{_fmt(row.get('prompt_tokens_per_candidate')):>14}"
            f"{_fmt(row.get('computed_tokens_per_candidate')):>16}")
    lines += ["", f"{'ratio':<40}{'value':>10}{'target':>10}  {'result':<8}{'goal':>8}{'by CPU time':>13}"]
    for ratio in result["ratios"].values():
        verdict = {True: "met", False: "MISSED", None: "-"}[ratio["met"]]
        value = "n/a" if ratio["value"] is None else f"{ratio['value']:.2f}"
        goal = ratio.get("goal", "-") + ({True: " met", False: " not", None: ""}[ratio.get("goal_met")]
                                         if "goal" in ratio else "")
        by_cpu = ratio.get("value_by_cpu_time")
        lines.append(f"{ratio['what']:<40}{value:>10}{ratio['target']:>10}  {verdict:<8}{goal:>8}"
                     f"{'n/a' if by_cpu is None else f'{by_cpu:.2f}':>13}")
    pairs = result["ratios"].get("b_over_a", {}).get("pairs")
    if pairs:
        lines.append(f"b/a per adjacent pair ({result['ratios']['b_over_a']['order']} order; the "
                     f"value above is their median): {', '.join(f'{p:.3f}' for p in pairs)}")
    bad = [k for k, ok in result["consistency"].items() if not ok]
    lines += ["", "consistency: " + ("ok" if not bad else "FAILED " + ", ".join(bad))]
    for section, title in (("cpu_paths", "CPU paths on the dev split (model-scored candidates)"),
                           ("text_budgets", "--max_text_tokens on dev records inside long exports")):
        info = result.get(section)
        if info:
            lines += ["", title + f", agreement against {info['reference']}:"]
            lines += format_rows(result["rows"], info["rows"])
            extra = {k: v for k, v in info.items() if k not in ("rows", "reference")}
            lines.append("  " + json.dumps(extra, default=str))
    return "\n".join(lines)


def host_info(threads: int | None) -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"cpu": cpu, "cpu_count": os.cpu_count(), "affinity": affinity, "threads": threads,
            "python": sys.version.split()[0], "platform": sys.platform}


def write_result(result: dict[str, Any], out: str | os.PathLike[str]) -> Path:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = result["timestamp"].replace("-", "").replace(":", "")
    path = folder / f"{stamp}.json"
    text = json.dumps(result, indent=2, sort_keys=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    return path

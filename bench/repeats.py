"""Rows (a) and (b) repeated in alternation, for a b/a that holds on a shared machine.

On a shared 2-core machine the speed of the whole machine drifts by up to ~20 % between runs
(two 300-record runs of the same code a few hours apart: (b) 186 s and 221 s), while (a) and (b)
differ by a few per cent: one (a) then one (b) measures the drift as much as the pipeline.
`--repeats N` runs the two rows N times each in ABBA order (a b, b a, a b, ...), so a linear
drift cancels over every two pairs; b/a is the median of the adjacent pairs' ratios, and
each row reported is its median repetition, with every repetition's figures kept beside it.
"""
from __future__ import annotations

import statistics
from typing import Any, Callable

RunRow = Callable[[int], dict[str, Any]]  # called with the repetition index
KEPT = ("wall_seconds", "cpu_seconds", "candidates_per_s", "candidates_per_cpu_s")


def alternate(run_a: RunRow, run_b: RunRow, repeats: int) -> tuple[list[dict], list[dict]]:
    """Each row `repeats` times, pair i in order a-b when i is even, b-a when odd."""
    rows_a: list[dict[str, Any]] = []
    rows_b: list[dict[str, Any]] = []
    for i in range(max(repeats, 1)):
        if i % 2 == 0:
            rows_a.append(run_a(i))
            rows_b.append(run_b(i))
        else:
            rows_b.append(run_b(i))
            rows_a.append(run_a(i))
    return rows_a, rows_b


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The repetition with the median rate (the slower middle one when the count is even),
    with every repetition's timings under `repeats`."""
    ranked = sorted(rows, key=lambda r: r["candidates_per_s"])
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    if len(rows) > 1:
        chosen["repeats"] = [{k: r.get(k) for k in KEPT}
                             | {"model_seconds": r.get("engine", {}).get("model_seconds")}
                             for r in rows]
    return chosen


def pair_ratios(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]],
                key: str) -> list[float]:
    """b/a per adjacent pair, on one rate (`candidates_per_s` or `candidates_per_cpu_s`)."""
    return [round(b[key] / a[key], 3) for a, b in zip(rows_a, rows_b)
            if a.get(key) and b.get(key)]


def paired_b_over_a(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]]) -> dict[str, Any]:
    """The median pair ratio by wall and by CPU time, and every pair's."""
    wall = pair_ratios(rows_a, rows_b, "candidates_per_s")
    cpu = pair_ratios(rows_a, rows_b, "candidates_per_cpu_s")
    return {"value": round(statistics.median(wall), 3) if wall else None,
            "value_by_cpu_time": round(statistics.median(cpu), 3) if cpu else None,
            "pairs": wall, "pairs_by_cpu_time": cpu, "order": "ABBA"}

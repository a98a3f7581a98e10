"""`--repeats`: rows (a) and (b) alternate in ABBA order and b/a is the median pair ratio."""
from __future__ import annotations

import json

from bench import repeats, report, throughput


def _row(rate: float, cpu_rate: float, wall: float) -> dict:
    return {"candidates_per_s": rate, "candidates_per_cpu_s": cpu_rate, "wall_seconds": wall,
            "cpu_seconds": 2 * wall, "engine": {"model_seconds": wall - 1}}


def test_rows_alternate_abba_and_get_their_repetition_index():
    calls: list[str] = []
    rows_a, rows_b = repeats.alternate(lambda i: calls.append(f"a{i}") or {"i": i},
                                       lambda i: calls.append(f"b{i}") or {"i": i}, 4)
    assert calls == ["a0", "b0", "b1", "a1", "a2", "b2", "b3", "a3"]
    assert [r["i"] for r in rows_a] == [0, 1, 2, 3] == [r["i"] for r in rows_b]
    calls.clear()
    repeats.alternate(lambda i: calls.append("a") or {}, lambda i: calls.append("b") or {}, 0)
    assert calls == ["a", "b"]  # at least one pair


def test_median_row_and_pair_ratios_are_the_computed_figures():
    rows_a = [_row(3.0, 1.5, 100.0), _row(2.0, 1.0, 150.0), _row(4.0, 2.0, 75.0)]
    rows_b = [_row(3.3, 1.5, 90.0), _row(2.4, 1.1, 125.0), _row(4.0, 2.2, 75.0)]
    chosen = repeats.median_row(rows_a)
    assert chosen["candidates_per_s"] == 3.0 and chosen["wall_seconds"] == 100.0
    assert [r["wall_seconds"] for r in chosen["repeats"]] == [100.0, 150.0, 75.0]
    assert chosen["repeats"][1]["model_seconds"] == 149.0
    assert "repeats" not in rows_a[0]  # the input rows are left as they were
    # Even count: the slower middle repetition.
    assert repeats.median_row(rows_a[:2])["candidates_per_s"] == 2.0
    assert "repeats" not in repeats.median_row(rows_a[:1])

    paired = repeats.paired_b_over_a(rows_a, rows_b)
    assert paired["pairs"] == [1.1, 1.2, 1.0] and paired["value"] == 1.1
    assert paired["pairs_by_cpu_time"] == [1.0, 1.1, 1.1] and paired["value_by_cpu_time"] == 1.1

    rows = {"a_pipeline": chosen, "b_bound": repeats.median_row(rows_b),
            "c_faithful": {"candidates_per_s": 0.2, "candidates_per_cpu_s": 0.1}}
    ratios = report.compute_ratios(rows, paired)
    assert ratios["b_over_a"]["value"] == 1.1 and ratios["b_over_a"]["met"] is False
    assert ratios["b_over_a"]["pairs"] == [1.1, 1.2, 1.0] and ratios["b_over_a"]["order"] == "ABBA"
    assert ratios["a_over_c"]["value"] == 15.0 and ratios["a_over_c"]["met"] is True
    # Without pairs, b/a is the two reported rows' ratio.
    assert report.compute_ratios(rows)["b_over_a"]["value"] == round(3.3 / 3.0, 3)


def test_benchmark_with_repeats_runs_each_pipeline_into_its_own_folder(tmp_path, tiny_model_dir):
    out, work = tmp_path / "results", tmp_path / "work"
    argv = ["--records", "4", "--naive_records", "0", "--threads", "1", "--dtype", "float32",
            "--model", str(tiny_model_dir), "--out", str(out), "--no_isolate", "--repeats", "2",
            "--dev_records", "0", "--long_dev_records", "0", "--workdir", str(work)]
    assert throughput.main(argv) == 0
    result = json.loads((out / "latest.json").read_text())
    a, b = result["rows"]["a_pipeline"], result["rows"]["b_bound"]
    assert len(a["repeats"]) == 2 and len(b["repeats"]) == 2
    assert a["records"] == 4 and sum(a["doors"].values()) == 4  # one run's records, not two
    assert sorted(p.name for p in work.glob("out-a_pipeline*")) == ["out-a_pipeline", "out-a_pipeline-r1"]
    ratio = result["ratios"]["b_over_a"]
    expected = [round(rb["candidates_per_s"] / ra["candidates_per_s"], 3)
                for ra, rb in zip(a["repeats"], b["repeats"])]
    assert ratio["pairs"] == expected and len(expected) == 2
    assert abs(ratio["value"] - sum(expected) / 2) < 1e-3  # the median of two pairs: their mean
    assert result["options"]["repeats"] == 2 and all(result["consistency"].values())
    assert f"pair (ABBA order; the value above is their median): {expected[0]:.3f}, " \
        f"{expected[1]:.3f}" in report.format_table(result)

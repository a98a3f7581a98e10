"""The throughput benchmark's code works end to end on a tiny workload (never its timings)."""
from __future__ import annotations

import json

from bench import throughput, workload
from beam_pii.inference.backends.base import ScoringGroup


def test_workload_is_fixed_and_mixed():
    records = workload.build_workload(40, seed=3)
    assert records == workload.build_workload(40, seed=3)
    assert {r["kind"] for r in records} == {"text", "json", "long_json"}
    assert all(1 <= len(r["PIIs"]) <= workload.MAX_TYPES for r in records)
    assert len({r["recordId"] for r in records}) == 40
    long_sizes = [len(r["input"].encode()) for r in records if r["kind"] == "long_json"]
    assert long_sizes and all(900 <= s <= 4000 for s in long_sizes)
    assert len(workload.subsample(records, 7)) == 7


def test_naive_answers_are_parsed_as_type_lists():
    flagged = ["Email Address", "Phone Number", "Person Name"]
    assert throughput.parse_naive_answer("Email Address, person name", flagged) == \
        (["Email Address", "Person Name"], True)
    assert throughput.parse_naive_answer("none.", flagged) == ([], True)
    assert throughput.parse_naive_answer("The text contains an email.", flagged) == ([], False)
    assert throughput.parse_naive_answer("", flagged) == ([], False)


def test_bound_chunks_cover_every_group_within_the_budget():
    lengths = [5, 300, 40, 41, 900, 42, 310, 2000, 7]
    groups = [ScoringGroup(tuple(range(n)), ((1,) * 30,) * (1 + n % 3)) for n in lengths]
    chunks = throughput.bound_chunks(groups, 1024)
    assert sorted(i for c in chunks for i in c) == list(range(len(groups)))
    for chunk in chunks:
        width = max(len(groups[i].text_ids) for i in chunk)
        cost = len(chunk) * width + sum(len(groups[i].question_ids) * 30 for i in chunk)
        assert cost <= 1024 or len(chunk) == 1


def test_benchmark_runs_end_to_end_on_a_tiny_workload(tmp_path, tiny_model_dir):
    """All rows in this process (fast); the spawned-process path is tested below."""
    out = tmp_path / "results"
    argv = ["--records", "6", "--naive_records", "2", "--naive_max_new_tokens", "4",
            "--threads", "1", "--dtype", "float32", "--model", str(tiny_model_dir),
            "--out", str(out), "--no_isolate"]
    assert throughput.main(argv) == 0

    result = json.loads((out / "latest.json").read_text())
    assert len(list(out.glob("*.json"))) == 2  # the timestamped copy and latest.json
    for key in ("benchmark", "timestamp", "options", "host", "model", "workload", "rows",
                "ratios", "consistency"):
        assert key in result
    rows, w = result["rows"], result["workload"]
    assert set(rows) == {"a_pipeline", "b_bound", "c_naive"}
    for row in rows.values():
        for key in throughput.ROW_KEYS:
            assert row[key] is not None, (row["name"], key)
        assert row["wall_seconds"] > 0 and row["peak_rss_mb"] > 0

    a, b, c = rows["a_pipeline"], rows["b_bound"], rows["c_naive"]
    assert w["records"] == 6 and a["records"] == 6 and sum(a["doors"].values()) == 6
    assert a["candidates"] == b["candidates"] == w["candidates"]
    assert a["model_candidates"] == b["model_candidates"] > 0
    assert a["model_candidates"] + a["validator_rejected"] == w["candidates"]
    assert b["engine"]["real_tokens"] == b["computed_tokens"] == a["engine"]["real_tokens"]
    sample = workload.subsample(workload.build_workload(6), 2)
    assert c["records"] == 2 and c["candidates"] == sum(len(r["PIIs"]) for r in sample)
    assert c["generated_tokens"] <= 4 * 2
    assert all(result["consistency"].values()), result["consistency"]
    assert set(result["ratios"]) == set(throughput.TARGETS)
    for ratio in result["ratios"].values():
        assert ratio["value"] is not None and isinstance(ratio["met"], bool)
    assert "ratio" in throughput.format_table(result)


def test_a_phase_runs_in_its_own_spawned_process(tmp_path, tiny_model_dir):
    records = workload.build_workload(4)[:1]
    ctx = throughput.BenchContext(options={"dtype": "float32", "threads": 1,
                                           "model": str(tiny_model_dir)},
                                  workdir=tmp_path, workload_path=tmp_path / "unused.jsonl",
                                  records=records)
    row = ctx.run_phase("c_naive", throughput.phase_naive, records=records,
                        options=ctx.options, max_new_tokens=1)
    assert row["rss_isolated"] and row["peak_rss_mb"] > 0
    assert row["records"] == 1 and row["candidates"] == len(records[0]["PIIs"])
    assert ctx.rows["c_naive"] is row

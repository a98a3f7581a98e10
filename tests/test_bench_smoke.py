"""The throughput benchmark's code works end to end on a tiny workload (never its timings)."""
from __future__ import annotations

import json

from bench import bound, cpu_paths, faithful, naive, report, throughput, workload
from bench.phases import BenchContext
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
    assert naive.parse_naive_answer("Email Address, person name", flagged) == \
        (["Email Address", "Person Name"], True)
    assert naive.parse_naive_answer("none.", flagged) == ([], True)
    assert naive.parse_naive_answer("The text contains an email.", flagged) == ([], False)
    assert naive.parse_naive_answer("", flagged) == ([], False)


def test_bound_chunks_cover_every_group_within_the_budget():
    lengths = [5, 300, 40, 41, 900, 42, 310, 2000, 7]
    groups = [ScoringGroup(tuple(range(n)), ((1,) * 30,) * (1 + n % 3)) for n in lengths]
    chunks = bound.bound_chunks(groups, 1024)
    assert sorted(i for c in chunks for i in c) == list(range(len(groups)))
    for chunk in chunks:
        width = max(len(groups[i].text_ids) for i in chunk)
        cost = len(chunk) * width + sum(len(groups[i].question_ids) * 30 for i in chunk)
        assert cost <= 1024 or len(chunk) == 1


def test_faithful_answers_are_parsed_by_string_matching():
    flagged = ["Email Address", "Phone Number", "Person Name"]
    assert faithful.parse_list_answer("Email Address, Person Name", flagged) == \
        (["Email Address", "Person Name"], True)
    assert faithful.parse_list_answer("NONE", flagged) == ([], True)
    assert faithful.parse_list_answer("The email address is personal.", flagged) == \
        (["Email Address"], False)
    assert faithful.parse_list_answer("", flagged) == ([], False)
    assert faithful.parse_json_answer('{"verified": ["phone number"], "reasons": {}}', flagged) == \
        (["Phone Number"], True)
    assert faithful.parse_json_answer('{"verified": ["Phone', flagged) == ([], False)


def test_faithful_prompt_has_the_sizes_users_run(tokenizer):
    """~600-token rubric with the three tests and output rules, every flagged type described
    from the catalog, then the text: about 1,000 prompt tokens per record on the workload."""
    rubric = len(tokenizer.encode(faithful.RUBRIC))
    assert 550 <= rubric <= 700, rubric
    for test in ("Ownership", "Specificity", "Context", "Output rules", "NONE"):
        assert test in faithful.RUBRIC
    records = workload.subsample(workload.build_workload(300), 30)
    sizes = [len(tokenizer.encode(tokenizer.apply_chat_template(
        faithful.messages(r), add_generation_prompt=True, tokenize=False))) for r in records]
    assert 850 <= sum(sizes) / len(sizes) <= 1300, sizes
    message = faithful.user_message(records[0])
    from beam_pii.catalog import Catalog
    for pii in records[0]["PIIs"]:
        known = Catalog.default().lookup(pii)
        assert f"- {pii}: {known.description}" in message
    assert records[0]["input"] in message
    assert faithful.MAX_NEW_TOKENS == {"list": 150, "json": 300}
    assert (faithful.TEMPERATURE, faithful.TOP_P) == (0.1, 0.9)
    assert faithful.baseline_dtype("cpu") == ("transformers", "float32")


def test_long_dev_keeps_each_record_and_its_labels():
    dev = [{"recordId": "d1", "input": "Mail me at jane.roe@gmail.com", "PIIs": ["Email Address"],
            "labels": {"Email Address": True}, "family": "f", "input_kind": "text"}]
    (wrapped,) = cpu_paths.long_dev(dev)
    assert wrapped["recordId"] == "d1" and wrapped["labels"] == {"Email Address": True}
    assert "jane.roe@gmail.com" in wrapped["input"] and len(wrapped["input"]) >= 1000


def test_cpu_default_is_the_fastest_that_keeps_verdicts_and_recall():
    def row(speed, agreement, recall):
        return {"model_candidates_per_s": speed, "quality": {"pii_recall": recall},
                "agreement": {"verdict_agreement": agreement}}
    rows = {"fp32": row(1.0, 1.0, 0.98), "fast_lossy": row(3.0, 0.95, 0.98),
            "fast_recall_loss": row(2.5, 0.995, 0.97), "ok": row(1.4, 0.992, 0.98)}
    choice = cpu_paths.choose_cpu_default(rows, "fp32")
    assert choice["choice"] == "ok" and choice["qualified"] == ["fp32", "ok"]
    assert cpu_paths.choose_cpu_default({"fp32": rows["fp32"]}, "fp32")["choice"] == "fp32"


def test_benchmark_runs_end_to_end_on_a_tiny_workload(tmp_path, tiny_model_dir, monkeypatch):
    """All rows in this process (fast); the spawned-process path is tested below."""
    monkeypatch.setenv("BEAM_PII_CACHE_DIR", str(tmp_path / "cache"))  # the tiny model's export
    dev = tmp_path / "dev.jsonl"
    dev.write_text("".join(json.dumps(r) + "\n" for r in _dev_records()))
    out = tmp_path / "results"
    argv = ["--records", "6", "--naive_records", "2", "--naive_max_new_tokens", "4",
            "--threads", "1", "--dtype", "float32", "--model", str(tiny_model_dir),
            "--out", str(out), "--no_isolate", "--dev", str(dev), "--dev_records", "4",
            "--variants", "transformers:float32,transformers:qint8,onnxruntime:float32",
            "--long_dev_records", "3", "--budgets", "32,1536"]
    assert throughput.main(argv) == 0

    result = json.loads((out / "latest.json").read_text())
    assert len(list(out.glob("*.json"))) == 2  # the timestamped copy and latest.json
    for key in ("benchmark", "timestamp", "options", "host", "model", "workload", "rows",
                "ratios", "consistency", "cpu_paths", "text_budgets"):
        assert key in result
    rows, w = result["rows"], result["workload"]
    assert set(rows) == {"a_pipeline", "b_bound", "c_faithful", "c_naive_short",
                         "dev_transformers_float32", "dev_transformers_qint8",
                         "dev_onnxruntime_float32", "long_dev_text32", "long_dev_text1536"}
    for row in rows.values():
        for key in report.ROW_KEYS:
            assert row.get(key) is not None or key in ("records_per_s", "prompt_tokens_per_candidate"), \
                (row["name"], key)
        assert row["wall_seconds"] > 0 and row["peak_rss_mb"] > 0
        assert "confidences" not in row  # agreement inputs stay out of the result file

    a, b, c, c2 = rows["a_pipeline"], rows["b_bound"], rows["c_faithful"], rows["c_naive_short"]
    assert w["records"] == 6 and a["records"] == 6 and sum(a["doors"].values()) == 6
    assert a["candidates"] == b["candidates"] == w["candidates"]
    assert a["model_candidates"] == b["model_candidates"] > 0
    assert a["model_candidates"] + a["validator_rejected"] == w["candidates"]
    assert b["engine"]["real_tokens"] == b["computed_tokens"] == a["engine"]["real_tokens"]
    sample = workload.subsample(workload.build_workload(6), 2)
    for row in (c, c2):
        assert row["records"] == 2 and row["candidates"] == sum(len(r["PIIs"]) for r in sample)
    assert c2["generated_tokens"] <= 4 * 2 and c["generated_tokens"] <= 150 * 2
    assert c["sampling"] == {"temperature": 0.1, "top_p": 0.9, "max_new_tokens": 150,
                             "stop": "newline", "seed": workload.DEFAULT_SEED}
    assert c["prompt_tokens_per_record"] > 600  # the rubric alone is ~600 tokens
    assert all(result["consistency"].values()), result["consistency"]
    assert set(throughput.TARGETS) <= set(result["ratios"])
    for name in throughput.TARGETS:
        ratio = result["ratios"][name]
        assert ratio["value"] is not None and isinstance(ratio["met"], bool)
    assert result["ratios"]["a_over_c"]["target"] == ">= 15" and "goal" in result["ratios"]["a_over_c"]

    paths = result["cpu_paths"]
    assert paths["reference"] == "dev_transformers_float32" and paths["choice"] in paths["qualified"]
    ref = rows["dev_transformers_float32"]
    assert ref["agreement"]["verdict_agreement"] == 1.0 and ref["records"] == 4
    assert rows["dev_onnxruntime_float32"]["agreement"]["max_abs_confidence_diff"] < 1e-3
    assert rows["dev_transformers_qint8"]["model"]["dtype"] == "qint8"
    budgets = result["text_budgets"]
    assert rows["long_dev_text32"]["truncated"] == 3 and rows["long_dev_text1536"]["truncated"] == 0
    assert budgets["smallest_budget_holding_recall"] in (32, 1536)
    table = report.format_table(result)
    assert "(c) as users run it" in table and "CPU paths" in table and "max_text_tokens" in table


def _dev_records():
    return [
        {"recordId": "d1", "input": "Mail me at jane.roe@gmail.com", "PIIs": ["Email Address"],
         "labels": {"Email Address": True}, "family": "f", "input_kind": "text"},
        {"recordId": "d2", "input": "Write to support@acme.com or call 020 7946 0000",
         "PIIs": ["Email Address", "Phone Number"],
         "labels": {"Email Address": False, "Phone Number": False}, "family": "f", "input_kind": "text"},
        {"recordId": "d3", "input": "Patient Anna Berg, born 1984-03-02", "PIIs": ["Person Name", "Date of Birth"],
         "labels": {"Person Name": True, "Date of Birth": True}, "family": "g", "input_kind": "text"},
        {"recordId": "d4", "input": "Order 4539 1488 0343 6467 shipped", "PIIs": ["Credit Card Number"],
         "labels": {"Credit Card Number": False}, "family": "g", "input_kind": "text"},
    ]


def test_a_phase_runs_in_its_own_spawned_process(tmp_path, tiny_model_dir):
    records = workload.build_workload(4)[:1]
    ctx = BenchContext(options={"dtype": "float32", "threads": 1, "model": str(tiny_model_dir)},
                       workdir=tmp_path, workload_path=tmp_path / "unused.jsonl", records=records)
    row = ctx.run_phase("c_naive_short", naive.phase_naive_short, records=records,
                        options=ctx.options, max_new_tokens=1)
    assert row["rss_isolated"] and row["peak_rss_mb"] > 0
    assert row["records"] == 1 and row["candidates"] == len(records[0]["PIIs"])
    assert ctx.rows["c_naive_short"] is row


def test_without_a_dev_file_the_bench_generates_the_labelled_dev_split(tmp_path):
    path, records = cpu_paths.load_dev(None, tmp_path)
    assert path == str(tmp_path / "data" / "dev.jsonl")
    assert len(records) > 500 and all(r["split"] == "dev" for r in records)
    assert all(set(r["labels"]) == set(r["PIIs"]) and r["PIIs"] for r in records)
    # The same seed as `make evaluate`: a second call gives the same records.
    assert cpu_paths.load_dev(None, tmp_path / "again")[1] == records
    # A given file is read as it is.
    assert cpu_paths.load_dev(path, tmp_path)[1] == records

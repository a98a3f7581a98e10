"""Bad input: flagged type names the catalog does not know are verified by their name, counted
per name in Beam metrics, and the most frequent ones are listed in the run summary."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import apache_beam as beam
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from beam_pii.catalog import Catalog
from beam_pii.inference.prompting import PromptBuilder
from beam_pii.inference.unknown_types import (MAX_NAME_CHARS, OTHER_NAMES, UnknownTypeCounter, metric_name,
                                              unknown_type_counts)
from pipelines.verify_pii import format_summary, run

from conftest import read_door_records

LONG_NAME = "Internal Risk Attribute " + "X" * 300
RECORDS = [
    {"recordId": "u-1", "input": "Jane Roe's favourite colour is teal.", "PIIs": ["Favourite Colour", "Person Name"]},
    {"recordId": "u-2", "input": '{"shoe_size": 42, "favourite_colour": "red"}', "PIIs": ["Shoe Size", "Favourite Colour"]},
    {"recordId": "u-3", "input": "Favourite colour: green. Pet: a cat called Miso.",
     "PIIs": ["Favourite Colour", "Pet\tName\n"]},
    {"recordId": "u-4", "input": "Risk score 0.7 for account 5531.", "PIIs": [LONG_NAME]},
    {"recordId": "u-5", "input": "Mail jane.roe@gmail.com", "PIIs": ["Email Address"]},
]
# name as counted -> flags; the record text never appears in metric names
EXPECTED = {"Favourite Colour": 3, "Shoe Size": 1, "Pet Name": 1, LONG_NAME[:MAX_NAME_CHARS - 1] + "\u2026": 1}


def test_metric_name_is_printable_single_spaced_and_capped() -> None:
    assert metric_name("  Shoe\t Size\n") == "Shoe Size"
    assert metric_name("\x00\x07") == "(empty name)"
    capped = metric_name(LONG_NAME)
    assert len(capped) == MAX_NAME_CHARS and capped.endswith("\u2026") and capped.startswith("Internal Risk")
    assert metric_name("Favourite Colour") == "Favourite Colour"


def test_summary_lists_the_ten_most_frequent_unknown_names() -> None:
    counts = {f"Type {i:02d}": 100 - i for i in range(12)} | {"Rare": 1}
    summary = format_summary({"records_in": 5, "unknown_types": sum(counts.values())}, "out", counts)
    lines = summary.splitlines()
    header = next(i for i, line in enumerate(lines) if "types not in the catalog (top 10 of 13)" in line)
    listed = [line.split(None, 1) for line in lines[header + 1:header + 11]]
    assert [(int(c), n) for c, n in listed] == [(100 - i, f"Type {i:02d}") for i in range(10)]
    assert "Type 10" not in summary and "Rare" not in summary
    assert lines[-1].startswith("  results under out/")
    plain = format_summary({"records_in": 5}, "out", {})
    assert "add them with --catalog" not in plain and len(plain.splitlines()) == 5


def test_counter_caps_distinct_names_per_worker_but_counts_every_flag() -> None:
    catalog = Catalog.default()

    def count(names: list[str]) -> int:
        return UnknownTypeCounter(catalog, max_distinct=2).count(names)

    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        _ = (pipeline | beam.Create([["Alpha", "Beta", "Gamma", "Email Address", "Delta", "Alpha"]])
             | beam.Map(count))
    counts = unknown_type_counts(pipeline.result)
    assert counts == {"Alpha": 2, "Beta": 1, OTHER_NAMES: 2}


def test_an_unknown_type_is_asked_about_by_its_own_name(tokenizer) -> None:
    builder = PromptBuilder(tokenizer, Catalog.default(), max_text_tokens=256)
    question = tokenizer.decode(list(builder.question_ids("Favourite Colour")))
    assert "Flagged type: Favourite Colour." in question


def _run(tmp_path: Path, model_dir: Path, name: str, extra: Sequence[str] = ()) -> tuple[dict, dict]:
    source = tmp_path / f"{name}.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    out = tmp_path / name
    totals = run(["--input", str(source), "--output", str(out), "--model", str(model_dir), "--no_adapter",
                  "--dtype", "float32", "--threads", "1", *extra])
    return totals, read_door_records(out)


def _summary_counts(printed: str) -> dict[str, int]:
    lines = printed.splitlines()
    start = [i for i, line in enumerate(lines) if "types not in the catalog" in line and "--catalog" in line]
    if not start:
        return {}
    counts = {}
    for line in lines[start[-1] + 1:]:
        if not line.startswith("    "):
            break
        count, label = line.strip().split(None, 1)
        counts[label] = int(count)
    return counts


def test_pipeline_verifies_counts_and_lists_unknown_names(tmp_path, tiny_model_dir, capsys) -> None:
    totals, doors = _run(tmp_path, tiny_model_dir, "plain")
    assert not doors["failed"]
    by_id = {r["recordId"]: r for door in ("verified", "clean") for r in doors[door]}
    assert sorted(by_id) == sorted(r["recordId"] for r in RECORDS)  # no record lost
    for record in RECORDS:
        decisions = {d["pii"]: d for d in by_id[record["recordId"]]["decisions"]}
        names = [p.strip() for p in record["PIIs"]]  # as the record parser keeps them
        assert list(decisions) == names
        for pii in names:
            if Catalog.default().lookup(pii) is None:  # verified by the model under its own name
                assert decisions[pii]["source"] == "model" and 0.0 <= decisions[pii]["confidence"] <= 1.0
    assert totals["unknown_types"] == sum(EXPECTED.values()) == 6
    printed = capsys.readouterr().out
    assert _summary_counts(printed) == EXPECTED
    assert list(_summary_counts(printed))[0] == "Favourite Colour"  # most frequent first
    assert "teal" not in printed and "Miso" not in printed and "X" * MAX_NAME_CHARS not in printed


def test_a_catalog_file_takes_names_off_the_unknown_list(tmp_path, tiny_model_dir, capsys) -> None:
    overrides = tmp_path / "ours.yaml"
    overrides.write_text(
        "types:\n"
        "  - name: Favourite Colour\n"
        "    category: demographic\n"
        "    sensitivity: low\n"
        "    description: A colour a specific person says they like best; colours of products are not it.\n"
        "    aliases: [Pet Name]\n")
    totals, doors = _run(tmp_path, tiny_model_dir, "with-catalog", ["--catalog", str(overrides)])
    assert not doors["failed"]
    assert totals["unknown_types"] == 2
    assert _summary_counts(capsys.readouterr().out) == {"Shoe Size": 1, LONG_NAME[:MAX_NAME_CHARS - 1] + "\u2026": 1}

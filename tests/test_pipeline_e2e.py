"""End to end: the real pipeline, the real embedded model, records counted on disk."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that, equal_to

from beam_pii import VerifierConfig, VerifyPII
from pipelines.verify_pii import run

from conftest import EXAMPLES, leftover_temp_folders, read_door_records


def _sample_ids() -> list[str]:
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["recordId"] for line in fh if line.strip()]


def _assert_each_record_once(doors: dict[str, list[dict]], expected_ids: list[str]) -> None:
    seen = Counter(r.get("recordId") for records in doors.values() for r in records)
    assert sorted(seen) == sorted(expected_ids)
    assert set(seen.values()) == {1}, "a record landed in more than one door"


def _assert_decisions_sound(doors: dict[str, list[dict]]) -> None:
    for door in ("verified", "clean"):
        for record in doors[door]:
            assert [d["pii"] for d in record["decisions"]] == list(record["PIIs"])
            for decision in record["decisions"]:
                assert 0.0 <= decision["confidence"] <= 1.0
                assert decision["source"] == "model" or decision["source"].startswith("validator:")
            assert record["verified_piis"] == [d["pii"] for d in record["decisions"] if d["verified"]]
            assert bool(record["verified_piis"]) == (door == "verified")
            assert record["model"]["id"]


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("jsonl") / "out"
    totals = run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out)])
    return out, totals


def test_sample_jsonl_every_record_lands_once(jsonl_run):
    out, totals = jsonl_run
    doors = read_door_records(out)
    _assert_each_record_once(doors, _sample_ids())
    _assert_decisions_sound(doors)
    assert not doors["failed"]
    assert not leftover_temp_folders(out)
    assert totals["records_in"] == len(_sample_ids())
    assert totals["records_verified"] == len(doors["verified"])


def test_pass_through_fields_survive(jsonl_run):
    out, _ = jsonl_run
    originals = {}
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            originals[record["recordId"]] = record
    for records in read_door_records(out).values():
        for record in records:
            original = originals[record["recordId"]]
            assert {k: record[k] for k in original} == original


def test_sample_parquet_to_parquet(tmp_path):
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.parquet"), "--output", str(out), "--threshold", "0.5"])
    assert list(out.glob("decision=*/part-*.parquet"))
    doors = read_door_records(out)
    _assert_each_record_once(doors, _sample_ids())
    _assert_decisions_sound(doors)
    assert not leftover_temp_folders(out)


def test_malformed_lines_go_to_failed_with_errors(tmp_path):
    expected = json.loads((EXAMPLES / "malformed.expected.json").read_text())
    out = tmp_path / "out"
    totals = run(["--input", str(EXAMPLES / "malformed.jsonl"), "--output", str(out)])
    doors = read_door_records(out)
    assert len(doors["failed"]) == expected["bad"]
    assert all(r["error"] for r in doors["failed"])
    good = sorted(r["recordId"] for door in ("verified", "clean") for r in doors[door])
    assert good == sorted(expected["good_record_ids"])
    assert totals["records_failed"] == expected["bad"]
    unparseable = [r for r in doors["failed"] if "raw" in r]
    assert unparseable and all(isinstance(r["raw"], str) for r in unparseable)


def test_rerun_replaces_previous_results(tmp_path):
    out = tmp_path / "out"
    args = ["--input", str(EXAMPLES / "malformed.jsonl"), "--output", str(out)]
    run(args)
    run(args)
    doors = read_door_records(out)
    expected = json.loads((EXAMPLES / "malformed.expected.json").read_text())
    assert sum(map(len, doors.values())) == expected["good"] + expected["bad"]


def test_verify_pii_embeds_in_a_job_with_rows_and_dicts(tiny_model_dir):
    rows = [beam.Row(recordId="r1", input="Mail jane.roe@gmail.com", PIIs=["Email Address"])]
    dicts = [{"recordId": "r2", "input": "No PII here", "PIIs": []},
             {"recordId": "r3", "input": 7, "PIIs": ["Email Address"]}]
    config = VerifierConfig(model=str(tiny_model_dir), adapter=None, threads=1)
    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        records = ((pipeline | "Rows" >> beam.Create(rows)), (pipeline | "Dicts" >> beam.Create(dicts))) \
            | "Both" >> beam.Flatten()
        doors = records | VerifyPII(config)
        ids = {door: getattr(doors, door) | f"Ids_{door}" >> beam.Map(lambda r: r.get("recordId"))
               for door in ("verified", "clean", "failed")}
        assert_that(ids["failed"], equal_to(["r3"]), label="Failed")
        kept = (ids["verified"], ids["clean"]) | beam.Flatten()
        assert_that(kept, equal_to(["r1", "r2"]), label="Kept")
        assert_that(ids["clean"], _contains("r2"), label="Clean")


def _contains(wanted: str):
    def check(got):
        assert wanted in got, got
    return check

"""Field mapping end to end with the real pipeline and the tiny random model: dicts and
`beam.Row`s through `VerifyPII`, JSONL and nested Parquet through the pipeline command."""
from __future__ import annotations

import json
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq

from beam_pii import VerifierConfig, VerifyPII
from tests.conftest import read_door_records

BODY = "Hi, Maria Kovalenko here: maria.kovalenko82@gmail.com or +1 (415) 867-2291."
SUBJECT = "Refund for order 1182"


def _records() -> list[dict]:
    return [
        {"meta": {"id": "a-1", "team": "support"}, "subject": SUBJECT, "body": BODY,
         "detected": ["Email Address", "Phone Number"], "verified_piis": "user's own"},
        {"meta": {"id": "a-2"}, "subject": "Server config", "body": "listen 10.0.0.5:8443",
         "detected": [{"entity_type": "IP_ADDRESS", "start": 7, "end": 15, "score": 0.6}]},
        {"meta": {"id": "a-3"}, "subject": "no flags", "body": "nothing here", "detected": []},
        {"meta": {"id": "a-4"}, "subject": "lost column", "body": BODY},  # types field missing
        {"meta": {"id": "a-5"}, "subject": "no body", "detected": ["Email Address"]},
    ]


def _check_doors(doors: dict[str, list[dict]], id_of, prefix: str = "") -> None:
    by_id = {id_of(r): (door, r) for door, rows in doors.items() for r in rows}
    assert sorted(by_id) == ["a-1", "a-2", "a-3", "a-4", "a-5"]  # every record, one door each
    door, first = by_id["a-1"]
    assert door in ("verified", "clean")
    assert first["subject"] == SUBJECT and first["body"] == BODY  # the user's fields untouched
    assert [d["pii"] for d in first[prefix + "decisions"]] == ["Email Address", "Phone Number"]
    kept, dropped = first[prefix + "verified_piis"], first[prefix + "rejected_piis"]
    assert sorted(list(kept) + list(dropped)) == ["Email Address", "Phone Number"]
    # a Presidio-style result in the types field is read by its entity type (catalog name)
    assert [d["pii"] for d in by_id["a-2"][1][prefix + "decisions"]] == ["IP Address"]
    assert by_id["a-3"][0] == "clean" and list(by_id["a-3"][1][prefix + "verified_piis"]) == []
    assert by_id["a-4"][0] == "failed" and by_id["a-5"][0] == "failed"


def test_dicts_and_rows_with_nested_paths_and_two_text_fields(tiny_model_dir: Path, tmp_path: Path):
    from beam_pii import WritePartitioned

    config = VerifierConfig(model=str(tiny_model_dir), id_field="meta.id",
                            text_fields=("subject", "body"), types_field="detected",
                            output_prefix="bp_")
    rows = [beam.Row(meta=beam.Row(id=r["meta"]["id"]), subject=r["subject"], body=r.get("body"),
                     detected=r.get("detected")) for r in _records()]
    with beam.Pipeline() as pipeline:
        for kind, elements in (("dicts", _records()), ("rows", rows)):
            _ = (pipeline | f"Create_{kind}" >> beam.Create(elements)
                 | f"Verify_{kind}" >> VerifyPII(config)
                 | f"Write_{kind}" >> WritePartitioned(str(tmp_path / kind), fields=config.fields))

    for kind in ("dicts", "rows"):
        doors = read_door_records(tmp_path / kind)  # nested Rows are written as JSON objects
        _check_doors(doors, lambda r: r["meta"]["id"], prefix="bp_")
        failed = {r["meta"]["id"]: r for r in doors["failed"]}
        assert "'detected' is missing" in failed["a-4"]["bp_error"]
        assert failed["a-4"]["bp_error_stage"] == "validate"
        assert "'body' must be a string, got missing" in failed["a-5"]["bp_error"]
    done = {r["meta"]["id"]: r for r in read_door_records(tmp_path / "dicts")["verified"]
            + read_door_records(tmp_path / "dicts")["clean"]}
    assert done["a-1"]["verified_piis"] == "user's own"  # kept beside ours thanks to the prefix
    assert done["a-1"]["meta"] == {"id": "a-1", "team": "support"}


def test_jsonl_and_nested_parquet_through_the_pipeline_command(tiny_model_dir: Path, tmp_path: Path):
    from pipelines.verify_pii import run

    flags = ["--model", str(tiny_model_dir), "--id_field", "meta.id", "--text_field", "subject",
             "--text_field", "body", "--types_field", "detected", "-q"]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in _records()) + '{"meta": {"id": "a-6"}, \n')
    run(["--input", str(jsonl), "--output", str(tmp_path / "out_jsonl"), *flags])
    doors = read_door_records(tmp_path / "out_jsonl")
    broken = [r for r in doors["failed"] if r["meta"]["id"] == "a-6"]
    assert len(broken) == 1 and broken[0]["error_stage"] == "parse"  # the id found in the raw line
    doors["failed"] = [r for r in doors["failed"] if r["meta"]["id"] != "a-6"]
    _check_doors(doors, lambda r: r["meta"]["id"])

    # Parquet with nested structs: meta is a struct, detected a list of strings
    table = pa.Table.from_pylist([
        {"meta": {"id": r["meta"]["id"]}, "subject": r["subject"], "body": r.get("body"),
         "detected": None if "detected" not in r else
         [d if isinstance(d, str) else d["entity_type"] for d in r["detected"]]}
        for r in _records()])
    assert pa.types.is_struct(table.schema.field("meta").type)
    pq.write_table(table, tmp_path / "in.parquet")
    run(["--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out_pq"), *flags])
    doors = read_door_records(tmp_path / "out_pq")
    ok = doors["verified"] + doors["clean"]
    assert all(isinstance(r["meta"], dict) for r in ok)  # the struct is written back as a struct
    failed = {r["meta.id"]: r for r in doors["failed"]}  # the failed door's id column
    assert sorted(failed) == ["a-4", "a-5"] and "'detected' is missing" in failed["a-4"]["error"]
    assert json.loads(failed["a-4"]["raw"])["meta"] == {"id": "a-4"}
    ok_ids = sorted(r["meta"]["id"] for r in ok)
    assert ok_ids == ["a-1", "a-2", "a-3"]

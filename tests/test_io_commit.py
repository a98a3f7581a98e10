"""Output is committed only when a run succeeds; Parquet doors have one declared schema;
a byte-order mark is read. The real pipeline with the tiny model, records counted on disk."""
from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from beam_pii.io import parse_line
from beam_pii.io.schemas import PASSTHROUGH_JSON, parquet_input_schema, result_schema
from beam_pii.records import RecordError
from pipelines.verify_pii import run

from conftest import EXAMPLES, read_door_records

SAMPLE = EXAMPLES / "sample.jsonl"


def _sample_ids() -> list[str]:
    return sorted(json.loads(line)["recordId"] for line in SAMPLE.open(encoding="utf-8") if line.strip())


def _ids(doors: dict[str, list[dict]]) -> list[str]:
    return sorted(r["recordId"] for records in doors.values() for r in records)


def _args(tiny_model_dir: Path, input_path: Path, out: Path, *extra: str) -> list[str]:
    return ["--input", str(input_path), "--output", str(out), "--model", str(tiny_model_dir),
            "--threads", "1", *extra]


def _part_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("decision=*/part-*"))


def broken_model_dir(tiny_model_dir: Path, where: Path) -> Path:
    """A model folder that exists (so the launcher's check passes) but cannot be loaded: the
    failure happens on the worker, inside the running pipeline."""
    broken = where / "broken-model"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    return broken


def test_rerun_replaces_and_keep_previous_keeps(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    run(_args(tiny_model_dir, SAMPLE, out))
    first = _part_files(out)
    assert _ids(read_door_records(out)) == _sample_ids()
    run(_args(tiny_model_dir, SAMPLE, out))
    second = _part_files(out)
    assert not set(first) & set(second), "a re-run replaces the earlier part files"
    assert _ids(read_door_records(out)) == _sample_ids()
    run(_args(tiny_model_dir, SAMPLE, out, "--keep_previous_results"))
    kept = Counter(_ids(read_door_records(out)))
    assert set(kept) == set(_sample_ids()) and set(kept.values()) == {2}
    assert set(second) < set(_part_files(out))
    assert not (out / "_runs").exists(), "no staging folder is left behind"
    assert not list(out.rglob("beam-temp-*")) and not list(out.rglob(".temp*"))


def test_failed_run_leaves_earlier_results_intact(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    run(_args(tiny_model_dir, SAMPLE, out))
    before = {p: p.read_bytes() for p in out.glob("decision=*/part-*")}
    with pytest.raises(Exception, match="RunInference"):  # raised on the worker, mid-run
        run(_args(broken_model_dir(tiny_model_dir, tmp_path), SAMPLE, out))
    after = {p: p.read_bytes() for p in out.glob("decision=*/part-*")}
    assert after == before
    assert _ids(read_door_records(out)) == _sample_ids()
    assert not (out / "_runs").exists(), "the failed run's staging folder is removed"


def test_empty_doors(tmp_path, tiny_model_dir):
    """Parquet: an empty door gets one file with no rows and the door's schema. JSONL: its
    folder, with no file (Beam's S3 filesystem cannot write zero-byte objects)."""
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"recordId": "only", "input": "Nothing here", "PIIs": []}) + "\n")
    out = tmp_path / "out"
    run(_args(tiny_model_dir, source, out, "--output_format", "parquet"))
    for door in ("verified", "failed"):
        files = list((out / f"decision={door}").glob("part-*.parquet"))
        assert len(files) == 1 and pq.read_table(files[0]).num_rows == 0
    assert pq.read_schema(files[0]).names == ["recordId", "error", "error_stage", "raw"]
    assert [r["recordId"] for r in read_door_records(out)["clean"]] == ["only"]
    out_jsonl = tmp_path / "out-jsonl"
    run(_args(tiny_model_dir, source, out_jsonl))
    assert (out_jsonl / "decision=failed").is_dir() and not list((out_jsonl / "decision=failed").iterdir())
    assert [r["recordId"] for r in read_door_records(out_jsonl)["clean"]] == ["only"]


def test_jsonl_to_parquet_one_schema_per_door(tmp_path, tiny_model_dir):
    """Fields whose types differ from record to record still give every part file of a door
    the same, declared schema (the JSONL rule: other fields as one JSON object column)."""
    records = [json.loads(line) for line in SAMPLE.open(encoding="utf-8") if line.strip()]
    for i, record in enumerate(records):  # one field, three types
        record["extra"] = [i, str(i), {"n": i}][i % 3]
    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    run(_args(tiny_model_dir, source, out, "--output_format", "parquet",
              "--direct_running_mode", "multi_threading", "--direct_num_workers", "2"))
    expected = result_schema(None)
    for door in ("verified", "clean"):
        schemas = {str(pq.read_schema(p).remove_metadata()) for p in (out / f"decision={door}").glob("*.parquet")}
        assert schemas == {str(expected)}
    by_id = {r["recordId"]: r for records in read_door_records(out).values() for r in records}
    assert sorted(by_id) == _sample_ids()
    for record in records:
        got = by_id[record["recordId"]]
        assert got["input"] == record["input"] and got["PIIs"] == record["PIIs"]
        rest = json.loads(got[PASSTHROUGH_JSON])
        assert rest == {k: v for k, v in record.items() if k not in ("recordId", "input", "PIIs")}


def test_parquet_doors_keep_the_input_schema(tmp_path, tiny_model_dir):
    """Parquet input: the doors' pass-through columns are the input's, typed as in the input,
    unified over all input files (a column only the second file has is kept)."""
    table = pq.read_table(EXAMPLES / "sample.parquet")
    half = table.num_rows // 2
    folder = tmp_path / "in"
    folder.mkdir()
    pq.write_table(table.slice(0, half), folder / "a.parquet")
    second = table.slice(half).append_column("score", pa.array(range(table.num_rows - half), pa.int32()))
    pq.write_table(second, folder / "b.parquet")
    pattern = str(folder / "*.parquet")
    unified = parquet_input_schema(pattern)
    assert unified.field("score").type == pa.int32() and "source" in unified.names
    out = tmp_path / "out"
    run(_args(tiny_model_dir, Path(pattern), out))
    expected = result_schema(unified)
    for door in ("verified", "clean"):
        for path in (out / f"decision={door}").glob("*.parquet"):
            assert pq.read_schema(path).remove_metadata().equals(expected)
    doors = read_door_records(out)
    assert _ids(doors) == _sample_ids()
    scores = {r["recordId"]: r["score"] for door in ("verified", "clean") for r in doors[door]}
    assert sorted(v for v in scores.values() if v is not None) == list(range(table.num_rows - half))


def test_parquet_inputs_that_disagree_fail_before_the_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    pq.write_table(pa.table({"recordId": ["a"], "n": pa.array([1], pa.int64())}), folder / "a.parquet")
    pq.write_table(pa.table({"recordId": ["b"], "n": ["one"]}), folder / "b.parquet")
    with pytest.raises(ValueError, match="disagree"):
        parquet_input_schema(str(folder / "*.parquet"))


# --- byte-order mark (issue 16, item 3) --------------------------------------------------------
BOM = b"\xef\xbb\xbf"


def test_bom_on_a_line_is_read_like_utf8_sig():
    line = BOM + json.dumps({"recordId": "b1", "input": "x", "PIIs": []}).encode()
    assert list(parse_line(line)) == [{"recordId": "b1", "input": "x", "PIIs": []}]
    assert list(parse_line(BOM)) == []  # a file holding only the mark has no records


def test_other_bad_bytes_still_fail_with_their_position():
    good = json.dumps({"recordId": "b2", "input": "caf", "PIIs": []}).encode()
    bad = good[:-3] + b"\xff" + good[-3:]
    for line, position in ((bad, len(good) - 3), (BOM + bad, len(good))):
        [error] = parse_line(line)
        assert isinstance(error, RecordError)
        assert error.error == f"line is not valid UTF-8 (byte {position})"
        assert error.record_id == "b2"


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_bom_file_end_to_end(tmp_path, tiny_model_dir, compress):
    lines = [json.dumps({"recordId": f"w{i}", "input": "No PII in this note.", "PIIs": []}).encode()
             for i in range(3)]
    data = BOM + b"\r\n".join(lines) + b"\r\n"  # a Windows export: BOM and CRLF
    source = tmp_path / ("win.jsonl.gz" if compress else "win.jsonl")
    source.write_bytes(gzip.compress(data) if compress else data)
    out = tmp_path / "out"
    run(_args(tiny_model_dir, source, out))
    doors = read_door_records(out)
    assert not doors["failed"]
    assert sorted(r["recordId"] for r in doors["clean"]) == ["w0", "w1", "w2"]

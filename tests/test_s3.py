"""Object stores for real: the pipeline reads from and writes to `s3://` on a local S3-compatible
server (moto, 127.0.0.1) with nothing but Beam's own S3 options. Records are counted back from
the store, every one exactly once; a re-run replaces, a failed run leaves the earlier results.

`make test-s3` runs this file (and `make test` runs `make test-s3`).
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter

import pyarrow.parquet as pq
import pytest

from pipelines.verify_pii import run

from conftest import EXAMPLES, ROOT
from s3_server import S3Server, start_s3_server
from test_io_commit import broken_model_dir

BUCKET = "beam-pii-test"
DOORS = ("verified", "clean", "failed")


@pytest.fixture(scope="module")
def s3() -> S3Server:
    yield from _started()


def _started():
    for server in start_s3_server():
        client = server.client()
        client.create_bucket(Bucket=BUCKET)
        for name in ("sample.jsonl", "sample.parquet"):
            client.upload_file(str(EXAMPLES / name), BUCKET, f"in/{name}")
        yield server


def _sample_ids() -> list[str]:
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        return sorted(json.loads(line)["recordId"] for line in fh if line.strip())


def _door_objects(s3: S3Server, prefix: str) -> dict[str, list[str]]:
    return {door: [k for k in s3.keys(BUCKET, f"{prefix}/decision={door}/")
                   if k.rsplit("/", 1)[-1].startswith("part-")] for door in DOORS}


def _records(s3: S3Server, prefix: str) -> dict[str, list[dict]]:
    doors: dict[str, list[dict]] = {}
    for door, keys in _door_objects(s3, prefix).items():
        if prefix.startswith("parquet"):  # an empty JSONL door has no object at all
            assert keys, f"door {door} has no part file under s3://{BUCKET}/{prefix}"
        records: list[dict] = []
        for key in keys:
            body = s3.read(BUCKET, key)
            if key.endswith(".parquet"):
                records.extend(pq.read_table(io.BytesIO(body)).to_pylist())
            else:
                records.extend(json.loads(line) for line in body.decode("utf-8").splitlines() if line)
        doors[door] = records
    return doors


def _assert_each_once(doors: dict[str, list[dict]]) -> None:
    seen = Counter(r["recordId"] for records in doors.values() for r in records)
    assert sorted(seen) == _sample_ids()
    assert set(seen.values()) == {1}, "a record landed twice"


def _args(s3: S3Server, model, source: str, output: str, *extra: str) -> list[str]:
    return ["--input", f"s3://{BUCKET}/{source}", "--output", f"s3://{BUCKET}/{output}",
            "--model", str(model), "--threads", "1", *s3.beam_flags, *extra]


def test_jsonl_on_s3_rerun_replaces_failed_run_keeps(s3, tiny_model_dir, tmp_path):
    args = _args(s3, tiny_model_dir, "in/sample.jsonl", "jsonl-out")
    totals = run(args)
    first = _records(s3, "jsonl-out")
    _assert_each_once(first)
    assert totals["records_in"] == len(_sample_ids())
    assert sum(map(len, first.values())) == len(_sample_ids())
    keys_first = _door_objects(s3, "jsonl-out")

    run(args)  # a re-run replaces: new part files, the old ones gone, every record once
    keys_second = _door_objects(s3, "jsonl-out")
    assert not {k for ks in keys_first.values() for k in ks} & {k for ks in keys_second.values() for k in ks}
    _assert_each_once(_records(s3, "jsonl-out"))

    before = {k: s3.read(BUCKET, k) for ks in keys_second.values() for k in ks}
    broken = broken_model_dir(tiny_model_dir, tmp_path)
    with pytest.raises(Exception, match="RunInference"):  # the model fails on the worker, mid-run
        run(_args(s3, broken, "in/sample.jsonl", "jsonl-out"))
    after = {k: s3.read(BUCKET, k) for ks in _door_objects(s3, "jsonl-out").values() for k in ks}
    assert after == before, "a failed run must leave the earlier results as they were"
    assert not s3.keys(BUCKET, "jsonl-out/_runs/"), "the failed run's staging is removed"

    run(args + ["--keep_previous_results"])
    kept = Counter(r["recordId"] for rs in _records(s3, "jsonl-out").values() for r in rs)
    assert set(kept.values()) == {2} and sorted(kept) == _sample_ids()


def test_parquet_on_s3_one_schema_per_door(s3, tiny_model_dir):
    run(_args(s3, tiny_model_dir, "in/sample.parquet", "parquet-out",
              "--direct_running_mode", "multi_threading", "--direct_num_workers", "2"))
    doors = _records(s3, "parquet-out")
    _assert_each_once(doors)
    for door, keys in _door_objects(s3, "parquet-out").items():
        assert keys, f"Parquet door {door} has no file (an empty one has a schema-only file)"
        schemas = {str(pq.read_schema(io.BytesIO(s3.read(BUCKET, k)))) for k in keys}
        assert len(schemas) == 1, f"part files of {door} disagree on the schema"
    input_schema = pq.read_schema(EXAMPLES / "sample.parquet")
    verified_schema = pq.read_schema(io.BytesIO(s3.read(BUCKET, _door_objects(s3, "parquet-out")["verified"][0])))
    for field in input_schema:
        assert verified_schema.field(field.name).type == field.type
    assert not s3.keys(BUCKET, "parquet-out/_runs/")


def test_command_line_with_only_the_s3_flags(s3, tmp_path):
    """`python -m pipelines.verify_pii --input s3://… --output s3://…` plus Beam's S3 flags, and
    nothing else (the embedded model, default options)."""
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()][:3]
    s3.client().put_object(Bucket=BUCKET, Key="in/three.jsonl", Body="".join(lines).encode())
    ids = sorted(json.loads(line)["recordId"] for line in lines)
    env = dict(os.environ, HF_HUB_OFFLINE="1", AWS_EC2_METADATA_DISABLED="true")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.verify_pii", "--input", f"s3://{BUCKET}/in/three.jsonl",
         "--output", f"s3://{BUCKET}/cli-out", *s3.beam_flags],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "beam-pii: 3 records" in done.stdout
    doors = _records(s3, "cli-out")
    assert sorted(r["recordId"] for rs in doors.values() for r in rs) == ids
    assert not doors["failed"]

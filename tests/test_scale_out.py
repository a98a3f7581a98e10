"""Scale-out paths that can run on one machine: 2 SDK worker processes sharing one model,
and the portable runner with the embedded job server. Records are counted on disk."""
from __future__ import annotations

import json

from pipelines.verify_pii import run

from conftest import EXAMPLES, read_door_records


def _expected_ids() -> list[str]:
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        return sorted(json.loads(line)["recordId"] for line in fh if line.strip())


def _ids_on_disk(out) -> list[str]:
    return sorted(r["recordId"] for records in read_door_records(out).values() for r in records)


def test_two_worker_processes_share_one_model(tmp_path, tiny_model_dir, monkeypatch):
    load_log = tmp_path / "loads.txt"
    monkeypatch.setenv("BEAM_PII_LOAD_LOG", str(load_log))
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out), "--model", str(tiny_model_dir),
         "--threads", "1", "--share_model", "yes", "--direct_running_mode", "multi_processing",
         "--direct_num_workers", "2"])
    assert _ids_on_disk(out) == _expected_ids()
    assert not read_door_records(out)["failed"], "the shared model must serve every record"
    loads = load_log.read_text().splitlines()
    assert len(loads) == 1, f"model loaded {len(loads)} times across the worker processes"


def test_portable_runner_with_embedded_job_server(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out), "--model", str(tiny_model_dir),
         "--threads", "1", "--runner", "PortableRunner", "--job_endpoint", "embed",
         "--environment_type", "LOOPBACK"])
    assert _ids_on_disk(out) == _expected_ids()

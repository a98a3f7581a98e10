"""Scale-out paths that can run on one machine: 2 SDK worker processes sharing one model,
the portable runner with the embedded job server, and the portable runner handing its work to
an external worker pool of 2 SDK worker processes. Records are counted on disk."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest

from pipelines.verify_pii import run

from conftest import EXAMPLES, ROOT, read_door_records


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


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def worker_pool(tmp_path):
    """Beam's external worker pool (`worker_pool_main`, the SDK container's pool mode) on
    127.0.0.1: the runner asks it to start each SDK worker, and it starts each one as its own
    `python` process, as a Flink task manager's Beam worker pool does."""
    port = _free_port()
    load_log = tmp_path / "loads.txt"
    bin_dir = os.path.dirname(sys.executable)  # the pool starts workers with `python` on PATH
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
               BEAM_PII_LOAD_LOG=str(load_log), PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "apache_beam.runners.worker.worker_pool_main",
                             f"--service_port={port}"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the worker pool did not start")
            time.sleep(0.3)
        yield f"localhost:{port}", load_log, proc.pid
    finally:
        proc.terminate()  # the pool stops its worker processes on exit
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _every_record_once(out) -> None:
    doors = read_door_records(out)
    seen = Counter(r["recordId"] for records in doors.values() for r in records)
    assert sorted(seen) == _expected_ids() and set(seen.values()) == {1}
    assert not doors["failed"]


def _load_pids(load_log) -> list[str]:
    return [line.split()[0] for line in load_log.read_text().splitlines()]


def test_portable_runner_with_an_external_worker_pool(tmp_path, tiny_model_dir, worker_pool):
    """PortableRunner (job API, embedded job server) with `--environment_type EXTERNAL`: the
    SDK worker runs in a process the pool started, not in this launcher; every record once, the
    model loaded once. (Beam 2.77's embedded job server asks the pool for one worker.)"""
    address, load_log, pool_pid = worker_pool
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out), "--model", str(tiny_model_dir),
         "--threads", "1", "--runner", "PortableRunner", "--job_endpoint", "embed",
         "--environment_type", "EXTERNAL", "--environment_config", address])
    _every_record_once(out)
    loads = _load_pids(load_log)
    assert len(loads) == 1 and loads[0] not in (str(os.getpid()), str(pool_pid))


def test_two_workers_from_an_external_worker_pool(tmp_path, tiny_model_dir, worker_pool):
    """The pipeline's engine hands its bundles to 2 SDK worker processes of the external pool
    (`--environment_type EXTERNAL --direct_num_workers 2`): every record once, the model
    loaded exactly once in each worker, never in this launcher."""
    address, load_log, pool_pid = worker_pool
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out), "--model", str(tiny_model_dir),
         "--threads", "1", "--environment_type", "EXTERNAL", "--environment_config", address,
         "--direct_num_workers", "2", "--share_model", "no"])
    _every_record_once(out)
    loads = _load_pids(load_log)
    assert len(loads) == 2 and len(set(loads)) == 2, f"expected one load in each of 2 workers: {loads}"
    assert str(os.getpid()) not in loads and str(pool_pid) not in loads

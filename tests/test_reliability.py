"""Fail closed: scoring errors split and retry, then fail only the guilty record, keeping its flags;
a broken worker raises so the runner retries the bundle; out-of-memory is recovered where the
model lives.

The faults are injected around the real (tiny) model: a fake only decides *when* to fail.
"""
from __future__ import annotations

import json
import logging
import os
import re
import uuid

import apache_beam as beam
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that, equal_to

from beam_pii import PIIVerificationModelHandler, VerifierConfig, VerifyPII
from beam_pii.records import parse_request
from beam_pii.inference.verifier import Verifier
from pipelines.verify_pii import run

from conftest import EXAMPLES, read_door_records

POISON = "POISON-RECORD"


class FaultyBackend:
    """Wraps a real backend: raises for batches holding the poison text, OOMs above a size,
    or, once broken, raises the same exception for every call (health checks included)."""

    def __init__(self, real, poison_ids=None, oom_above: int | None = None,
                 broken: BaseException | None = None):
        self._real, self._poison, self._oom_above, self._broken = real, poison_ids, oom_above, broken
        self.calls: list[int] = []
        self.releases: list[int] = []  # pid of each memory release

    def __getattr__(self, name):
        return getattr(self._real, name)

    def score(self, prefix_ids, groups, answers):
        self.calls.append(len(groups))
        if self._broken is not None:
            raise self._broken
        if self._oom_above is not None and len(groups) > self._oom_above:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)")
        if self._poison is not None and any(g.text_ids[: len(self._poison)] == self._poison for g in groups):
            raise ValueError("injected scoring fault")
        return self._real.score(prefix_ids, groups, answers)

    def release_memory(self) -> int:
        self.releases.append(os.getpid())
        return self._real.release_memory()


def _requests(n: int = 6):
    texts = [f"Contact {name}.doe@gmail.com for access" for name in "abcdefgh"[: n - 1]] + [POISON]
    return [parse_request({"recordId": f"r{i}", "input": t, "PIIs": ["Email Address", "Person Name"]})
            for i, t in enumerate(texts)]


@pytest.fixture()
def tiny_config(tiny_model_dir) -> VerifierConfig:
    return VerifierConfig(model=str(tiny_model_dir), adapter=None, threads=1, validators=())


def test_poison_record_fails_alone_with_flags_kept(tiny_config):
    verifier = Verifier.load(tiny_config)
    clean = {r.request.record_id: r for r in verifier.verify(_requests())}
    poison_ids = verifier.prompts.encode_record(POISON).ids[:3]
    verifier.backend = FaultyBackend(verifier.backend, poison_ids=poison_ids)
    handler = PIIVerificationModelHandler(tiny_config)
    results = list(handler.run_inference(_requests(), verifier))
    assert [r.request.record_id for r in results] == [f"r{i}" for i in range(6)]
    for result in results:
        if result.request.text == POISON:
            assert result.error and "ValueError" in result.error
            assert all(d.verified and d.source == "error" for d in result.decisions)
        else:
            assert result.error is None
            assert [d.confidence for d in result.decisions] == pytest.approx(
                [d.confidence for d in clean[result.request.record_id].decisions], abs=1e-5)


def test_out_of_memory_splits_the_batch_and_succeeds(tiny_config):
    verifier = Verifier.load(tiny_config)
    verifier.backend = FaultyBackend(verifier.backend, oom_above=2)
    results = list(PIIVerificationModelHandler(tiny_config).run_inference(_requests(), verifier))
    assert all(r.error is None for r in results) and len(results) == 6
    assert max(verifier.backend.calls) == 6 and verifier.backend.calls[-1] <= 2
    # every out-of-memory freed memory through the model's own method, in this process here
    assert verifier.backend.releases and set(verifier.backend.releases) == {os.getpid()}


class PoisonHandler(PIIVerificationModelHandler):
    """The real handler with the fault-injecting backend around the real model."""

    def load_model(self) -> Verifier:
        verifier = super().load_model()
        verifier.backend = FaultyBackend(verifier.backend,
                                         poison_ids=verifier.prompts.encode_record(POISON).ids[:3])
        return verifier


def test_pipeline_routes_scoring_failures_to_failed(tiny_config):
    records = [{"recordId": r.record_id, "input": r.text, "PIIs": list(r.piis)} for r in _requests()]

    def check_failed(failed):
        assert [r["recordId"] for r in failed] == ["r5"]
        assert "injected scoring fault" in failed[0]["error"] and failed[0]["rejected_piis"] == []
        assert all(d["verified"] and d["source"] == "error" for d in failed[0]["decisions"])

    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        doors = pipeline | beam.Create(records) | VerifyPII(handler=PoisonHandler(tiny_config))
        assert_that(doors.failed, check_failed, label="Failed")
        kept = (doors.verified, doors.clean) | "Kept" >> beam.Flatten() | beam.Map(lambda r: r["recordId"])
        assert_that(kept, equal_to([f"r{i}" for i in range(5)]), label="Kept")


def _values_in(text: str) -> set[str]:
    """Things in a record that must never reach a log: emails, long digit runs, names."""
    found = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text))
    found |= {m for m in re.findall(r"\d[\d -]{6,}\d", text)}
    return {v for v in found if len(v) >= 8}


def test_logs_hold_ids_and_counts_never_values(tiny_model_dir, tmp_path, caplog, capsys):
    caplog.set_level(logging.INFO)
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out), "--model", str(tiny_model_dir),
         "--threads", "1"])
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    logged += capsys.readouterr().out
    values = set()
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            values |= _values_in(json.loads(line)["input"])
    assert values, "the sample should hold values to look for"
    leaked = [v for v in values if v in logged]
    assert not leaked, f"{len(leaked)} values leaked into the logs"
    assert sum(map(len, read_door_records(out).values())) == 62


# --- worker-level failures: raised, so the runner retries the bundle ----------------------------
class EngineDeadError(RuntimeError):
    """Named like vLLM's: an engine that reports itself dead."""


WORKER_FAULTS = {
    "same_exception_everywhere": OSError("model server connection reset (simulated)"),
    "device_side_assert": __import__("torch").AcceleratorError(
        "CUDA error: device-side assert triggered (simulated)"),
    "engine_dead": EngineDeadError("EngineCore encountered an issue (simulated)"),
}


@pytest.mark.parametrize("kind", sorted(WORKER_FAULTS))
def test_worker_failure_is_raised_after_bounded_attempts(tiny_config, kind):
    from beam_pii.inference.failures import WorkerFailure
    verifier = Verifier.load(tiny_config)
    healthy = list(PIIVerificationModelHandler(tiny_config).run_inference(_requests(), verifier))
    real = verifier.backend
    verifier.backend = FaultyBackend(real, broken=WORKER_FAULTS[kind])
    with pytest.raises(WorkerFailure) as raised:
        PIIVerificationModelHandler(tiny_config).run_inference(_requests(), verifier)
    assert raised.value.__cause__ is WORKER_FAULTS[kind]
    assert type(WORKER_FAULTS[kind]).__name__ in str(raised.value) and "6 record(s)" in str(raised.value)
    # fatal kinds raise at the first failure; any other after one health check: never 6 failed records
    assert len(verifier.backend.calls) == (2 if kind == "same_exception_everywhere" else 1)
    assert not isinstance(raised.value, Exception), "must pass Beam's `except Exception` dead letter"
    # the retry, on a healthy worker, scores every record as before
    verifier.backend = real
    retried = list(PIIVerificationModelHandler(tiny_config).run_inference(_requests(), verifier))
    assert [r.decisions for r in retried] == [r.decisions for r in healthy]


class BrokenWorkerHandler(PIIVerificationModelHandler):
    """The real handler whose loaded model breaks (the same exception for every call)."""

    def load_model(self) -> Verifier:
        verifier = super().load_model()
        verifier.backend = FaultyBackend(verifier.backend, broken=OSError("model server connection reset"))
        return verifier


def test_pipeline_fails_the_bundle_on_a_broken_worker(tiny_config, tmp_path):
    """Through the real pipeline (RunInference with its dead letter): nothing reaches `failed`,
    the bundle fails, so a runner would retry it elsewhere."""
    records = [{"recordId": r.record_id, "input": r.text, "PIIs": list(r.piis)} for r in _requests()]
    routed = tmp_path / "routed.jsonl"

    def note(record):
        with open(routed, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record["recordId"]) + "\n")

    with pytest.raises(BaseException) as raised:
        with beam.Pipeline(runner=FnApiRunner()) as pipeline:
            doors = pipeline | beam.Create(records) | VerifyPII(handler=BrokenWorkerHandler(tiny_config))
            for name, door in zip(("V", "C", "F"), doors):
                _ = door | f"Note{name}" >> beam.Map(note)
    print("pipeline failure:", type(raised.value).__name__, str(raised.value)[:300])
    assert "worker-level scoring failure" in str(raised.value)
    assert not routed.exists(), "no record may be routed when the worker is broken"


# --- out-of-memory recovery in the process that owns the model --------------------------------
class OomVerifierLoader:
    """Loads the real tiny verifier with a backend that runs out of memory above 2 records.

    Picklable (a module-level class), so Beam's `multi_process_shared` can build the model in
    its own server process."""

    def __init__(self, config: VerifierConfig):
        self.config = config

    def __call__(self) -> Verifier:
        verifier = PIIVerificationModelHandler(self.config).load_model()
        verifier.backend = FaultyBackend(verifier.backend, oom_above=2)
        return verifier


def test_out_of_memory_is_released_in_the_process_that_owns_the_model(tiny_config, tmp_path, monkeypatch):
    """Through Beam's shared-model proxy (only methods reachable), the model in another process."""
    from apache_beam.utils.multi_process_shared import MultiProcessShared

    load_log = tmp_path / "loads.txt"
    monkeypatch.setenv("BEAM_PII_LOAD_LOG", str(load_log))
    config = tiny_config.replace(share_model=True)
    shared = MultiProcessShared(OomVerifierLoader(config), tag=f"beam-pii-oom-{uuid.uuid4().hex}",
                                path=str(tmp_path), always_proxy=True, spawn_process=True)
    proxy = shared.acquire()
    try:
        results = list(PIIVerificationModelHandler(config).run_inference(_requests(), proxy))
        assert len(results) == 6 and all(r.error is None for r in results)
        released = proxy.release_memory()  # one more release, to read the owner's count back
    finally:
        try:  # ends the server process this test started (it exits without answering)
            shared.unsafe_hard_delete()
        except (EOFError, ConnectionError):
            pass
    owner_pid = int(load_log.read_text().split()[0])
    assert owner_pid != os.getpid() and released["pid"] == owner_pid
    assert released["releases"] >= 2  # the out-of-memory recovery ran in the owner, then this call


class OomHandler(PIIVerificationModelHandler):
    def load_model(self) -> Verifier:
        return OomVerifierLoader(self.config)()


def test_pipeline_with_a_shared_model_recovers_from_out_of_memory(tiny_config, caplog):
    """`share_model=True` in the real pipeline: the handler gets Beam's proxy, not the model."""
    caplog.set_level(logging.WARNING, logger="beam_pii.inference.handler")
    config = tiny_config.replace(share_model=True, max_batch_tokens=None, min_batch_size=6,
                                 max_batch_size=6)
    records = [{"recordId": r.record_id, "input": r.text, "PIIs": list(r.piis)} for r in _requests()]
    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        doors = pipeline | beam.Create(records) | VerifyPII(handler=OomHandler(config))
        assert_that(doors.failed, equal_to([]), label="NoneFailed")
        kept = (doors.verified, doors.clean) | "Kept" >> beam.Flatten() | beam.Map(lambda r: r["recordId"])
        assert_that(kept, equal_to([f"r{i}" for i in range(6)]), label="AllScored")
    released = [r.getMessage() for r in caplog.records if "released" in r.getMessage()]
    assert released and all("out of memory: released" in m for m in released)

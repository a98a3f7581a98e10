"""Fail closed: scoring errors split and retry, then fail only the guilty record, keeping its flags.

The faults are injected around the real (tiny) model: a fake only decides *when* to fail.
"""
from __future__ import annotations

import json
import logging
import re

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
    """Wraps a real backend: raises for batches holding the poison text, or OOMs above a size."""

    def __init__(self, real, poison_ids=None, oom_above: int | None = None):
        self._real, self._poison, self._oom_above = real, poison_ids, oom_above
        self.calls: list[int] = []

    def __getattr__(self, name):
        return getattr(self._real, name)

    def score(self, prefix_ids, groups, answers):
        self.calls.append(len(groups))
        if self._oom_above is not None and len(groups) > self._oom_above:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)")
        if self._poison is not None and any(g.text_ids[: len(self._poison)] == self._poison for g in groups):
            raise ValueError("injected scoring fault")
        return self._real.score(prefix_ids, groups, answers)


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

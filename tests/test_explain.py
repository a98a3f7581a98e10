"""Explanations: reasons exactly where asked, and never a changed verdict."""
from __future__ import annotations

import json

import pytest

from beam_pii.inference.explain import clean_reason, wants_reason
from beam_pii.records import Decision
from pipelines.verify_pii import run

from conftest import EXAMPLES, read_door_records


# A high threshold so that the sample has model rejections to explain whatever the adapter.
THRESHOLD = ["--threshold", "0.9"]


def _decisions_by_id(out):
    return {r["recordId"]: r["decisions"] for door in ("verified", "clean") for r in read_door_records(out)[door]}


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory):
    lines = (EXAMPLES / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    path = tmp_path_factory.mktemp("explain") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plain_run(small_sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("plain") / "out"
    run(["--input", str(small_sample), "--output", str(out), *THRESHOLD])
    return _decisions_by_id(out)


@pytest.mark.parametrize("mode", ["rejected", "all"])
def test_reasons_where_asked_and_verdicts_unchanged(mode, small_sample, plain_run, tmp_path):
    out = tmp_path / "out"
    totals = run(["--input", str(small_sample), "--output", str(out), "--explain", mode, *THRESHOLD])
    explained = _decisions_by_id(out)
    assert explained.keys() == plain_run.keys()
    asked = 0
    for rid, decisions in explained.items():
        for with_reason, without in zip(decisions, plain_run[rid]):
            # Verdicts identical; confidences equal up to float noise from Beam's batch sizes.
            assert (with_reason["verified"], with_reason["source"]) == (without["verified"], without["source"])
            assert with_reason["confidence"] == pytest.approx(without["confidence"], abs=1e-4)
            if with_reason["source"].startswith("validator:"):
                assert with_reason["reason"]  # the validator says why, without a model call
            elif mode == "all" or not with_reason["verified"]:
                asked += 1
                assert "reason" in with_reason
                reason = with_reason["reason"]
                assert reason is None or ("\n" not in reason and len(reason) <= 240)
            else:
                assert "reason" not in with_reason
    assert asked > 0
    assert totals.get("reasons_failed", 0) <= asked


def test_reason_cleaning():
    lead = "No. The flagged Email Address is not personal data of an identifiable person here because"
    assert clean_reason(lead, " it is a <|im_end|> shared\nsupport mailbox. More text") == \
        "The flagged Email Address is not personal data of an identifiable person here because it is a shared support mailbox."
    assert clean_reason(lead, "  \n ") is None
    assert wants_reason(Decision("A", False, 0.1, "model"), "rejected")
    assert not wants_reason(Decision("A", True, 0.9, "model"), "rejected")
    assert not wants_reason(Decision("A", False, 0.0, "validator:luhn", "x"), "all")

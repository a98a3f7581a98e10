"""The question-design comparison (issue 14, item 3): its figures are the ones the candidates give."""
from __future__ import annotations

from beam_pii_tools.evaluation.candidates import Candidate
from beam_pii_tools.evaluation.question_design import (
    SEEN, UNSEEN, fp_rejection_at_recall, group_figures, shipped_adapter_types)


def _cand(pii: str, label: bool, confidence: float, kept: bool) -> Candidate:
    return Candidate(record_id=f"r-{pii}-{confidence}", pii=pii, label=label, kept=kept,
                     confidence=confidence, source="model", door="verified")


def test_fp_rejection_at_recall_stops_at_the_last_positive_it_needs():
    cands = [_cand("Email Address", True, 0.9, True), _cand("Email Address", False, 0.8, True),
             _cand("Email Address", True, 0.7, True), _cand("Email Address", False, 0.1, False)]
    # Both positives are needed for recall 0.97; one negative scores above the second: 1 - 1/2.
    assert fp_rejection_at_recall(cands, 0.97) == 0.5
    # Recall 0.5 needs only the first positive: no negative above it.
    assert fp_rejection_at_recall(cands, 0.5) == 1.0
    figures = group_figures(cands)
    assert figures["roc_auc"] == 0.75 and figures["recall"] == 1.0 and figures["fp_rejection"] == 0.5
    assert figures["model_scored"] == 4 and figures["positives"] == 2


def test_shipped_adapter_types_are_the_44_canonical_names():
    types = shipped_adapter_types()
    assert len(types) == 44
    assert {"Email Address", "Social Security Number", "Vehicle License Plate"} <= types
    assert "Fingerprint" not in types  # a seed type added after the adapter was trained
    assert SEEN != UNSEEN

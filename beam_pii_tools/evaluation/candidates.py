"""Joining results with labels into candidates: one (record, flagged type) pair each.

Positive class = "is PII": a flag the pipeline *kept* (verified) is a predicted positive.
Failed records are fail-closed: every flag of a failed record counts as kept, and so does a
flag that got no decision, exactly as the pipeline treats them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from beam_pii_tools.evaluation.results import (DOORS, as_list, float_or_none, normalise_labels,
                                               to_bool)

__all__ = ["JSON_INPUT", "TEXT_INPUT", "MAX_LISTED_IDS", "Candidate", "Join", "LabelMismatchError",
           "door_of", "input_kind", "join"]

JSON_INPUT, TEXT_INPUT = "JSON", "free text"
MAX_LISTED_IDS = 20


class LabelMismatchError(ValueError):
    """Results and labels do not cover the same records (or flagged types)."""

    def __init__(self, message: str, *, matched: int = 0, missing_labels: Sequence[str] = (),
                 missing_results: Sequence[str] = (), unlabelled_flags: Sequence[str] = ()):
        super().__init__(message)
        self.matched = matched
        self.missing_labels = list(missing_labels)
        self.missing_results = list(missing_results)
        self.unlabelled_flags = list(unlabelled_flags)


@dataclass(frozen=True)
class Candidate:
    """One flagged (record, type) pair with the pipeline's decision and the truth."""

    record_id: str
    pii: str
    label: bool
    kept: bool
    confidence: float | None
    source: str
    door: str
    input_kind: str = TEXT_INPUT

    @property
    def tunable(self) -> bool:
        """Decided by the model with a confidence: moves with the threshold."""
        return self.source == "model" and self.confidence is not None


@dataclass
class Join:
    """The candidates of the matched records and how the join went."""

    candidates: list[Candidate]
    summary: dict[str, Any]
    records: int
    failed_records: int
    by_door: dict[str, int]
    duplicates: int = 0

    @property
    def failed_candidates(self) -> int:
        return sum(1 for c in self.candidates if c.source == "failed")


def door_of(record: Mapping[str, Any]) -> str:
    """The door a result left by: its `decision` field, else what its fields imply."""
    door = record.get("decision")
    if isinstance(door, str) and door in DOORS:
        return door
    if record.get("error"):
        return "failed"
    return "verified" if record.get("verified_piis") else "clean"


def input_kind(record: Mapping[str, Any]) -> str:
    """JSON or free text: the record's own `input_kind` when it says, else whether its input
    parses as a JSON object (the pipeline treats both alike; users ask how each fares)."""
    kind = record.get("input_kind")
    if isinstance(kind, str) and kind.strip():
        return JSON_INPUT if kind.strip().lower() == "json" else TEXT_INPUT
    text = record.get("input")
    if isinstance(text, str) and text.lstrip().startswith("{"):
        try:
            return JSON_INPUT if isinstance(json.loads(text), dict) else TEXT_INPUT
        except ValueError:
            return TEXT_INPUT
    return TEXT_INPUT


def _flags_of(record: Mapping[str, Any], labels: Mapping[str, bool] | None) -> list[str]:
    flags = [str(p) for p in as_list(record.get("PIIs"))]
    if not flags:
        flags = [str(d.get("pii")) for d in record.get("decisions") or [] if d.get("pii") is not None]
    if not flags and labels:
        flags = list(labels)  # a failed record whose flags were lost: the labelled flags, all kept
    return list(dict.fromkeys(flags))


def _candidate(record_id: str, pii: str, label: bool, door: str, kind: str,
               decision: Mapping[str, Any] | None) -> Candidate:
    """The pipeline's decision on one flag, fail-closed for failed records and missing ones."""
    if door == "failed":
        confidence = float_or_none(decision.get("confidence")) if decision else None
        return Candidate(record_id, pii, label, True, confidence, "failed", door, kind)
    if decision is None:  # an undecided flag is kept
        return Candidate(record_id, pii, label, True, None, "missing", door, kind)
    verified = to_bool(decision.get("verified"))
    return Candidate(record_id, pii, label, True if verified is None else verified,
                     float_or_none(decision.get("confidence")),
                     str(decision.get("source") or "unknown"), door, kind)


def _label_map(results: Sequence[Mapping[str, Any]],
               labels: Mapping[str, Mapping[str, bool]] | None) -> dict[str, dict[str, bool]]:
    if labels is not None:
        return {str(k): dict(v) for k, v in labels.items()}
    out: dict[str, dict[str, bool]] = {}
    for record in results:
        record_id = record.get("recordId")
        own = normalise_labels(record.get("labels"))
        if isinstance(record_id, str) and own is not None and record_id not in out:
            out[record_id] = own
    return out


def _mismatch_message(matched: int, results: int, labelled: int | None, missing_labels: list[str],
                      missing_results: list[str], unlabelled: list[str]) -> str:
    parts = [f"matched {matched} of {results} result records"
             + ("" if labelled is None else f" and {labelled} labelled records")]
    if missing_labels:
        parts.append(f"{len(missing_labels)} result(s) have no labels, e.g. "
                     f"{', '.join(missing_labels[:MAX_LISTED_IDS])}")
    if missing_results:
        parts.append(f"{len(missing_results)} labelled record(s) have no result, e.g. "
                     f"{', '.join(missing_results[:MAX_LISTED_IDS])}")
    if unlabelled:
        parts.append(f"{len(unlabelled)} flagged type(s) have no label, e.g. "
                     f"{', '.join(unlabelled[:MAX_LISTED_IDS])}")
    return ("results and labels do not match: " + "; ".join(parts)
            + ". Pass allow_partial=True (--allow_partial) to score the matched part only.")


def join(results: Sequence[Mapping[str, Any]], labels: Mapping[str, Mapping[str, bool]] | None,
         *, allow_partial: bool = False) -> Join:
    """Candidates of the records present in both results and labels (``labels=None``: each
    result's own ``labels``). Unless ``allow_partial``, a result without labels, a labelled
    record without a result or a flagged type without a label raises
    :class:`LabelMismatchError` naming up to 20 of them."""
    own_labels = labels is None
    label_map = _label_map(results, labels)
    by_id: dict[str, Mapping[str, Any]] = {}
    duplicates = no_id = 0
    for record in results:
        record_id = record.get("recordId")
        if not isinstance(record_id, str):
            no_id += 1
        elif record_id in by_id:
            duplicates += 1
        else:
            by_id[record_id] = record

    matched = [rid for rid in by_id if rid in label_map]
    missing_labels = sorted(rid for rid in by_id if rid not in label_map)
    missing_results = [] if own_labels else sorted(rid for rid in label_map if rid not in by_id)
    candidates: list[Candidate] = []
    unlabelled: list[str] = []
    doors: dict[str, int] = {}
    for record_id in matched:
        record, record_labels = by_id[record_id], label_map[record_id]
        door, kind = door_of(record), input_kind(record)
        doors[door] = doors.get(door, 0) + 1
        decisions: dict[str, Mapping[str, Any]] = {}
        for decision in record.get("decisions") or []:
            if decision.get("pii") is not None:
                decisions.setdefault(str(decision["pii"]), decision)
        for pii in _flags_of(record, record_labels):
            if pii not in record_labels:
                unlabelled.append(f"{record_id}:{pii}")
                continue
            candidates.append(_candidate(record_id, pii, bool(record_labels[pii]), door, kind,
                                         decisions.get(pii)))

    summary = {
        "matched": len(matched), "results": len(by_id), "labelled_records": len(label_map),
        "n_missing_labels": len(missing_labels), "n_missing_results": len(missing_results),
        "n_unlabelled_flags": len(unlabelled),
        "missing_labels": missing_labels[:MAX_LISTED_IDS],
        "missing_results": missing_results[:MAX_LISTED_IDS],
        "unlabelled_flags": unlabelled[:MAX_LISTED_IDS],
        "results_without_id": no_id,
        "partial": bool(missing_labels or missing_results or unlabelled),
        "labels_source": "results" if own_labels else "labels",
    }
    if summary["partial"] and not allow_partial:
        raise LabelMismatchError(
            _mismatch_message(len(matched), len(by_id), None if own_labels else len(label_map),
                              missing_labels, missing_results, unlabelled),
            matched=len(matched), missing_labels=missing_labels[:MAX_LISTED_IDS],
            missing_results=missing_results[:MAX_LISTED_IDS],
            unlabelled_flags=unlabelled[:MAX_LISTED_IDS])
    failed = doors.get("failed", 0)
    return Join(candidates, summary, len(matched), failed, doors, duplicates)

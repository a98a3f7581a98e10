"""Thresholds chosen on a calibration slice of the train families, never on dev.

Dev must stay a clean estimate of unseen contexts, so the thresholds the adapter ships with are
chosen on a slice of the *train* split held out of training: whole families (chosen by a
stable hash of the family id), so the slice is unseen by the adapter just as dev is. Two
tiers: the most sensitive types (catalog sensitivity high or critical: national ids, card and
bank numbers, health, biometrics, precise location, …) are held to `strict_min_recall`
(0.99), every other type to `min_recall`. A tier's threshold is the highest one whose recall
on that tier's calibration candidates reaches its target, with the validators deciding what
they decide in the default pipeline (their verdicts do not move with the threshold).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from beam_pii.catalog import Catalog
from beam_pii.inference.adapter import ThresholdPolicy

STRICT_SENSITIVITIES = ("high", "critical")
LOWEST_THRESHOLD = 1e-4  # never below: a threshold of 0 would keep every flag of the tier


def is_calibration_family(family: str, share: float, seed: int) -> bool:
    """Whether a train family is held out for calibration (stable across runs and machines)."""
    digest = hashlib.sha256(f"{seed}:{family}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64 < share


def split_calibration(train_records: Sequence[dict], share: float,
                      seed: int) -> tuple[list[dict], list[dict]]:
    """(records to train on, calibration records), whole families apart."""
    fit, calibration = [], []
    for record in train_records:
        (calibration if is_calibration_family(record["family"], share, seed) else fit).append(record)
    return fit, calibration


@dataclass(frozen=True)
class Candidate:
    """One flagged type of one labelled record, as the default pipeline would decide it."""

    label: bool
    sensitivity: str | None
    confidence: float | None  # the model's; None when a validator decided
    validator_verdict: bool | None


def candidates(results: Sequence[Mapping[str, Any]], validated: Mapping[str, Mapping[str, dict]],
               catalog: Catalog) -> list[Candidate]:
    """Scored results (every flag scored by the model) joined with labels and validators."""
    out = []
    for result in results:
        decided = validated.get(result["recordId"], {})
        labels = result["labels"]
        for decision in result["decisions"]:
            pii = decision["pii"]
            entry = catalog.lookup(pii)
            by_validator = decided.get(pii)
            out.append(Candidate(
                label=bool(labels[pii]), sensitivity=entry.sensitivity if entry else None,
                confidence=decision["confidence"] if decision["source"] == "model" else None,
                validator_verdict=None if by_validator is None else bool(by_validator["verified"])))
    return out


def _recall(cands: Sequence[Candidate], threshold: float) -> float:
    positives = [c for c in cands if c.label]
    if not positives:
        return 1.0
    kept = sum(1 for c in positives if (c.validator_verdict if c.validator_verdict is not None
                                        else c.confidence is None or c.confidence >= threshold))
    return kept / len(positives)


def tier_threshold(cands: Sequence[Candidate], min_recall: float) -> float:
    """The highest threshold whose recall on `cands` is at least `min_recall`."""
    grid = sorted({c.confidence for c in cands if c.confidence is not None and c.label},
                  reverse=True)
    for threshold in grid:  # recall only grows as the threshold falls
        if _recall(cands, threshold) >= min_recall:
            return max(float(threshold), LOWEST_THRESHOLD)
    return LOWEST_THRESHOLD


def is_strict(sensitivity: str | None) -> bool:
    return sensitivity is None or sensitivity in STRICT_SENSITIVITIES


def choose_policy(cands: Sequence[Candidate], min_recall: float,
                  strict_min_recall: float) -> ThresholdPolicy:
    """The default tier's threshold and the strict tiers' (never above the default)."""
    default = tier_threshold([c for c in cands if not is_strict(c.sensitivity)], min_recall)
    strict = min(tier_threshold([c for c in cands if is_strict(c.sensitivity)],
                                strict_min_recall), default)
    return ThresholdPolicy(default, {s: strict for s in STRICT_SENSITIVITIES})


def tier_report(cands: Sequence[Candidate], policy: ThresholdPolicy) -> dict[str, Any]:
    """Recall per tier at the chosen thresholds, with the candidate counts behind it."""
    report = {}
    for name, members in (("strict", [c for c in cands if is_strict(c.sensitivity)]),
                          ("default", [c for c in cands if not is_strict(c.sensitivity)])):
        threshold = policy.for_sensitivity("high" if name == "strict" else "low")
        report[name] = {"threshold": threshold, "candidates": len(members),
                        "positives": sum(c.label for c in members),
                        "recall": round(_recall(members, threshold), 4)}
    return report

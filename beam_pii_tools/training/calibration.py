"""Thresholds chosen on a calibration slice of the train families, never on dev.

Dev must stay a clean estimate of unseen contexts, so the thresholds the adapter ships with are
chosen on a slice of the *train* split held out of training: whole families (chosen by a
stable hash of the family id), so the slice is unseen by the adapter just as dev is. Two
tiers: the most sensitive types (catalog sensitivity high or critical: national ids, card and
bank numbers, health, biometrics, precise location, …) are held to `strict_min_recall`
(0.99), every other type to `min_recall`. A tier's threshold is the highest one whose recall
on that tier's calibration candidates reaches its target, with the validators deciding what
they decide in the default pipeline (their verdicts do not move with the threshold).

A slice of a few dozen families promises more than it keeps: the 750-step retrain's default tier
reached 0.973 on its slice and 0.955 on dev's unseen families. So a tier's threshold can carry a
margin for which families happened to land in the slice (`calibration_confidence`): the
families are resampled with replacement, the threshold is chosen on each resample, and the tier
gets the (1 - confidence) quantile of those thresholds, so that the target recall holds in that
share of resamples. The margin only ever lowers a threshold (keeps more flags), never raises it.
"""
from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from dataclasses import asdict, dataclass
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
    family: str | None = None  # the template family, the unit the margin resamples
    pii: str | None = None  # the flag's canonical type, so a tier can be re-drawn without rescoring

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def candidates(results: Sequence[Mapping[str, Any]], validated: Mapping[str, Mapping[str, dict]],
               catalog: Catalog, families: Mapping[str, str] | None = None) -> list[Candidate]:
    """Scored results (every flag scored by the model) joined with labels, validators and the
    records' families (recordId -> family)."""
    out = []
    families = families or {}
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
                validator_verdict=None if by_validator is None else bool(by_validator["verified"]),
                family=families.get(result["recordId"]), pii=entry.name if entry else pii))
    return out


def _always_kept(c: Candidate) -> bool | None:
    """True/False when the threshold cannot change the verdict, None when it decides."""
    if c.validator_verdict is not None:
        return c.validator_verdict
    return True if c.confidence is None else None


def _recall(cands: Sequence[Candidate], threshold: float) -> float:
    positives = [c for c in cands if c.label]
    if not positives:
        return 1.0
    kept = sum(1 for c in positives if (fixed := _always_kept(c))
               or (fixed is None and c.confidence >= threshold))
    return kept / len(positives)


def tier_threshold(cands: Sequence[Candidate], min_recall: float) -> float:
    """The highest threshold whose recall on `cands` is at least `min_recall`.

    Recall only changes at the model-decided positives' confidences, so the answer is the k-th
    highest of them for the smallest k that reaches the target (sorting, not a sweep: the margin
    calls this a thousand times per tier)."""
    positives = [c for c in cands if c.label]
    if not positives:
        return LOWEST_THRESHOLD
    fixed = sum(1 for c in positives if _always_kept(c))
    scored = sorted((c.confidence for c in positives if _always_kept(c) is None), reverse=True)
    need = next((k for k in range(len(scored) + 1) if (fixed + k) / len(positives) >= min_recall),
                None)  # the same comparison as `_recall`, so no rounding can tell them apart
    if need is None:
        return LOWEST_THRESHOLD
    if need == 0:
        grid = [c.confidence for c in positives if c.confidence is not None]
        return max(float(max(grid)), LOWEST_THRESHOLD) if grid else LOWEST_THRESHOLD
    return max(float(scored[need - 1]), LOWEST_THRESHOLD)


def margin_threshold(cands: Sequence[Candidate], min_recall: float, confidence: float,
                     samples: int, seed: int) -> float:
    """`tier_threshold` lowered so the target holds in `confidence` of the family resamples.

    Candidates without a family count as a family each. Never above the slice's own threshold:
    a resample that misses the slice's lowest positives would otherwise raise it."""
    point = tier_threshold(cands, min_recall)
    if confidence <= 0 or not cands:
        return point
    by_family: dict[Any, list[Candidate]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_family[c.family if c.family is not None else ("#", i)].append(c)
    groups = list(by_family.values())
    rng = random.Random(seed)
    draws = sorted(tier_threshold([c for g in rng.choices(groups, k=len(groups)) for c in g],
                                  min_recall) for _ in range(samples))
    quantile = draws[int(math.floor((1.0 - confidence) * (len(draws) - 1)))]
    return min(point, quantile)


def is_strict(sensitivity: str | None) -> bool:
    return sensitivity is None or sensitivity in STRICT_SENSITIVITIES


def choose_policy(cands: Sequence[Candidate], min_recall: float, strict_min_recall: float,
                  confidence: float = 0.0, samples: int = 1000, seed: int = 13) -> ThresholdPolicy:
    """The default tier's threshold and the strict tiers' (never above the default), each with
    the family-resampling margin when `confidence` > 0."""
    default = margin_threshold([c for c in cands if not is_strict(c.sensitivity)], min_recall,
                               confidence, samples, seed)
    strict = min(margin_threshold([c for c in cands if is_strict(c.sensitivity)],
                                  strict_min_recall, confidence, samples, seed), default)
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

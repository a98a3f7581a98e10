"""The loaded verifier: a backend plus the prompt builder, turning requests into results.

This is what `PIIVerificationModelHandler.load_model` returns and what Beam shares per worker.
It is also usable without Beam (`Verifier.load(config).verify(requests)`), which is what the
benchmark's bound and the tests use.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Sequence

from beam_pii.inference.backends import load_backend
from beam_pii.inference.adapter import ThresholdPolicy
from beam_pii.inference.backends.base import ScoringBackend, ScoringGroup
from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.explain import ExplainCounts, Explainer
from beam_pii.inference.injection import screen_instructions
from beam_pii.inference.prompting import EncodedRecord, PromptBuilder
from beam_pii.inference.truncation import TRUNCATED_REASON, TRUNCATED_SOURCE
from beam_pii.records import Decision, VerificationRequest, VerificationResult

_LOG = logging.getLogger(__name__)
HEALTH_CHECK_TEXT = "Health check: reach Jane Roe at jane.roe@example.org."
HEALTH_CHECK_TYPE = "Email Address"


@dataclass
class VerifierStats:
    """Counts since load, for metrics and the benchmark (tokens: prefix excluded)."""

    records: int = 0
    candidates: int = 0
    prompt_tokens: int = 0
    computed_tokens: int = 0
    truncated: int = 0
    unknown_types: int = 0
    explain: ExplainCounts = field(default_factory=ExplainCounts)  # --explain's work and fallbacks
    memory_releases: int = 0
    screened: int = 0  # records scored a second time without instruction-like passages


@dataclass
class RecordScore:
    """One record's scoring: its encoded text, the best confidence per judged type, the types
    left unjudged because their values were cut, and how many passages screening found."""

    encoded: EncodedRecord
    screened: int = 0
    confidences: dict[str, float] = field(default_factory=dict)
    own: dict[str, float] = field(default_factory=dict)  # of the record's own text (evidence)
    lost: tuple[str, ...] = ()
    groups: list[ScoringGroup] = field(default_factory=list)


class Verifier:
    """Scores the pending types of a batch of requests and folds the scores back per record."""

    def __init__(self, backend: ScoringBackend, config: VerifierConfig, catalog: Catalog):
        self.backend = backend
        self.config = config
        self.catalog = catalog
        max_text = min(config.max_text_tokens, max(backend.max_context - 512, 64))
        self.prompts = PromptBuilder(backend.tokenizer, catalog, max_text_tokens=max_text,
                                     type_descriptions=config.type_descriptions)
        self.stats = VerifierStats()
        self._lock = threading.Lock()
        # --threshold applies to every type; otherwise the adapter's calibrated policy, whose
        # stricter tiers hold the most sensitive types to a higher recall.
        self.policy = ThresholdPolicy(config.threshold) if config.threshold is not None else \
            ThresholdPolicy(backend.default_threshold, dict(backend.thresholds_by_sensitivity))
        self.threshold = self.policy.default
        self.explainer = Explainer(backend, self.prompts, catalog, mode=config.explain,
                                   max_new_tokens=config.explain_max_tokens)

    def threshold_for(self, pii: str) -> float:
        """The threshold a flag of this name is held to (by its catalog sensitivity)."""
        entry = self.catalog.lookup(pii)
        return self.policy.for_sensitivity(entry.sensitivity if entry is not None else None)

    @classmethod
    def load(cls, config: VerifierConfig, catalog: Catalog | None = None) -> "Verifier":
        return cls(load_backend(config), config, catalog or Catalog.load(config.catalog_path))

    @property
    def model_info(self) -> dict[str, str]:
        return self.backend.info.to_dict()

    def describe(self) -> dict[str, str]:
        """The model's id, backend, dtype and device (a method: reachable through Beam's proxy)."""
        return self.model_info

    def verify(self, requests: Sequence[VerificationRequest]) -> list[VerificationResult]:
        """One result per request, in order. Raises if the backend fails (callers split/retry).

        Serialised per loaded copy: a shared model is called from every thread and process
        of the worker, and neither vLLM's engine nor a GPU's memory take concurrent batches well.
        """
        with self._lock:
            return self._verify(requests)

    def _verify(self, requests: Sequence[VerificationRequest]) -> list[VerificationResult]:
        started = time.perf_counter()
        scores = self._score(requests)
        all_decisions = []
        for request, score in zip(requests, scores):
            model_decisions = {
                pii: Decision(pii=pii, verified=conf >= self.threshold_for(pii),
                              confidence=round(conf, 6), source="model")
                for pii, conf in score.confidences.items()}
            model_decisions.update(truncated_decisions(score.lost))
            all_decisions.append(merge_decisions(request, model_decisions))
        if self.config.explain != "none":  # after every verdict of the batch: one scoring call
            all_decisions, explained = self.explainer.explain(
                requests, all_decisions, baselines=[score.own for score in scores])
            self.stats.explain.add(explained)
        results = []
        for request, score, decisions in zip(requests, scores, all_decisions):
            results.append(VerificationResult(
                request=request, decisions=decisions, model=self.model_info,
                latency_ms=(time.perf_counter() - started) * 1000.0, truncated=score.encoded.truncated,
                instructions_screened=score.screened))
            self._count(request, score)
        return results

    def plan_scoring(self, requests: Sequence[VerificationRequest]
                     ) -> tuple[list[RecordScore], list[tuple[RecordScore, tuple[str, ...], ScoringGroup]]]:
        """The scoring groups `_score` sends to the backend: per record its text, and its
        screened text when screening found passages; each with the types still judged there.
        Public so the bench's bound scores exactly the pipeline's groups."""
        scores: list[RecordScore] = []
        variants: list[tuple[RecordScore, tuple[str, ...], ScoringGroup]] = []
        for request in requests:
            found = (screen_instructions(request.text)
                     if self.config.screen_instructions and request.pending else None)
            screened = found.passages if found is not None else 0
            texts = [request.text] + ([found.text] if found is not None and screened else [])
            encodings = [self.prompts.encode_record(text, request.pending) for text in texts]
            record = RecordScore(encodings[0], screened=screened)  # the record's own text first
            scores.append(record)
            for encoded in encodings:
                judged = tuple(p for p in request.pending if p not in encoded.lost)
                group = ScoringGroup(encoded.ids, tuple(self.prompts.question_ids(p) for p in judged))
                record.groups.append(group)
                variants.append((record, judged, group))
        return scores, variants

    def _score(self, requests: Sequence[VerificationRequest]) -> list[RecordScore]:
        """Confidences per pending type, in one backend call for the whole batch.

        Each record's text is one scoring group; a text holding instruction-like passages
        (`injection.screen_instructions`) is scored a second time without them, and each type
        keeps the higher confidence, so screening can only keep a flag, never drop one. A type
        whose values were all cut away (`EncodedRecord.lost`) in every version is not scored
        at all: it is kept unjudged (fail closed).
        """
        scores, variants = self.plan_scoring(requests)
        scored = [v for v in variants if v[1]]
        if scored:
            outputs = self.backend.score(self.prompts.prefix_ids, [group for _, _, group in scored],
                                         self.prompts.answers)
            for (record, judged, group), confidences in zip(scored, outputs):
                for pii, conf in zip(judged, confidences):
                    record.confidences[pii] = max(conf, record.confidences.get(pii, conf))
                    if group is record.groups[0]:
                        record.own[pii] = conf
        for request, record in zip(requests, scores):
            record.lost = tuple(p for p in request.pending if p not in record.confidences)
        return scores

    def health_check(self) -> float:
        """Score a fixed one-line text; raises if the backend cannot (a broken worker).

        The handler calls it after a failure to tell a bad record (the check passes) from a
        bad worker (it fails too). Not counted in the stats.
        """
        ids = tuple(self.prompts.encode_record(HEALTH_CHECK_TEXT).ids)
        group = ScoringGroup(ids, (self.prompts.question_ids(HEALTH_CHECK_TYPE),))
        with self._lock:
            return self.backend.score(self.prompts.prefix_ids, [group], self.prompts.answers)[0][0]

    def release_memory(self) -> dict[str, int | str]:
        """Free cached accelerator memory after an out-of-memory error, in this process.

        A method on purpose: when the model is shared, Beam's proxy runs it in the process
        that owns the model, whose memory it is (torch's cache belongs to that process).
        Returns the process id, the bytes freed and how many releases there were since load.
        """
        gc.collect()
        freed = self.backend.release_memory()
        self.stats.memory_releases += 1
        return {"pid": os.getpid(), "freed_bytes": int(freed), "releases": self.stats.memory_releases}

    def _count(self, request: VerificationRequest, score: RecordScore) -> None:
        stats = self.stats
        stats.records += 1
        for group in score.groups:
            stats.candidates += len(group.question_ids)
            stats.prompt_tokens += group.prompt_tokens + len(self.prompts.prefix_ids) * len(group.question_ids)
            stats.computed_tokens += group.computed_tokens
        stats.truncated += int(score.encoded.truncated)
        stats.screened += int(score.screened > 0)
        for pii in request.pending:
            if self.catalog.lookup(pii) is None:
                stats.unknown_types += 1


def truncated_decisions(lost: Sequence[str]) -> dict[str, Decision]:
    """Kept, unjudged: every value of these types was cut from the text the model saw."""
    return {pii: Decision(pii=pii, verified=True, confidence=None, source=TRUNCATED_SOURCE,
                          reason=TRUNCATED_REASON) for pii in lost}


def merge_decisions(request: VerificationRequest,
                    model_decisions: dict[str, Decision]) -> tuple[Decision, ...]:
    """All decisions in the record's PII order; a type nobody decided is kept (fail closed)."""
    decided = {d.pii: d for d in request.decided}
    decided.update(model_decisions)
    return tuple(decided.get(pii) or Decision(pii=pii, verified=True, confidence=None,
                                              source="error:undecided")
                 for pii in request.piis)

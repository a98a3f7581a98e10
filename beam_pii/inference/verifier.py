"""The loaded verifier: a backend plus the prompt builder, turning requests into results.

This is what `PIIVerificationModelHandler.load_model` returns and what Beam shares per worker.
It is also usable without Beam (`Verifier.load(config).verify(requests)`), which is what the
benchmark's bound and the tests use.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Sequence

from beam_pii.inference.backends import load_backend
from beam_pii.inference.backends.base import ScoringBackend, ScoringGroup
from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.explain import ExplainCounts, Explainer
from beam_pii.inference.prompting import PromptBuilder
from beam_pii.records import Decision, VerificationRequest, VerificationResult

_LOG = logging.getLogger(__name__)


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


class Verifier:
    """Scores the pending types of a batch of requests and folds the scores back per record."""

    def __init__(self, backend: ScoringBackend, config: VerifierConfig, catalog: Catalog):
        self.backend = backend
        self.config = config
        self.catalog = catalog
        max_text = min(config.max_text_tokens, max(backend.max_context - 512, 64))
        self.prompts = PromptBuilder(backend.tokenizer, catalog, max_text_tokens=max_text)
        self.stats = VerifierStats()
        self._lock = threading.Lock()
        self.threshold = backend.default_threshold if config.threshold is None else config.threshold
        self.explainer = Explainer(backend, self.prompts, catalog, mode=config.explain,
                                   max_new_tokens=config.explain_max_tokens)

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
        encoded = [self.prompts.encode_record(r.text, r.pending) for r in requests]
        groups = [ScoringGroup(e.ids, tuple(self.prompts.question_ids(p) for p in r.pending))
                  for r, e in zip(requests, encoded)]
        scored = [i for i, g in enumerate(groups) if g.question_ids]
        confidences: dict[int, list[float]] = {}
        if scored:
            outputs = self.backend.score(self.prompts.prefix_ids, [groups[i] for i in scored],
                                         self.prompts.answers)
            confidences = dict(zip(scored, outputs))
        all_decisions = []
        for i, request in enumerate(requests):
            model_decisions = {
                pii: Decision(pii=pii, verified=conf >= self.threshold,
                              confidence=round(conf, 6), source="model")
                for pii, conf in zip(request.pending, confidences.get(i, []))}
            all_decisions.append(merge_decisions(request, model_decisions))
        if self.config.explain != "none":  # after every verdict of the batch: one scoring call
            all_decisions, explained = self.explainer.explain(requests, all_decisions)
            self.stats.explain.add(explained)
        results = []
        for i, (request, decisions) in enumerate(zip(requests, all_decisions)):
            results.append(VerificationResult(
                request=request, decisions=decisions, model=self.model_info,
                latency_ms=(time.perf_counter() - started) * 1000.0, truncated=encoded[i].truncated))
            self._count(request, groups[i], encoded[i].truncated)
        return results

    def _count(self, request: VerificationRequest, group: ScoringGroup, truncated: bool) -> None:
        stats = self.stats
        stats.records += 1
        stats.candidates += len(group.question_ids)
        stats.prompt_tokens += group.prompt_tokens + len(self.prompts.prefix_ids) * len(group.question_ids)
        stats.computed_tokens += group.computed_tokens
        stats.truncated += int(truncated)
        for pii in request.pending:
            if self.catalog.lookup(pii) is None:
                stats.unknown_types += 1


def merge_decisions(request: VerificationRequest,
                    model_decisions: dict[str, Decision]) -> tuple[Decision, ...]:
    """All decisions in the record's PII order; a type nobody decided is kept (fail closed)."""
    decided = {d.pii: d for d in request.decided}
    decided.update(model_decisions)
    return tuple(decided.get(pii) or Decision(pii=pii, verified=True, confidence=None,
                                              source="error:undecided")
                 for pii in request.piis)

"""The one small interface every backend implements.

A backend turns prompt segments into a confidence per candidate. All backends score the same
answer tokens at the same position, so their verdicts are comparable and a user can switch
backend without recalibrating.
"""
from __future__ import annotations

import abc
import math
from dataclasses import dataclass
from typing import Any, Sequence

from beam_pii.inference.prompting import AnswerTokens


@dataclass(frozen=True)
class ScoringGroup:
    """One record's text segment and the question segments of its pending types."""

    text_ids: tuple[int, ...]
    question_ids: tuple[tuple[int, ...], ...]

    @property
    def prompt_tokens(self) -> int:
        """Tokens of the record's prompts without prefix reuse (prefix excluded)."""
        return len(self.text_ids) * len(self.question_ids) + sum(map(len, self.question_ids))

    @property
    def computed_tokens(self) -> int:
        """Tokens computed with the record's text shared by its questions."""
        return len(self.text_ids) + sum(map(len, self.question_ids))


@dataclass(frozen=True)
class VariantGroup:
    """A record's text and copies of it with one window removed each (occlusion for evidence),
    every copy scored for the same questions.

    A copy shares its first tokens with the text (everything before the removed window), so a
    backend can compute the text once and each copy only from where it differs.
    """

    text_ids: tuple[int, ...]
    variants: tuple[tuple[int, ...], ...]
    question_ids: tuple[tuple[int, ...], ...]

    def heads(self) -> tuple[int, ...]:
        """Per copy, how many leading tokens it shares with the text (at least one token of
        each copy is left to compute, so every copy has a last position of its own)."""
        out = []
        for variant in self.variants:
            n = 0
            limit = min(len(variant) - 1, len(self.text_ids))
            while n < limit and variant[n] == self.text_ids[n]:
                n += 1
            out.append(n)
        return tuple(out)

    def as_groups(self) -> list[ScoringGroup]:
        """Each copy as an ordinary scoring group (for backends without head reuse)."""
        return [ScoringGroup(v, self.question_ids) for v in self.variants]

    @property
    def computed_tokens(self) -> int:
        """Tokens computed with the text's head shared by its copies."""
        tails = sum(len(v) - h for v, h in zip(self.variants, self.heads()))
        return len(self.text_ids) + tails + len(self.variants) * sum(map(len, self.question_ids))


@dataclass(frozen=True)
class ModelInfo:
    model_id: str
    backend: str
    dtype: str
    device: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.model_id, "backend": self.backend, "dtype": self.dtype,
                "device": self.device}


def confidence_from_logprobs(yes: Sequence[float], no: Sequence[float]) -> float:
    """P(yes) / (P(yes) + P(no)) from log-probabilities of the answer-token variants."""
    def logsumexp(values: Sequence[float]) -> float:
        top = max(values)
        if top == -math.inf:
            return top
        return top + math.log(sum(math.exp(v - top) for v in values))

    lse_yes, lse_no = logsumexp(yes), logsumexp(no)
    if lse_yes == -math.inf and lse_no == -math.inf:
        return 0.5
    diff = lse_yes - lse_no
    if diff >= 0:
        return 1.0 / (1.0 + math.exp(-diff))
    e = math.exp(diff)
    return e / (1.0 + e)


class ScoringBackend(abc.ABC):
    """A loaded model that scores candidates. Lives on one worker, shared by its threads."""

    tokenizer: Any
    info: ModelInfo
    max_context: int
    default_token_budget: int
    device_kind: str  # "cpu" or "cuda": decides sharing defaults
    default_threshold: float = 0.5  # calibrated with the loaded adapter, when there is one
    # per catalog sensitivity, calibrated with the adapter (beam_pii.inference.adapter)
    thresholds_by_sensitivity: dict[str, float] = {}

    @abc.abstractmethod
    def score(self, prefix_ids: Sequence[int], groups: Sequence[ScoringGroup],
              answers: AnswerTokens) -> list[list[float]]:
        """Confidence for every question of every group, in order."""

    def score_variants(self, prefix_ids: Sequence[int], groups: Sequence[VariantGroup],
                       answers: AnswerTokens) -> list[list[list[float]]]:
        """Confidence of every question for every copy of every group: [group][copy][question].

        By default each copy is an ordinary scoring group (vLLM's prefix cache then shares the
        instructions and each copy's head with the text by itself); the transformers backend
        computes each text once and every copy only from its removed window on.
        """
        flat = self.score(prefix_ids, [g for group in groups for g in group.as_groups()], answers)
        out, start = [], 0
        for group in groups:
            out.append(flat[start: start + len(group.variants)])
            start += len(group.variants)
        return out

    def release_memory(self) -> int:
        """Free cached accelerator memory (after an out-of-memory error); returns bytes freed.

        Backends that manage their own memory pool (vLLM) have nothing to free here.
        """
        return 0

    def generate(self, prompts: Sequence[Sequence[int]], max_new_tokens: int) -> list[str]:
        """Greedy continuation of full prompts by the *plain* model, the verification adapter
        off (for the optional reasons: a merged yes/no adapter cannot write sentences)."""
        raise NotImplementedError(f"{type(self).__name__} cannot generate explanations")

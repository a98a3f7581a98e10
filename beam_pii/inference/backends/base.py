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

    def release_memory(self) -> int:
        """Free cached accelerator memory (after an out-of-memory error); returns bytes freed.

        Backends that manage their own memory pool (vLLM) have nothing to free here.
        """
        return 0

    def generate(self, prompts: Sequence[Sequence[int]], max_new_tokens: int) -> list[str]:
        """Greedy continuation of full prompts (for optional explanations)."""
        raise NotImplementedError(f"{type(self).__name__} cannot generate explanations")

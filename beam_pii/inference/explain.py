"""Optional one-sentence reasons for model decisions, for audits.

The verdict always comes from scoring and is taken first; the reason is generated afterwards,
conditioned on that verdict ("The flagged Email Address is not personal data here because …"),
so it can explain but never change a decision. Greedy decoding keeps it deterministic.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Sequence

from beam_pii.inference.backends.base import ScoringBackend
from beam_pii.inference.prompting import KNOWN_CONTROL_TOKENS, PromptBuilder
from beam_pii.records import Decision

_LOG = logging.getLogger(__name__)
MAX_REASON_CHARS = 240
_KEPT = "Yes. The flagged {name} is real personal data of an identifiable person here because"
_REJECTED = "No. The flagged {name} is not personal data of an identifiable person here because"
_WHITESPACE = re.compile(r"\s+")


def wants_reason(decision: Decision, mode: str) -> bool:
    """Which model decisions get a generated reason: none, only rejected flags, or all."""
    if decision.source != "model" or mode == "none":
        return False
    return mode == "all" or not decision.verified


def verdict_lead(decision: Decision) -> str:
    return (_KEPT if decision.verified else _REJECTED).format(name=decision.pii)


def clean_reason(lead: str, generated: str) -> str | None:
    """One line, no control tokens, capped; None when the model produced nothing usable."""
    text = generated
    for token in KNOWN_CONTROL_TOKENS:
        text = text.replace(token, " ")
    text = _WHITESPACE.sub(" ", text).strip()
    text = text.split(". ")[0].rstrip(".").strip()
    if len(text) < 3 or not any(ch.isalpha() for ch in text):
        return None
    sentence = f"{lead.split('. ', 1)[1]} {text}."
    return sentence if len(sentence) <= MAX_REASON_CHARS else sentence[: MAX_REASON_CHARS - 1] + "…"


def add_reasons(backend: ScoringBackend, prompts: PromptBuilder, text_ids: Sequence[int],
                decisions: Sequence[Decision], mode: str, max_new_tokens: int) -> tuple[list[Decision], int]:
    """Decisions with `reason` filled where asked; returns them and how many reasons failed."""
    chosen = [i for i, d in enumerate(decisions) if wants_reason(d, mode)]
    out = list(decisions)
    if not chosen:
        return out, 0
    leads = [verdict_lead(decisions[i]) for i in chosen]
    requests = [tuple(prompts.prefix_ids) + tuple(text_ids) + prompts.question_ids(decisions[i].pii)
                + tuple(prompts.encode_plain(lead)) for i, lead in zip(chosen, leads)]
    try:
        generated = backend.generate(requests, max_new_tokens)
    except Exception as exc:  # noqa: BLE001 - a reason is optional; the verdict stands
        _LOG.warning("explanation generation failed: %s", type(exc).__name__)
        generated = [""] * len(requests)
    failed = 0
    for i, lead, text in zip(chosen, leads, generated):
        reason = clean_reason(lead, text)
        failed += reason is None
        out[i] = replace(out[i], reason=reason)
    return out, failed

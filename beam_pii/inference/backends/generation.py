"""Greedy generation for the optional reasons, by the model *without* the verification adapter.

The merged yes/no adapter has forgotten how to write ("… a kind of kind of no kind of …"), so
a reason is written by the plain weights: the plain copy the loader keeps beside a merged model
(`TransformersBackend.plain_model`), or, for a quantised model whose LoRA layers stay unmerged,
the same model with those layers switched off while it generates. A model without an adapter
writes as it is.

Decoding is greedy (deterministic) and never repeats a token 3-gram *within the sentence* it
writes (`SentenceNoRepeat`): small models loop otherwise, and a looping sentence is rejected by
the soundness rules anyway. The rule looks at the written tokens and the last `NO_REPEAT_NGRAM -
1` of the prompt only, not at the whole prompt as transformers' `no_repeat_ngram_size` does:
that one forbids quoting the record (every 3-gram of the evidence is in the prompt), which is
exactly what a reason should do.
"""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import torch
from transformers import LogitsProcessorList

if TYPE_CHECKING:  # pragma: no cover
    from beam_pii.inference.backends.transformers_backend import TransformersBackend

BATCH = 8
NO_REPEAT_NGRAM = 3


def banned_tokens(sequence: Sequence[int], n: int = NO_REPEAT_NGRAM) -> set[int]:
    """Tokens that would repeat an n-gram of `sequence` (pass the sentence window only: see
    `sentence_window`)."""
    if len(sequence) + 1 < n:
        return set()
    head = tuple(sequence[len(sequence) - n + 1:])
    return {sequence[i + n - 1] for i in range(len(sequence) - n + 1)
            if tuple(sequence[i: i + n - 1]) == head}


def window_start(prompt_width: int, n: int = NO_REPEAT_NGRAM) -> int:
    """First column of a (left-padded) row the no-repeat rule looks at: what was written after
    column `prompt_width`, with the prompt's last n-1 tokens so the first written n-gram counts."""
    return max(0, prompt_width - (n - 1))


def sentence_window(sequence: Sequence[int], prompt_width: int,
                    n: int = NO_REPEAT_NGRAM) -> Sequence[int]:
    """The tokens of a row the no-repeat rule looks at (`window_start` on)."""
    return sequence[window_start(prompt_width, n):]


class SentenceNoRepeat:
    """A transformers logits processor: ban every token that would repeat a 3-gram of the
    sentence being written (`sentence_window`), leaving the prompt's n-grams free to quote."""

    def __init__(self, prompt_width: int, n: int = NO_REPEAT_NGRAM):
        self.prompt_width = prompt_width
        self.n = n

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        # Slice before `tolist`: only the window is read, not the whole prompt, at every step.
        start = window_start(self.prompt_width, self.n)
        for row, window in enumerate(input_ids[:, start:].tolist()):
            banned = banned_tokens(window, self.n)
            if banned:
                scores[row, list(banned)] = -float("inf")
        return scores


def _lora_layers(model: Any) -> list[Any]:
    """The injected (unmerged) LoRA layers of `model`; empty without peft or an adapter."""
    try:
        from peft.tuners.tuners_utils import BaseTunerLayer
    except ImportError:  # peft is only needed when an adapter is used
        return []
    return [m for m in model.modules() if isinstance(m, BaseTunerLayer)]


@contextlib.contextmanager
def adapter_off(model: Any) -> Iterator[Any]:
    """`model` with its unmerged LoRA layers disabled for the duration (restored after)."""
    layers = _lora_layers(model)
    for layer in layers:
        layer.enable_adapters(False)
    try:
        yield model
    finally:
        for layer in layers:
            layer.enable_adapters(True)


@torch.inference_mode()
def generate(backend: "TransformersBackend", prompts: Sequence[Sequence[int]],
             max_new_tokens: int) -> list[str]:
    """Greedy continuations of full prompts, batched with left padding (every row ends at the
    same column), by the plain model."""
    texts: list[str] = []
    if not prompts:
        return texts
    plain = backend.plain_model
    # A lock-free toggle is safe: the verifier serialises calls into one backend.
    context = contextlib.nullcontext(plain) if plain is not None else adapter_off(backend.model)
    with context as model:
        for start in range(0, len(prompts), BATCH):
            ids, mask = backend._left_padded(prompts[start: start + BATCH])
            width = ids.shape[1]
            out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens,
                                 do_sample=False, pad_token_id=backend.pad_id,
                                 logits_processor=LogitsProcessorList([SentenceNoRepeat(width)]))
            texts.extend(backend.tokenizer.decode(row[width:], skip_special_tokens=True)
                         for row in out)
    return texts

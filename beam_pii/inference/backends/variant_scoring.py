"""Occlusion scoring with the record's shared head reused (the transformers backend).

Evidence scores a record's text again with one window removed at a time. Every such copy is
the text up to the window, then the rest: the first part is the record's own text, so its
key/values are computed once and each copy computes only its tail, on top of the cached
instructions. Three passes per chunk of records, all with explicit positions and attention
masks with holes (the same technique as `TransformersBackend.answer_logits_with_reuse`):

1. every record's text on the cached instructions;
2. every copy's tail, attending to the instructions and to its record's text *up to the
   removed window* (the text after it is masked out);
3. every question of every copy, attending to the instructions, that head and the tail.

A copy's tokens and positions are exactly those of scoring the copy as a text of its own, so
the confidences are the same up to float noise (tested against `score`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import torch

from beam_pii.inference.backends.base import VariantGroup
from beam_pii.inference.prompting import AnswerTokens

if TYPE_CHECKING:  # pragma: no cover
    from beam_pii.inference.backends.transformers_backend import TransformersBackend


def _right_padded(rows: Sequence[Sequence[int]], pad: int, dev: torch.device
                  ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(r) for r in rows], device=dev)
    width = max(int(lengths.max()), 1)
    ids = torch.full((len(rows), width), pad, dtype=torch.long, device=dev)
    for i, row in enumerate(rows):
        if row:
            ids[i, : len(row)] = torch.tensor(list(row), device=dev)
    mask = (torch.arange(width, device=dev)[None, :] < lengths[:, None]).long()
    return ids, mask, lengths


def variant_chunks(groups: Sequence[VariantGroup], budget: int) -> list[list[int]]:
    """Indices of the groups that have copies, in passes of at most `budget` computed tokens
    (shortest text first, to cut padding; a larger group passes alone)."""
    chunks: list[list[int]] = []
    current: list[int] = []
    used = 0
    live = [i for i, g in enumerate(groups) if g.variants]
    for i in sorted(live, key=lambda i: len(groups[i].text_ids)):
        cost = groups[i].computed_tokens
        if current and used + cost > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(i)
        used += cost
    if current:
        chunks.append(current)
    return chunks


@torch.inference_mode()
def score_variants(backend: "TransformersBackend", prefix_ids: Sequence[int],
                   groups: Sequence[VariantGroup], answers: AnswerTokens) -> list[list[list[float]]]:
    """[group][copy][question] confidences, the text of each group computed once."""
    from beam_pii.inference.backends.transformers_backend import _make_cache, _stack_cache

    results: list[list[list[float]]] = [[] for _ in groups]
    prefix = backend._prefix(tuple(prefix_ids))
    model, dev, pad, cache_kw = backend.model, backend.device, backend.pad_id, backend._cache_kw
    n_prefix = prefix[0][0].shape[2]
    for chunk in variant_chunks(groups, backend.token_budget):
        chunk_groups = [groups[i] for i in chunk]
        n = len(chunk_groups)
        # Pass 1: the records' texts on the instructions.
        text, text_mask, _ = _right_padded([g.text_ids for g in chunk_groups], pad, dev)
        cache = _make_cache([(k.expand(n, -1, -1, -1), v.expand(n, -1, -1, -1)) for k, v in prefix])
        ones = torch.ones((n, n_prefix), dtype=torch.long, device=dev)
        positions = n_prefix + torch.arange(text.shape[1], device=dev)[None, :].expand(n, -1)
        out = model(input_ids=text, attention_mask=torch.cat([ones, text_mask], 1),
                    position_ids=positions, use_cache=True, logits_to_keep=1, **{cache_kw: cache})
        text_layers = _stack_cache(out)
        # Pass 2: every copy's tail, seeing its record's text only up to the removed window.
        owner, heads, tails = [], [], []
        for r, g in enumerate(chunk_groups):
            for variant, head in zip(g.variants, g.heads()):
                owner.append(r)
                heads.append(head)
                tails.append(variant[head:])
        owner_t = torch.tensor(owner, device=dev)
        heads_t = torch.tensor(heads, device=dev)
        head_mask = (torch.arange(text.shape[1], device=dev)[None, :] < heads_t[:, None]).long()
        tail, tail_mask, tail_len = _right_padded(tails, pad, dev)
        m = len(tails)
        prefix_ones = torch.ones((m, n_prefix), dtype=torch.long, device=dev)
        positions = (n_prefix + heads_t)[:, None] + torch.arange(tail.shape[1], device=dev)[None, :]
        cache = _make_cache([(k[owner_t], v[owner_t]) for k, v in text_layers])
        out = model(input_ids=tail, attention_mask=torch.cat([prefix_ones, head_mask, tail_mask], 1),
                    position_ids=positions, use_cache=True, logits_to_keep=1, **{cache_kw: cache})
        copy_layers = _stack_cache(out)
        # Pass 3: every question of every copy, left-padded so the answer is the last column.
        q_owner = [c for c in range(m) for _ in chunk_groups[owner[c]].question_ids]
        questions = [q for c in range(m) for q in chunk_groups[owner[c]].question_ids]
        q_owner_t = torch.tensor(q_owner, device=dev)
        q_len = torch.tensor([len(q) for q in questions], device=dev)
        q_width = int(q_len.max())
        q_ids = torch.full((len(questions), q_width), pad, dtype=torch.long, device=dev)
        for row, q in enumerate(questions):
            q_ids[row, q_width - len(q):] = torch.tensor(q, device=dev)
        q_offsets = torch.arange(q_width, device=dev)[None, :] - (q_width - q_len)[:, None]
        q_mask = (q_offsets >= 0).long()
        positions = (n_prefix + heads_t[q_owner_t] + tail_len[q_owner_t])[:, None] + q_offsets.clamp(min=0)
        attention = torch.cat([torch.ones((len(questions), n_prefix), dtype=torch.long, device=dev),
                               head_mask[q_owner_t], tail_mask[q_owner_t], q_mask], 1)
        cache = _make_cache([(k[q_owner_t], v[q_owner_t]) for k, v in copy_layers])
        out = model(input_ids=q_ids, attention_mask=attention, position_ids=positions,
                    use_cache=True, logits_to_keep=1, **{cache_kw: cache})
        flat = backend._confidences(out.logits[:, -1, :], answers)
        # Back to [group][copy][question].
        start = 0
        for i, g in zip(chunk, chunk_groups):
            rows = []
            for _ in g.variants:
                rows.append(flat[start: start + len(g.question_ids)])
                start += len(g.question_ids)
            results[i] = rows
    return results

"""The tensors of the two prefix-reuse steps, shared by every backend that runs them itself.

Scoring with reuse runs two forward passes on top of the instructions' cached key/values:

1. every record's text, right-padded, attending to the instructions;
2. every question, left-padded so its answer position is the last column, attending to the
   instructions and its own record's cached text (holes in the mask are that text's padding).

The transformers backend feeds these tensors to torch, the ONNX Runtime backend to its
session; building them in one place keeps both on exactly the same layout, positions and
masks, so their scores can be compared one to one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from beam_pii.inference.backends.base import ScoringGroup
from beam_pii.inference.prompting import AnswerTokens


@dataclass(frozen=True)
class TextStep:
    """Step 1 inputs: texts (records, width), their mask over prefix + text, positions."""

    ids: torch.Tensor
    attention: torch.Tensor
    positions: torch.Tensor
    text_mask: torch.Tensor
    text_len: torch.Tensor


@dataclass(frozen=True)
class QuestionStep:
    """Step 2 inputs: questions (questions, width), mask over prefix + text + question,
    positions, and the row of the record each question belongs to (to gather its cache)."""

    ids: torch.Tensor
    attention: torch.Tensor
    positions: torch.Tensor
    owner: torch.Tensor


def text_step(groups: Sequence[ScoringGroup], n_prefix: int, pad_id: int,
              device: torch.device | str) -> TextStep:
    n_records = len(groups)
    text_len = torch.tensor([len(g.text_ids) for g in groups], device=device)
    width = int(text_len.max())
    ids = torch.full((n_records, width), pad_id, dtype=torch.long, device=device)
    for row, group in enumerate(groups):
        ids[row, : len(group.text_ids)] = torch.tensor(group.text_ids, device=device)
    text_mask = (torch.arange(width, device=device)[None, :] < text_len[:, None]).long()
    ones = torch.ones((n_records, n_prefix), dtype=torch.long, device=device)
    positions = n_prefix + torch.arange(width, device=device)[None, :].expand(n_records, -1)
    return TextStep(ids=ids, attention=torch.cat([ones, text_mask], 1), positions=positions,
                    text_mask=text_mask, text_len=text_len)


def question_step(groups: Sequence[ScoringGroup], n_prefix: int, text: TextStep, pad_id: int,
                  device: torch.device | str) -> QuestionStep:
    owner = torch.tensor([r for r, g in enumerate(groups) for _ in g.question_ids], device=device)
    questions = [q for g in groups for q in g.question_ids]
    q_len = torch.tensor([len(q) for q in questions], device=device)
    q_width = int(q_len.max())
    ids = torch.full((len(questions), q_width), pad_id, dtype=torch.long, device=device)
    for row, q in enumerate(questions):
        ids[row, q_width - len(q):] = torch.tensor(q, device=device)
    offsets = torch.arange(q_width, device=device)[None, :] - (q_width - q_len)[:, None]
    q_mask = (offsets >= 0).long()
    positions = (n_prefix + text.text_len[owner])[:, None] + offsets.clamp(min=0)
    attention = torch.cat([torch.ones((len(questions), n_prefix), dtype=torch.long, device=device),
                           text.text_mask[owner], q_mask], 1)
    return QuestionStep(ids=ids, attention=attention, positions=positions, owner=owner)


def left_padded(prompts: Sequence[Sequence[int]], pad_id: int,
                device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask, padded on the left so every row ends in the last column."""
    width = max(map(len, prompts))
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long, device=device)
    mask = torch.zeros_like(ids)
    for row, prompt in enumerate(prompts):
        ids[row, width - len(prompt):] = torch.tensor(list(prompt), device=device)
        mask[row, width - len(prompt):] = 1
    return ids, mask


PASS_PADDING_SLACK = 0.1  # a pass may compute at most ~10% padding (+16 tokens)


class PassShape:
    """Real and padded tokens of one forward pass as records are added to it."""

    __slots__ = ("rows", "width", "questions", "q_width", "real", "flat")

    def __init__(self) -> None:
        self.rows = self.width = self.questions = self.q_width = self.real = 0
        self.flat = False

    def adding(self, group: ScoringGroup, reuse_prefix: bool) -> "PassShape":
        out = PassShape()
        out.flat = not reuse_prefix
        out.rows, out.questions = self.rows + 1, self.questions + len(group.question_ids)
        longest_q = max(map(len, group.question_ids), default=0)
        if reuse_prefix:  # texts right-padded to the widest, questions to the widest question
            out.width, out.q_width = max(self.width, len(group.text_ids)), max(self.q_width, longest_q)
            out.real = self.real + group.computed_tokens
        else:  # every prompt in full, padded to the widest prompt
            out.width, out.q_width = max(self.width, len(group.text_ids) + longest_q), 0
            out.real = self.real + group.prompt_tokens
        return out

    @property
    def padded(self) -> int:
        if self.flat:
            return self.questions * self.width
        return self.rows * self.width + self.questions * self.q_width


def budget_chunks(groups: Sequence[ScoringGroup], budget: int, reuse: bool) -> list[list[int]]:
    """Indices of groups in passes, shortest text first: a pass ends before it would compute
    more than `budget` tokens *with padding*, or pad by more than `PASS_PADDING_SLACK`.

    Padding is computed work too: a pass is as wide as its longest text (and question), so a
    pass that mixes a 40-token chat with a 1,000-token JSON export mostly computes padding.
    Capping it per pass keeps the pipeline's passes as lean as sorting the whole workload
    would (the bench's bound uses the same rule)."""
    order = sorted(range(len(groups)), key=lambda i: len(groups[i].text_ids))
    chunks: list[list[int]] = []
    current: list[int] = []
    shape = PassShape()
    for i in order:
        grown = shape.adding(groups[i], reuse)
        if current and (grown.padded > budget
                        or grown.padded > (1 + PASS_PADDING_SLACK) * grown.real + 16):
            chunks.append(current)
            current, grown = [], PassShape().adding(groups[i], reuse)
        current.append(i)
        shape = grown
    if current:
        chunks.append(current)
    return chunks


def confidences(last_logits: torch.Tensor, answers: AnswerTokens) -> list[float]:
    """P(yes) / (P(yes) + P(no)) per row of answer-position logits."""
    logits = last_logits.float()
    yes = torch.logsumexp(logits[:, list(answers.yes)], dim=-1)
    no = torch.logsumexp(logits[:, list(answers.no)], dim=-1)
    return torch.sigmoid(yes - no).tolist()


def regroup(flat: Sequence[float], groups: Sequence[ScoringGroup]) -> list[list[float]]:
    """Flat per-question scores back into one list per group."""
    out, start = [], 0
    for g in groups:
        out.append(list(flat[start: start + len(g.question_ids)]))
        start += len(g.question_ids)
    return out

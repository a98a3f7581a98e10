"""The ONNX Runtime backend (`--backend onnxruntime`, CPU execution provider).

The model (adapter merged) is exported once to an ONNX decoder step with key/value-cache
inputs and outputs (`onnx_export`), so scoring keeps the transformers backend's layout and
reuse exactly: the instructions' key/values once per loaded model, each record's text once
for all its flags, one short question per flag, last-position logits and the same answer
tokens. The tensors come from `reuse_layout`, the module the transformers backend uses, so
both score the same tokens at the same positions. `--dtype float32` (the default here) or
`qint8` (ONNX Runtime's dynamic int8 weight matrices); `bench.cpu_paths` measures both against
the transformers backend. Loading reads the cached export only: torch builds no model.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from beam_pii.config import VerifierConfig, check_model_available
from beam_pii.inference.backends.base import ModelInfo, ScoringBackend, ScoringGroup
from beam_pii.inference.backends.generation import banned_tokens, sentence_window
from beam_pii.inference.backends.onnx_export import INPUTS, META_FILE, MODEL_FILE, ensure_export
from beam_pii.inference.backends.reuse_layout import (budget_chunks, confidences, left_padded,
                                                      question_step, regroup, text_step)
from beam_pii.inference.prompting import AnswerTokens

_LOG = logging.getLogger(__name__)
CPU_TOKEN_BUDGET = 4096
Past = tuple[np.ndarray, np.ndarray]  # stacked keys, values: (layers, batch, kv_heads, len, dim)


class OnnxBackend(ScoringBackend):
    """An exported decoder step run by an ONNX Runtime session, scored with prefix reuse."""

    device_kind = "cpu"

    def __init__(self, session: Any, tokenizer: Any, info: ModelInfo, meta: dict[str, Any], *,
                 reuse_prefix: bool = True, token_budget: int | None = None):
        self.session = session
        self.tokenizer = tokenizer
        self.info = info
        geometry = meta["geometry"]
        self.layers, self.kv_heads, self.head_dim = (geometry["layers"], geometry["kv_heads"],
                                                     geometry["head_dim"])
        self.max_context = geometry["max_context"]
        self.pad_id = int(meta["pad_id"])
        self.eos_ids = frozenset(meta.get("eos_ids") or ())
        self.default_threshold = float(meta.get("threshold", 0.5))
        self.thresholds_by_sensitivity = {str(k): float(v) for k, v in
                                          (meta.get("thresholds_by_sensitivity") or {}).items()}
        self.reuse_prefix = reuse_prefix
        self.default_token_budget = CPU_TOKEN_BUDGET
        self.token_budget = token_budget or CPU_TOKEN_BUDGET
        self._prefix_key: tuple[int, ...] | None = None
        self._prefix_past: Past | None = None

    # --- one decoder step ------------------------------------------------------------------
    def step(self, ids: torch.Tensor, attention: torch.Tensor, positions: torch.Tensor,
             past: Past | None) -> tuple[np.ndarray, Past]:
        """Last-position logits and the present cache. Without a past, a one-position dummy
        past (masked out, then dropped) stands in: one graph serves every step."""
        dummy = past is None
        if dummy:
            shape = (self.layers, ids.shape[0], self.kv_heads, 1, self.head_dim)
            past = (np.zeros(shape, np.float32), np.zeros(shape, np.float32))
            attention = torch.cat([torch.zeros_like(attention[:, :1]), attention], 1)
        feeds = dict(zip(INPUTS, (ids.numpy(), attention.numpy(), positions.numpy(),
                                  np.ascontiguousarray(past[0]), np.ascontiguousarray(past[1]))))
        logits, keys, values = self.session.run(None, feeds)
        if dummy:
            keys, values = keys[:, :, :, 1:], values[:, :, :, 1:]
        return logits, (keys, values)

    # --- scoring -------------------------------------------------------------------------
    def score(self, prefix_ids: Sequence[int], groups: Sequence[ScoringGroup],
              answers: AnswerTokens) -> list[list[float]]:
        results: list[list[float]] = [[] for _ in groups]
        for chunk in budget_chunks(groups, self.token_budget, self.reuse_prefix):
            chunk_groups = [groups[i] for i in chunk]
            if self.reuse_prefix:
                scores = self._score_with_reuse(tuple(prefix_ids), chunk_groups, answers)
            else:
                scores = self._score_flat(tuple(prefix_ids), chunk_groups, answers)
            for i, group_scores in zip(chunk, scores):
                results[i] = group_scores
        return results

    def _prefix(self, prefix_ids: tuple[int, ...]) -> Past:
        """Key/values of the instructions, computed once per loaded model."""
        if self._prefix_key != prefix_ids or self._prefix_past is None:
            ids = torch.tensor([list(prefix_ids)])
            _, self._prefix_past = self.step(ids, torch.ones_like(ids),
                                             torch.arange(len(prefix_ids))[None], None)
            self._prefix_key = prefix_ids
        return self._prefix_past

    def _score_with_reuse(self, prefix_ids: tuple[int, ...], groups: Sequence[ScoringGroup],
                          answers: AnswerTokens) -> list[list[float]]:
        keys, values = self._prefix(prefix_ids)
        n_prefix, n_records = keys.shape[3], len(groups)
        text = text_step(groups, n_prefix, self.pad_id, "cpu")
        expand = (keys.shape[0], n_records) + keys.shape[2:]
        _, (rec_keys, rec_values) = self.step(text.ids, text.attention, text.positions,
                                              (np.broadcast_to(keys, expand),
                                               np.broadcast_to(values, expand)))
        q = question_step(groups, n_prefix, text, self.pad_id, "cpu")
        owner = q.owner.numpy()
        logits, _ = self.step(q.ids, q.attention, q.positions,
                              (rec_keys[:, owner], rec_values[:, owner]))
        return regroup(confidences(torch.from_numpy(logits), answers), groups)

    def _score_flat(self, prefix_ids: tuple[int, ...], groups: Sequence[ScoringGroup],
                    answers: AnswerTokens) -> list[list[float]]:
        """Every prompt in full, left-padded (no reuse): what `reuse_prefix=False` asks for."""
        ids, mask = left_padded([prefix_ids + g.text_ids + q for g in groups for q in g.question_ids],
                                self.pad_id, "cpu")
        logits, _ = self.step(ids, mask, (mask.cumsum(1) - 1).clamp(min=0), None)
        return regroup(confidences(torch.from_numpy(logits), answers), groups)

    # --- explanations ----------------------------------------------------------------------
    def generate(self, prompts: Sequence[Sequence[int]], max_new_tokens: int) -> list[str]:
        """Greedy continuations (for `--explain`), batched with left padding, with the cache;
        never repeating a token 3-gram of the sentence, like the transformers backends
        (`generation.SentenceNoRepeat`)."""
        texts: list[str] = []
        for start in range(0, len(prompts), 8):
            ids, mask = left_padded(prompts[start: start + 8], self.pad_id, "cpu")
            positions = (mask.cumsum(1) - 1).clamp(min=0)
            logits, past = self.step(ids, mask, positions, None)
            done = np.zeros(ids.shape[0], dtype=bool)
            out: list[list[int]] = [[] for _ in range(ids.shape[0])]
            seqs = ids.tolist()  # for the no-repeat rule, as `SentenceNoRepeat` applies it
            width = ids.shape[1]
            for _ in range(max_new_tokens):
                logits = np.array(logits, copy=True)
                for row, seq in enumerate(seqs):
                    banned = list(banned_tokens(sentence_window(seq, width)))
                    if banned:
                        logits[row, banned] = -np.inf
                token = logits.argmax(-1)
                for row, t in enumerate(token.tolist()):
                    seqs[row].append(t)
                    if not done[row]:
                        if t in self.eos_ids:
                            done[row] = True
                        else:
                            out[row].append(t)
                if done.all():
                    break
                mask = torch.cat([mask, torch.ones_like(mask[:, :1])], 1)
                positions = positions[:, -1:] + 1
                logits, past = self.step(torch.from_numpy(token[:, None].astype(np.int64)), mask,
                                         positions, past)
            texts.extend(self.tokenizer.decode(row, skip_special_tokens=True) for row in out)
        return texts


def session_options(threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def load_onnx(config: VerifierConfig) -> OnnxBackend:
    """Export (once, cached) and open the model; `--dtype auto` means float32 here."""
    import onnxruntime as ort
    from transformers import AutoTokenizer

    from beam_pii.inference.backends.transformers_backend import (resolve_adapter,
                                                                  resolve_model_path)

    check_model_available(config)
    if config.device not in ("auto", "cpu"):
        raise ValueError("the onnxruntime backend runs on the CPU execution provider only")
    dtype = "float32" if config.dtype == "auto" else config.dtype
    path, adapter = resolve_model_path(config), resolve_adapter(config)
    folder = ensure_export(config, path, adapter, dtype)
    meta = json.loads((folder / META_FILE).read_text())
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = max(int(config.threads or available or 1), 1)
    session = ort.InferenceSession(str(folder / MODEL_FILE), sess_options=session_options(threads),
                                   providers=["CPUExecutionProvider"])
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    info = ModelInfo(model_id=meta["model_id"], backend="onnxruntime", dtype=dtype, device="cpu")
    _LOG.info("loaded %s (onnxruntime %s, %d threads) from %s", info.model_id, dtype, threads,
              Path(folder))
    budget = config.token_budget if isinstance(config.token_budget, int) else None
    return OnnxBackend(session, tokenizer, info, meta, reuse_prefix=config.reuse_prefix,
                       token_budget=budget)

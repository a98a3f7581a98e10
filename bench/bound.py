"""Row (b): the bound, the same model's forward passes over exactly the tokens (a) computed.

No Beam: the records go through the pipeline's own `ParseAndPrevalidate` logic (so the
validators decide the same candidates), the groups are built with `verifier.prompts`, and
`verifier.backend.score` is called once per pass, the passes cut by `bound_chunks`: shortest
text first, at most `BOUND_CPU_BUDGET` (CPU) or the backend's token budget (GPU) *padded*
tokens each, texts padded by at most ~10%. Only those calls are timed: loading, parsing,
validation and tokenisation are reported apart. This is the ideal (a) is measured against.
"""
from __future__ import annotations

import time
from typing import Any, Sequence

from bench.engine import engine_summary, instrument_backend
from bench.phases import make_config, rates, read_jsonl, torch_threads

PADDING_SLACK = 0.1  # a bound pass pads its texts by at most ~10% (+ a few tokens)
# On CPU, passes beyond ~1k tokens buy nothing and pad more (measured on 1 thread, 40 records,
# CPU seconds: one record per pass 98.9, 512-token passes 94.6, 1024 92.5, 4096 with 20% padding
# 115.9); GPUs take the backend's own budget.
BOUND_CPU_BUDGET = 1024


def bound_chunks(groups: Sequence[Any], budget: int, slack: float = PADDING_SLACK) -> list[list[int]]:
    """Indices of groups in passes of at most `budget` *padded* tokens, shortest text first.

    A pass computes rows x its widest text plus questions x its widest question. Sorting by
    text length and cutting a pass when it would exceed the budget, or pad its texts by more
    than `slack`, keeps padding near zero while passes stay large enough to be efficient.
    A group over the budget on its own gets its own pass.
    """
    order = sorted(range(len(groups)), key=lambda i: (len(groups[i].text_ids),
                                                      max(map(len, groups[i].question_ids))))
    chunks: list[list[int]] = []
    current: list[int] = []
    text_w = q_w = n_q = text_sum = 0
    for i in order:
        g = groups[i]
        g_t, g_q = len(g.text_ids), max(map(len, g.question_ids))
        t_w, new_q_w = max(text_w, g_t), max(q_w, g_q)
        cost = (len(current) + 1) * t_w + (n_q + len(g.question_ids)) * new_q_w
        padded_text = (len(current) + 1) * t_w
        if current and (cost > budget or padded_text > (1 + slack) * (text_sum + g_t) + 16):
            chunks.append(current)
            current, n_q, text_sum = [], 0, 0
            t_w, new_q_w = g_t, g_q
        current.append(i)
        text_w, q_w, n_q, text_sum = t_w, new_q_w, n_q + len(g.question_ids), text_sum + g_t
    if current:
        chunks.append(current)
    return chunks


def phase_bound(workload_path: str, options: dict[str, Any]) -> dict[str, Any]:
    from beam_pii.records import VerificationRequest
    from beam_pii.transforms import ParseAndPrevalidate
    from beam_pii.inference.verifier import Verifier

    config = make_config(options)
    counts = instrument_backend()
    started = time.perf_counter()
    verifier = Verifier.load(config)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    records = read_jsonl(workload_path)
    prevalidate = ParseAndPrevalidate(config)  # the pipeline's own step, outside Beam
    prevalidate.setup()
    requests = [out for record in records for out in prevalidate.process(record)
                if isinstance(out, VerificationRequest)]  # untagged = needs the model
    # Exactly the pipeline's scoring groups: a record's text, plus its screened text when
    # instruction screening found passages; types whose values were all cut are not scored.
    record_scores, variants = verifier.plan_scoring(requests)
    groups = [group for _, judged, group in variants if judged]
    backend, prompts = verifier.backend, verifier.prompts
    budget = int(getattr(backend, "token_budget", 0) or 4096)
    if getattr(backend, "device_kind", "cpu") != "cuda":
        budget = min(budget, BOUND_CPU_BUDGET)
    chunks = bound_chunks(groups, budget)
    prepare_seconds = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    for chunk in chunks:  # one padded pass each: the backend splits nothing further
        backend.score(prompts.prefix_ids, [groups[i] for i in chunk], prompts.answers)
    scored = sum(len(r.pending) for r in requests)  # as the pipeline counts model_candidates
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    for request, record in zip(requests, record_scores):  # the VerifierStats a pipeline run keeps
        verifier._count(request, record)
    stats = verifier.stats
    return rates({
        "label": "(b) bound: raw forward passes, no Beam",
        "records": len(records), "model_records": len(requests),
        "candidates": sum(len(r["PIIs"]) for r in records), "model_candidates": scored,
        "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
        "load_seconds": round(load_seconds, 3), "prepare_seconds": round(prepare_seconds, 3),
        "model": verifier.model_info, "threads": torch_threads(), "token_budget": budget,
        "passes": len(chunks), "engine": engine_summary(counts),
        "prefix_tokens": len(prompts.prefix_ids),
        "prompt_tokens": stats.prompt_tokens, "computed_tokens": stats.computed_tokens,
        "truncated": stats.truncated,
        "prompt_tokens_per_candidate": round(stats.prompt_tokens / max(stats.candidates, 1), 1),
        "computed_tokens_per_candidate": round(stats.computed_tokens / max(stats.candidates, 1), 1),
    })


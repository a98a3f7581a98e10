"""The labelled data set: records generated from the families until enough flags exist,
split by each family's fixed split, summarised and written as JSON Lines."""
from __future__ import annotations

import json
import os
import random
from collections import Counter
from typing import Sequence

from beam_pii_tools.datagen.builder import Family, load_families, render
from beam_pii_tools.datagen.selection import coin_bias, select
from beam_pii_tools.datagen.type_names import flag_name

_JSON_STYLES = 4


def dumps_json(rng: random.Random, obj: dict) -> str:
    """One of the ways exports write JSON: compact, indented, minified (ASCII or not), sorted."""
    style = rng.randint(0, _JSON_STYLES - 1)
    if style == 0:
        return json.dumps(obj, ensure_ascii=False)
    if style == 1:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    if style == 2:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=rng.random() < 0.5)
    return json.dumps(obj, ensure_ascii=False, indent=rng.choice([1, 4]), sort_keys=True)


def _families(families: Sequence[Family | str] | None) -> list[Family]:
    every = load_families()
    if families is None:
        chosen = [f for f in every if not f.training_only]
    else:
        by_id = {f.id: f for f in every}
        chosen = [by_id[f] if isinstance(f, str) else f for f in families]
    return sorted(chosen, key=lambda f: f.id)


def generate(n_candidates: int = 4000, seed: int = 13, families: Sequence[Family | str] | None = None) -> list[dict]:
    """Labelled records until at least `n_candidates` flagged (record, type) candidates exist.

    Deterministic for a seed and a family set (default: every family that is not
    training-only). Each record carries `labels`, `family`, `input_kind` and `split`."""
    rng = random.Random(seed)
    fams = _families(families)
    if not fams:
        raise ValueError("no families to generate from")
    records: list[dict] = []
    pos_c: Counter = Counter()
    neg_c: Counter = Counter()
    pos_n = neg_n = 0
    queue: list[Family] = []
    while pos_n + neg_n < n_candidates:
        if not queue:
            queue = list(fams)
            rng.shuffle(queue)
        fam = queue.pop()
        rendered = render(fam, rng, coin_bias(pos_n, neg_n))
        text = rendered.output if isinstance(rendered.output, str) else dumps_json(rng, rendered.output)
        flagged = select(rng, fam.absent, rendered.labels, pos_c, neg_c)
        if not flagged:
            continue
        truth = {t: bool(rendered.labels.get(t, False)) for t in flagged}
        for t, v in truth.items():
            (pos_c if v else neg_c)[t] += 1
            pos_n += v
            neg_n += not v
        names = {t: flag_name(rng, t) for t in flagged}  # as the users' detector writes them
        labels = {names[t]: v for t, v in truth.items()}
        records.append({"recordId": f"gen-{len(records) + 1:05d}", "input": text, "PIIs": [names[t] for t in flagged],
                        "labels": labels,
                        "family": fam.id, "input_kind": fam.kind, "split": fam.split})
    return records


def train_dev(records: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """(train, dev) by each record's family split: a family is never in both."""
    train = [r for r in records if r["split"] == "train"]
    dev = [r for r in records if r["split"] == "dev"]
    return train, dev


def summarize(records: Sequence[dict]) -> dict:
    pos = sum(1 for r in records for v in r["labels"].values() if v)
    neg = sum(1 for r in records for v in r["labels"].values() if not v)
    types = Counter(t for r in records for t in r["labels"])
    type_pos = Counter(t for r in records for t, v in r["labels"].items() if v)
    return {
        "records": len(records), "candidates": pos + neg, "positives": pos, "negatives": neg,
        "negative_fraction": round(neg / max(1, pos + neg), 4),
        "families": len({r["family"] for r in records}), "types": len(types),
        "types_with_both_labels": sum(1 for t in types if 0 < type_pos[t] < types[t]),
        "json_inputs": sum(1 for r in records if r.get("input_kind") == "json"),
        "text_inputs": sum(1 for r in records if r.get("input_kind") != "json"),
    }


def format_summary(name: str, s: dict) -> str:
    return (f"{name}: records={s['records']} candidates={s['candidates']} positives={s['positives']} "
            f"negatives={s['negatives']} ({100 * s['negative_fraction']:.1f}% neg) families={s['families']} "
            f"types={s['types']} (both labels: {s['types_with_both_labels']}) "
            f"text/json={s['text_inputs']}/{s['json_inputs']}")


def write_jsonl(records: Sequence[dict], path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

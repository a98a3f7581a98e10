"""The benchmark's fixed workload: generated records, the same for a given size and seed.

Three kinds of record, shuffled together:

* `text`  free text from `beam_pii_tools.datagen` (chats, tickets, notes; 1-4 flagged types);
* `json`  short JSON objects from `beam_pii_tools.datagen` (a few fields; 1-4 flagged types);
* `long_json`  a 1-3 KB JSON export (CRM sync, order history, audit trail) that embeds 2-4
  generated records among non-personal filler (order lines, statuses, SKUs, timestamps),
  flagged with the union of their types, capped at 5.

Only the input format matters to the pipeline (`recordId`, `input`, `PIIs`); `kind` and, for
generated records, `labels` travel along untouched. Labels of `long_json` records would be
approximate (a type may be genuine in one embedded record and absent from another's labels),
so they are left out.
"""
from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

DEFAULT_RECORDS = 2000
DEFAULT_SEED = 2024
LONG_JSON_SHARE = 0.25
LONG_JSON_BYTES = (1000, 3000)
MAX_TYPES = 5
WORKLOAD_FILE = "workload.jsonl"

_SOURCES = ("crm-sync", "order-history", "support-audit", "billing-export", "identity-merge")
_STATUSES = ("shipped", "pending", "returned", "cancelled", "delivered", "on_hold")
_SKU_WORDS = ("CABLE", "LAMP", "DESK", "MUG", "BOOK", "CHAIR", "FILTER", "PUMP", "VALVE", "SENSOR")
_CURRENCIES = ("EUR", "USD", "GBP", "SEK", "CHF")


def _base_records(n_needed: int, seed: int) -> list[dict[str, Any]]:
    """At least `n_needed` generated records (datagen yields about one per 2 candidates)."""
    from beam_pii_tools import datagen

    candidates = max(n_needed * 3, 64)
    while True:
        records = datagen.generate(n_candidates=candidates, seed=seed)
        if len(records) >= n_needed:
            return records
        candidates *= 2


def _filler_line(rng: random.Random, i: int) -> dict[str, Any]:
    """A non-personal order line: the bulk of real exports."""
    return {
        "line": i + 1,
        "sku": f"{rng.choice(_SKU_WORDS)}-{rng.randrange(1000, 99999)}",
        "qty": rng.randrange(1, 12),
        "unitPrice": round(rng.uniform(1.5, 480.0), 2),
        "currency": rng.choice(_CURRENCIES),
        "status": rng.choice(_STATUSES),
        "warehouse": f"WH-{rng.randrange(1, 40):02d}",
        "updatedAt": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T"
                     f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
    }


def _embedded(record: dict[str, Any]) -> Any:
    """A generated record's content as it sits inside the export (JSON stays structured)."""
    if record.get("input_kind") == "json":
        try:
            return json.loads(record["input"])
        except json.JSONDecodeError:
            pass
    return record["input"]


def _long_json(rng: random.Random, parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    target = rng.randint(*LONG_JSON_BYTES)
    pretty = rng.random() < 0.5
    export: dict[str, Any] = {
        "exportId": f"exp-{rng.randrange(16**8):08x}",
        "source": rng.choice(_SOURCES),
        "schemaVersion": f"{rng.randrange(1, 5)}.{rng.randrange(10)}",
        "generatedAt": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T00:00:00Z",
        "events": [{"eventId": f"evt-{rng.randrange(10**6):06d}",
                    "kind": rng.choice(("note", "profile_update", "message", "form")),
                    "payload": _embedded(p)} for p in parts],
        "lines": [],
    }

    def size() -> int:
        return len(json.dumps(export, ensure_ascii=False, indent=2 if pretty else None))

    while size() < target:
        export["lines"].append(_filler_line(rng, len(export["lines"])))
        if len(export["lines"]) > 200:  # a pathological target; never reached in practice
            break
    types: list[str] = []
    for part in parts:
        for pii in part["PIIs"]:
            if pii not in types:
                types.append(pii)
    rng.shuffle(types)
    return {
        "recordId": "",  # numbered after shuffling
        "input": json.dumps(export, ensure_ascii=False, indent=2 if pretty else None),
        "PIIs": types[:MAX_TYPES],
        "kind": "long_json",
        "family": "+".join(p["family"] for p in parts),
    }


def build_workload(n_records: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED,
                   long_json_share: float = LONG_JSON_SHARE) -> list[dict[str, Any]]:
    """`n_records` records, deterministic for (n_records, seed, long_json_share)."""
    if n_records < 1:
        raise ValueError("the workload needs at least one record")
    rng = random.Random(seed)
    n_long = int(round(n_records * long_json_share))
    if n_records >= 4:
        n_long = max(n_long, 1)  # tiny workloads still hold one long record
    n_short = n_records - n_long
    parts_per_long = [rng.randint(2, 4) for _ in range(n_long)]
    pool = _base_records(n_short + sum(parts_per_long), seed)
    rng.shuffle(pool)
    records: list[dict[str, Any]] = []
    for base in pool[:n_short]:
        records.append({"recordId": "", "input": base["input"], "PIIs": list(base["PIIs"]),
                        "kind": base["input_kind"], "family": base["family"],
                        "labels": dict(base["labels"])})
    cursor = n_short
    for k in parts_per_long:
        records.append(_long_json(rng, pool[cursor: cursor + k]))
        cursor += k
    rng.shuffle(records)
    for i, record in enumerate(records):
        record["recordId"] = f"bench-{i + 1:05d}"
    return records


def write_workload(records: Sequence[dict[str, Any]], folder: str | os.PathLike[str]) -> Path:
    """Write the records as JSON Lines into `folder`; returns the file's path."""
    path = Path(folder) / WORKLOAD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts that describe the workload in the result file."""
    kinds = Counter(r["kind"] for r in records)
    sizes = sorted(len(r["input"].encode("utf-8")) for r in records)
    long_sizes = sorted(len(r["input"].encode("utf-8")) for r in records if r["kind"] == "long_json")

    def pct(values: list[int], q: float) -> int:
        return values[min(int(q * len(values)), len(values) - 1)] if values else 0

    return {
        "records": len(records),
        "candidates": sum(len(r["PIIs"]) for r in records),
        "kinds": dict(sorted(kinds.items())),
        "types_per_record": {str(k): v for k, v in sorted(Counter(len(r["PIIs"]) for r in records).items())},
        "input_bytes": {"mean": round(sum(sizes) / len(sizes), 1), "p50": pct(sizes, 0.5),
                        "p90": pct(sizes, 0.9), "max": sizes[-1]},
        "long_json_bytes": {"min": long_sizes[0] if long_sizes else 0, "p50": pct(long_sizes, 0.5),
                            "max": long_sizes[-1] if long_sizes else 0},
    }


def subsample(records: Sequence[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """`n` evenly spaced records (the workload is shuffled, so this keeps its mix)."""
    if n >= len(records):
        return list(records)
    if n <= 0:
        return []
    step = len(records) / n
    return [records[int(i * step)] for i in range(n)]

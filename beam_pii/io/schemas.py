"""Arrow schemas for the Parquet doors.

Our own columns have fixed types so every file of a door reads back alike; pass-through
columns keep the types of the input. The failed door has a fixed, narrow schema (the original
record as JSON text) because a record is often failed precisely because its fields have the
wrong types.
"""
from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

import pyarrow as pa

from beam_pii.records import json_default

EVIDENCE = pa.struct([("text", pa.string()), ("confidence_without", pa.float64())])
DECISION = pa.struct([("pii", pa.string()), ("verified", pa.bool_()), ("confidence", pa.float64()),
                      ("source", pa.string()), ("reason", pa.string()), ("evidence", EVIDENCE)])
MODEL = pa.struct([("id", pa.string()), ("backend", pa.string()), ("dtype", pa.string()),
                   ("device", pa.string())])
RESULT_FIELDS = {
    "verified_piis": pa.list_(pa.string()), "rejected_piis": pa.list_(pa.string()),
    "decisions": pa.list_(DECISION), "model": MODEL, "latency_ms": pa.float64(),
    "truncated": pa.bool_(), "error": pa.string(), "error_stage": pa.string(),
}
FAILED_SCHEMA = pa.schema([("recordId", pa.string()), ("error", pa.string()),
                           ("error_stage", pa.string()), ("raw", pa.string())])


def _column(name: str, values: list[Any]) -> pa.Array:
    if name in RESULT_FIELDS:
        return pa.array(values, type=RESULT_FIELDS[name])
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: keep them readable as JSON
        return pa.array([None if v is None else json.dumps(v, default=json_default)
                         for v in values], type=pa.string())


def _failed_row(record: Mapping[str, Any]) -> dict[str, Any]:
    rid = record.get("recordId")
    raw = record.get("raw")
    if raw is None:
        original = {k: v for k, v in record.items() if k not in ("error", "error_stage")}
        raw = json.dumps(original, ensure_ascii=False, default=json_default)
    return {"recordId": rid if isinstance(rid, str) else None, "error": record.get("error"),
            "error_stage": record.get("error_stage"), "raw": raw}


def records_to_table(records: Sequence[Mapping[str, Any]], *, failed: bool) -> pa.Table:
    if failed:
        return pa.Table.from_pylist([_failed_row(r) for r in records], schema=FAILED_SCHEMA)
    names: list[str] = []
    for record in records:
        names.extend(k for k in record if k not in names)
    columns = {name: _column(name, [r.get(name) for r in records]) for name in names}
    return pa.table(columns)

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

from beam_pii.fields import DEFAULT_FIELDS, FieldMap, get_path
from beam_pii.records import json_default

DECISION = pa.struct([("pii", pa.string()), ("verified", pa.bool_()), ("confidence", pa.float64()),
                      ("source", pa.string()), ("reason", pa.string())])
MODEL = pa.struct([("id", pa.string()), ("backend", pa.string()), ("dtype", pa.string()),
                   ("device", pa.string())])
RESULT_FIELDS = {
    "verified_piis": pa.list_(pa.string()), "rejected_piis": pa.list_(pa.string()),
    "decisions": pa.list_(DECISION), "model": MODEL, "latency_ms": pa.float64(),
    "truncated": pa.bool_(), "instructions_screened": pa.int64(), "error": pa.string(),
    "error_stage": pa.string(),
}
FAILED_SCHEMA = pa.schema([("recordId", pa.string()), ("error", pa.string()),
                           ("error_stage", pa.string()), ("raw", pa.string())])


def failed_schema(fields: FieldMap = DEFAULT_FIELDS) -> pa.Schema:
    """The failed door's columns: the id (a column named like the id field, dotted path and
    all), then our `error`, `error_stage` and `raw` (with the output prefix)."""
    return pa.schema([(fields.id_field, pa.string()), (fields.out("error"), pa.string()),
                      (fields.out("error_stage"), pa.string()), (fields.out("raw"), pa.string())])


def _column(name: str, values: list[Any], typed: Mapping[str, pa.DataType]) -> pa.Array:
    if name in typed:
        return pa.array(values, type=typed[name])
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: keep them readable as JSON
        return pa.array([None if v is None else json.dumps(v, default=json_default)
                         for v in values], type=pa.string())


def _failed_row(record: Mapping[str, Any], fields: FieldMap) -> dict[str, Any]:
    rid = get_path(record, fields.id_field)
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    error, stage, raw_name = fields.out("error"), fields.out("error_stage"), fields.out("raw")
    raw = record.get(raw_name)
    if raw is None:
        original = {k: v for k, v in record.items() if k not in (error, stage)}
        raw = json.dumps(original, ensure_ascii=False, default=json_default)
    return {fields.id_field: rid if isinstance(rid, str) else None, error: record.get(error),
            stage: record.get(stage), raw_name: raw}


def records_to_table(records: Sequence[Mapping[str, Any]], *, failed: bool,
                     fields: FieldMap = DEFAULT_FIELDS) -> pa.Table:
    if failed:
        return pa.Table.from_pylist([_failed_row(r, fields) for r in records],
                                    schema=failed_schema(fields))
    typed = {fields.out(name): kind for name, kind in RESULT_FIELDS.items()}
    names: list[str] = []
    for record in records:
        names.extend(k for k in record if k not in names)
    columns = {name: _column(name, [r.get(name) for r in records], typed) for name in names}
    return pa.table(columns)

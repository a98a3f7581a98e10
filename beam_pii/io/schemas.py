"""One declared Arrow schema per Parquet door, fixed before the pipeline starts.

Every part file of a door is written with the same schema, so a door always reads back as one
table (Beam's `WriteToParquet` takes the schema up front; nothing is inferred per file).

* Our own columns (`verified_piis`, `decisions`, …) have fixed types.
* Pass-through columns, Parquet input: the input's own schema, unified over every input file
  (a column added in later files is kept; files that disagree on a column's type stop the run
  before it starts, naming the column).
* Pass-through columns, JSON Lines input (no schema to read): `recordId` and `input` as
  strings, `PIIs` as a list of strings, and every other field of the record in one column,
  `passthrough_json`, holding those fields as a JSON object (null when there are none). The
  rule depends on nothing in the data, so every run and every file has the same columns.
* The failed door has a fixed, narrow schema (`recordId`, `error`, `error_stage`, `raw`, the
  original record as JSON text) because a record often fails precisely because its fields
  have the wrong types.
"""
from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

import pyarrow as pa

from beam_pii.records import json_default

DECISION = pa.struct([("pii", pa.string()), ("verified", pa.bool_()), ("confidence", pa.float64()),
                      ("source", pa.string()), ("reason", pa.string())])
MODEL = pa.struct([("id", pa.string()), ("backend", pa.string()), ("dtype", pa.string()),
                   ("device", pa.string())])
RESULT_FIELDS = {
    "verified_piis": pa.list_(pa.string()), "rejected_piis": pa.list_(pa.string()),
    "decisions": pa.list_(DECISION), "model": MODEL, "latency_ms": pa.float64(),
    "truncated": pa.bool_(),
}
JSONL_CORE_FIELDS = {"recordId": pa.string(), "input": pa.string(), "PIIs": pa.list_(pa.string())}
PASSTHROUGH_JSON = "passthrough_json"
FAILED_SCHEMA = pa.schema([("recordId", pa.string()), ("error", pa.string()),
                           ("error_stage", pa.string()), ("raw", pa.string())])


def result_schema(input_schema: pa.Schema | None) -> pa.Schema:
    """The verified/clean doors' schema: pass-through columns first, then ours."""
    if input_schema is None:
        fields = [pa.field(n, t) for n, t in JSONL_CORE_FIELDS.items()]
        tail = [pa.field(PASSTHROUGH_JSON, pa.string())]
    else:
        fields = [f.with_nullable(True) for f in input_schema if f.name not in RESULT_FIELDS]
        tail = []
    return pa.schema(fields + [pa.field(n, t) for n, t in RESULT_FIELDS.items()] + tail)


def door_schemas(input_schema: pa.Schema | None, doors: Sequence[str],
                 failed_door: str) -> dict[str, pa.Schema]:
    result = result_schema(input_schema)
    return {door: FAILED_SCHEMA if door == failed_door else result for door in doors}


def to_row(record: Mapping[str, Any], schema: pa.Schema) -> dict[str, Any]:
    """One output record as a row of `schema` (the failed door's rows come from `failed_row`).

    Fields the schema has no column for go into `passthrough_json` when the schema has it."""
    row = {name: record.get(name) for name in schema.names if name != PASSTHROUGH_JSON}
    if PASSTHROUGH_JSON in schema.names:
        rest = {k: v for k, v in record.items() if k not in row}
        row[PASSTHROUGH_JSON] = json.dumps(rest, ensure_ascii=False, default=json_default) \
            if rest else None
    return row


def failed_row(record: Mapping[str, Any]) -> dict[str, Any]:
    rid = record.get("recordId")
    raw = record.get("raw")
    if raw is None:
        original = {k: v for k, v in record.items() if k not in ("error", "error_stage")}
        raw = json.dumps(original, ensure_ascii=False, default=json_default)
    return {"recordId": rid if isinstance(rid, str) else None, "error": record.get("error"),
            "error_stage": record.get("error_stage"), "raw": raw}


def parquet_input_schema(pattern: str) -> pa.Schema:
    """The schema of the Parquet input, unified over every matched file (footers only).

    Read on the launcher through Beam's `FileSystems`, so `s3://` and `gs://` inputs work with
    the pipeline's own options (call `FileSystems.set_options` first).
    """
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    paths = sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
    if not paths:
        raise ValueError(f"no Parquet file matches {pattern!r}")
    schemas = []
    for path in paths:
        with FileSystems.open(path) as fh:
            schemas.append(pq.read_schema(fh))
    try:
        return pa.unify_schemas(schemas, promote_options="permissive").remove_metadata()
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"the Parquet input files disagree on a column's type: {exc}") from exc

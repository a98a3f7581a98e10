"""One declared Arrow schema per Parquet door, fixed before the pipeline starts.

Every part file of a door is written with the same schema, so a door always reads back as one
table (Beam's `WriteToParquet` takes the schema up front; nothing is inferred per file).

* Our own columns (`verified_piis`, `decisions`, …, under the field map's output prefix) have
  fixed types.
* Pass-through columns, Parquet input: the input's own schema, unified over every input file
  (a column added in later files is kept; files that disagree on a column's type stop the run
  before it starts, naming the column).
* Pass-through columns, JSON Lines input (no schema to read): the record's id and text fields
  as strings and its types field as a list of strings (top-level fields of the field map;
  `recordId`, `input`, `PIIs` by default; a number or an object there is written as its JSON
  text, e.g. a Presidio result), and every other field of the record in one column,
  `passthrough_json`, holding those fields as a JSON object (null when there are none). The
  rule depends on nothing in the data, so every run and every file has the same columns.
* The failed door has a fixed, narrow schema (the id, `error`, `error_stage`, `raw`: the
  original record as JSON text) because a record often fails precisely because its fields
  have the wrong types.
"""
from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

import pyarrow as pa

from beam_pii.fields import DEFAULT_FIELDS, FieldMap, get_path
from beam_pii.records import json_default

EVIDENCE = pa.struct([("text", pa.string()), ("confidence_without", pa.float64())])
DECISION = pa.struct([("pii", pa.string()), ("verified", pa.bool_()), ("confidence", pa.float64()),
                      ("source", pa.string()), ("reason", pa.string()), ("evidence", EVIDENCE)])
MODEL = pa.struct([("id", pa.string()), ("backend", pa.string()), ("dtype", pa.string()),
                   ("device", pa.string())])
RESULT_FIELDS = {
    "verified_piis": pa.list_(pa.string()), "rejected_piis": pa.list_(pa.string()),
    "decisions": pa.list_(DECISION), "model": MODEL, "latency_ms": pa.float64(),
    "truncated": pa.bool_(), "instructions_screened": pa.int64(), "error": pa.string(),
    "error_stage": pa.string(),
}
PASSTHROUGH_JSON = "passthrough_json"


def _top_level(path: str) -> bool:
    return "." not in path


def jsonl_core_fields(fields: FieldMap = DEFAULT_FIELDS) -> dict[str, pa.DataType]:
    """The typed pass-through columns of JSON Lines input: the field map's top-level fields."""
    core: dict[str, pa.DataType] = {}
    if _top_level(fields.id_field):
        core[fields.id_field] = pa.string()
    for name in fields.text_fields:
        if _top_level(name):
            core[name] = pa.string()
    if _top_level(fields.types_field):
        core[fields.types_field] = pa.list_(pa.string())
    return core


def result_schema(input_schema: pa.Schema | None, fields: FieldMap = DEFAULT_FIELDS) -> pa.Schema:
    """The verified/clean doors' schema: pass-through columns first, then ours."""
    ours = [pa.field(fields.out(n), t) for n, t in RESULT_FIELDS.items()]
    names = {f.name for f in ours}
    if input_schema is None:
        passthrough = [pa.field(n, t) for n, t in jsonl_core_fields(fields).items()
                       if n not in names]
        tail = [pa.field(PASSTHROUGH_JSON, pa.string())]
    else:
        passthrough = [f.with_nullable(True) for f in input_schema if f.name not in names]
        tail = []
    return pa.schema(passthrough + ours + tail)


def failed_schema(fields: FieldMap = DEFAULT_FIELDS) -> pa.Schema:
    """The failed door's columns: the id (a column named like the id field, dotted path and
    all), then our `error`, `error_stage` and `raw` (with the output prefix)."""
    return pa.schema([(fields.id_field, pa.string()), (fields.out("error"), pa.string()),
                      (fields.out("error_stage"), pa.string()), (fields.out("raw"), pa.string())])


FAILED_SCHEMA = failed_schema()


def door_schemas(input_schema: pa.Schema | None, doors: Sequence[str], failed_door: str,
                 fields: FieldMap = DEFAULT_FIELDS) -> dict[str, pa.Schema]:
    result = result_schema(input_schema, fields)
    failed = failed_schema(fields)
    return {door: failed if door == failed_door else result for door in doors}


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=json_default)


def _coerce(value: Any, kind: pa.DataType) -> Any:
    """A JSONL core column's value in its declared type (numbers and objects as JSON text)."""
    if pa.types.is_string(kind):
        return _as_text(value)
    if pa.types.is_list(kind) and isinstance(value, list):
        return [_as_text(v) for v in value]
    if pa.types.is_list(kind) and value is not None:
        return [_as_text(value)]
    return value


def to_row(record: Mapping[str, Any], schema: pa.Schema,
           fields: FieldMap = DEFAULT_FIELDS) -> dict[str, Any]:
    """One output record as a row of `schema` (the failed door's rows come from `failed_row`).

    Fields the schema has no column for go into `passthrough_json` when the schema has it."""
    row = {name: record.get(name) for name in schema.names if name != PASSTHROUGH_JSON}
    if PASSTHROUGH_JSON in schema.names:
        for name, kind in jsonl_core_fields(fields).items():
            if name in row:
                row[name] = _coerce(row[name], kind)
        rest = {k: v for k, v in record.items() if k not in row}
        row[PASSTHROUGH_JSON] = json.dumps(rest, ensure_ascii=False, default=json_default) \
            if rest else None
    return row


def failed_row(record: Mapping[str, Any], fields: FieldMap = DEFAULT_FIELDS) -> dict[str, Any]:
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

"""Convert examples/sample.jsonl into examples/sample.parquet.

The pipeline reads both formats, so the sample set exists in both to exercise
each reader on identical records. Columns mirror the JSONL keys:

* ``recordId``, ``input``: string
* ``PIIs``: list<string>
* ``labels``: JSON string, because its keys (flagged type names) vary per record
  and a Parquet struct/map column would either need one schema for all rows or
  lose the plain {type: bool} shape
* any pass-through field (e.g. ``source``): nullable, type inferred by pyarrow;
  values that are not scalars are stored as JSON strings

Usage: python examples/make_parquet.py [input.jsonl] [output.parquet]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
CORE_SCHEMA = {
    "recordId": pa.string(),
    "input": pa.string(),
    "PIIs": pa.list_(pa.string()),
    "labels": pa.string(),
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def to_table(records: list[dict[str, Any]]) -> pa.Table:
    """Build a table whose columns follow the first-seen key order of the records."""
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    arrays: dict[str, pa.Array] = {}
    for column in columns:
        values = [record.get(column) for record in records]
        if column == "labels":
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        elif column not in CORE_SCHEMA and any(isinstance(v, (dict, list)) for v in values):
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        arrays[column] = pa.array(values, type=CORE_SCHEMA.get(column))
    return pa.table(arrays)


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else HERE / "sample.jsonl"
    target = Path(argv[2]) if len(argv) > 2 else source.with_suffix(".parquet")
    table = to_table(read_jsonl(source))
    pq.write_table(table, target)
    print(f"wrote {table.num_rows} records, columns {table.column_names} -> {target}")


if __name__ == "__main__":
    main(sys.argv)

"""Writing the three doors as Hive-style partitions, with Beam's own file sinks.

`WritePartitioned` writes `<base>/decision=<door>/part-<run id>-SSSSS-of-NNNNN.{jsonl,parquet}`
with `WriteToText` / `WriteToParquet`: they stage into a `beam-temp-…` folder, rename on
finalize (failing the run if a rename fails, instead of losing files) and remove the temp
folder; every path goes through `FileSystems`, so the same transform writes to a local folder,
`s3://` or `gs://` from any runner's workers.

An empty door: Parquet gets one file with no rows and the door's schema (so readers always find
the columns); JSONL gets no file (`skip_if_empty`), because Beam 2.77's S3 filesystem cannot
write a zero-byte object (its multipart upload then has no part, which S3 rejects), and its
folder is created by the commit on filesystems that have folders.

With a `run_id`, `<base>` is the run's staging folder (`beam_pii.io.commit`): the launcher
commits it once the pipeline has succeeded. Without one, files go straight into
`<output>/decision=<door>/` and nothing earlier is replaced (for jobs that manage their own
output).

Parquet doors are written with one declared schema each (`beam_pii.io.schemas`).
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping

import apache_beam as beam
import pyarrow as pa

from beam_pii.fields import DEFAULT_FIELDS, FieldMap
from beam_pii.io.commit import PART_PREFIX, door_folder, staging_folder
from beam_pii.io.read import FORMATS
from beam_pii.io.schemas import door_schemas, failed_row, to_row
from beam_pii.records import dumps
from beam_pii.transforms import DOORS, FAILED

PARQUET_CODEC = "snappy"


class WritePartitioned(beam.PTransform):
    """Write VerifyPII's doors under `<output>/decision=<door>/` as JSONL or Parquet.

    `input_schema`: the Arrow schema of Parquet input, whose columns the Parquet doors keep
    with their types (`beam_pii.io.schemas.parquet_input_schema`); None for JSONL input.
    `fields`: the field mapping VerifyPII ran with (`config.fields`), so the Parquet doors type
    our columns under their prefixed names and name the failed door's id column.
    The transform's output maps each door to the PCollection of file names it wrote.
    """

    def __init__(self, output: str, output_format: str = "jsonl", *, run_id: str | None = None,
                 input_schema: pa.Schema | None = None, label: str | None = None,
                 fields: FieldMap = DEFAULT_FIELDS):
        super().__init__(label)
        self.fields = fields
        if output_format not in FORMATS:
            raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
        self.output = output
        self.format = output_format
        self.run_id = run_id
        self.schemas = door_schemas(input_schema, DOORS, FAILED, fields)

    def expand(self, doors: Any) -> dict[str, beam.PCollection]:
        base = staging_folder(self.output, self.run_id) if self.run_id else self.output
        name = PART_PREFIX + (self.run_id or uuid.uuid4().hex[:12])
        written = {}
        for door in DOORS:
            pcoll = doors[door] if isinstance(doors, Mapping) else getattr(doors, door)
            prefix = f"{door_folder(base, door)}/{name}"
            if self.format == "parquet":
                schema = self.schemas[door]
                rows = pcoll | f"Rows_{door}" >> beam.Map(
                    _failed_row_of(self.fields) if door == FAILED else _row_of(schema, self.fields))
                written[door] = rows | f"Write_{door}" >> beam.io.WriteToParquet(
                    prefix, schema, codec=PARQUET_CODEC, file_name_suffix=".parquet")
            else:
                written[door] = (pcoll
                                 | f"Lines_{door}" >> beam.Map(dumps)
                                 | f"Write_{door}" >> beam.io.WriteToText(
                                     prefix, file_name_suffix=".jsonl", skip_if_empty=True))
        return written


def _row_of(schema: pa.Schema, fields: FieldMap):
    def convert(record: Mapping[str, Any]) -> dict[str, Any]:
        return to_row(record, schema, fields)
    return convert


def _failed_row_of(fields: FieldMap):
    def convert(record: Mapping[str, Any]) -> dict[str, Any]:
        return failed_row(record, fields)
    return convert

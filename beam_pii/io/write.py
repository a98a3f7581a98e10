"""Writing the three doors as Hive-style partitions.

`WritePartitioned` writes `<output>/decision=<door>/part-*.{jsonl,parquet}`; every door gets
its folder even when empty, so downstream jobs can rely on the layout.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Iterable, Mapping

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems

from beam_pii.fields import DEFAULT_FIELDS, FieldMap
from beam_pii.io.read import FORMATS
from beam_pii.records import dumps
from beam_pii.transforms import DOORS, FAILED

_LOG = logging.getLogger(__name__)


def _door_folder(output: str, door: str) -> str:
    return FileSystems.join(output, f"decision={door}")


def clear_previous_results(output: str) -> int:
    """Delete earlier door files so a re-run replaces, never mixes with, old results.

    Matches the files under each door (object stores have no real folders to delete).
    """
    paths = []
    for door in DOORS:
        for match in FileSystems.match([FileSystems.join(_door_folder(output, door), "*")]):
            paths.extend(m.path for m in match.metadata_list)
    if paths:
        FileSystems.delete(paths)
    return len(paths)


class JsonlSink(fileio.TextSink):
    def write(self, record: Mapping[str, Any]) -> None:
        super().write(dumps(record))


class ParquetSink(fileio.FileSink):
    """Buffers a shard's records and writes one Parquet file on flush.

    Our own columns get fixed types; pass-through columns are inferred per file, falling back
    to JSON text for a column whose values have mixed types.
    """

    def __init__(self, door: str, fields: FieldMap = DEFAULT_FIELDS):
        self._door = door
        self._fields = fields
        self._records: list[Mapping[str, Any]] = []
        self._fh: Any = None

    def open(self, fh: Any) -> None:
        self._fh, self._records = fh, []

    def write(self, record: Mapping[str, Any]) -> None:
        self._records.append(record)

    def flush(self) -> None:
        import pyarrow.parquet as pq
        from beam_pii.io.schemas import records_to_table
        pq.write_table(records_to_table(self._records, failed=self._door == FAILED,
                                        fields=self._fields), self._fh)
        self._records = []


class _RemoveEmptyTempFolders(beam.DoFn):
    """fileio leaves an empty `.temp…` folder next to the results; tidy it once all is moved."""

    def __init__(self, folder: str):
        self._folder = folder

    def process(self, _: Any) -> Iterable[int]:
        if not os.path.isdir(self._folder):  # remote filesystems: nothing left to tidy
            return
        for name in os.listdir(self._folder):
            path = os.path.join(self._folder, name)
            if name.startswith(".temp") and os.path.isdir(path):
                for root, _, _ in os.walk(path, topdown=False):
                    try:
                        os.rmdir(root)
                    except OSError:  # not empty: leave it for a human to look at
                        pass
        yield 0


class WritePartitioned(beam.PTransform):
    """Write VerifyPII's doors under `<output>/decision=<door>/` as JSONL or Parquet.

    `fields`: the field mapping VerifyPII ran with (`config.fields`), so the Parquet doors type
    our columns under their prefixed names and name the failed door's id column.
    """

    def __init__(self, output: str, output_format: str = "jsonl", *, label: str | None = None,
                 fields: FieldMap = DEFAULT_FIELDS):
        super().__init__(label)
        self.fields = fields
        if output_format not in FORMATS:
            raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
        self.output = output
        self.format = output_format

    def expand(self, doors: Any) -> dict[str, beam.PCollection]:
        written = {}
        for door in DOORS:
            pcoll = doors[door] if isinstance(doors, Mapping) else getattr(doors, door)
            folder = _door_folder(self.output, door)
            if not FileSystems.exists(folder):
                FileSystems.mkdirs(folder)
            suffix = ".parquet" if self.format == "parquet" else ".jsonl"
            sink = (lambda _, d=door, f=self.fields: ParquetSink(d, f)) if self.format == "parquet" \
                else (lambda _: JsonlSink())
            files = pcoll | f"Write_{door}" >> fileio.WriteToFiles(
                path=folder, file_naming=fileio.default_file_naming("part", suffix),
                sink=sink, max_writers_per_bundle=0)
            written[door] = (
                files
                | f"Done_{door}" >> beam.combiners.Count.Globally()
                | f"Tidy_{door}" >> beam.ParDo(_RemoveEmptyTempFolders(folder)))
        return written

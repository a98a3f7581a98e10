"""Reading input records: JSON Lines (plain or compressed) or Parquet.

`ReadRecords` never fails a run on a bad line: an unreadable line (bad UTF-8, bad JSON, not an
object) becomes a `RecordError` that `VerifyPII` routes to the dead letter with the raw line.

A UTF-8 byte-order mark at the start of a line is dropped, as the `utf-8-sig` codec drops it
at the start of a file: files exported on Windows begin with one, and `ReadFromText` hands us
lines without saying which one came first, so the mark is accepted at the start of any line
(files concatenated with their marks read the same). Any other undecodable byte still fails its
line, with the byte's position in the line as it was on disk.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Iterable

import apache_beam as beam
from apache_beam.coders import coders

from beam_pii.fields import DEFAULT_ID_FIELD
from beam_pii.records import RecordError

FORMATS = ("jsonl", "parquet")
RAW_LINE_LIMIT = 10_000
UTF8_BOM = b"\xef\xbb\xbf"


def detect_format(path: str, requested: str | None = None) -> str:
    """`jsonl` for .jsonl/.json/.ndjson (gzip too), `parquet` for .parquet/.pq."""
    if requested:
        if requested not in FORMATS:
            raise ValueError(f"unknown format {requested!r}; choose one of {', '.join(FORMATS)}")
        return requested
    name = path.lower().rstrip("*")
    for suffix in (".gz", ".bz2", ".zst", ".deflate"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    raise ValueError(f"cannot tell the format of {path!r}: pass --input_format jsonl|parquet")


@functools.lru_cache(maxsize=16)
def _id_pattern(id_key: str) -> re.Pattern[str]:
    return re.compile(r'"' + re.escape(id_key) + r'"\s*:\s*(?:"((?:[^"\\]|\\.){1,256})"|(-?\d{1,30})\b)')


def _guess_record_id(text: str, id_field: str = DEFAULT_ID_FIELD) -> str | None:
    """Best-effort id of a line we cannot parse, so its dead-letter entry can be joined back:
    the first value of the id field's last key (`meta.id` -> `"id": …`), a string or a number."""
    match = _id_pattern(id_field.rsplit(".", 1)[-1]).search(text)
    return (match.group(1) or match.group(2)) if match else None


def parse_line(line: bytes, id_field: str = DEFAULT_ID_FIELD) -> Iterable[Any]:
    """One JSON Lines line -> a dict, or a RecordError holding the raw line. Blank lines vanish."""
    offset = 0
    if line.startswith(UTF8_BOM):
        line, offset = line[len(UTF8_BOM):], len(UTF8_BOM)
    if not line.strip():
        return
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raw = line.decode("utf-8", errors="replace")
        yield RecordError(error=f"line is not valid UTF-8 (byte {exc.start + offset})",
                          raw=raw[:RAW_LINE_LIMIT], record_id=_guess_record_id(raw, id_field))
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(error=f"line is not valid JSON: {exc.msg} at column {exc.colno}",
                          raw=text[:RAW_LINE_LIMIT], record_id=_guess_record_id(text, id_field))
        return
    if not isinstance(value, dict):
        yield RecordError(error=f"line is a JSON {type(value).__name__}, not an object",
                          raw=text[:RAW_LINE_LIMIT])
        return
    yield value


class ReadRecords(beam.PTransform):
    """Read JSON Lines (plain or compressed) or Parquet into dicts (and RecordErrors).

    `id_field`: where records keep their id (VerifyPII's `id_field`), used only to name the
    record of a line that cannot be parsed. Parquet structs arrive as nested dicts.
    """

    def __init__(self, path: str, input_format: str | None = None, *, label: str | None = None,
                 id_field: str = DEFAULT_ID_FIELD):
        super().__init__(label)
        self.id_field = id_field
        self.path = path
        self.format = detect_format(path, input_format)

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection:
        if self.format == "parquet":
            return pbegin | "ReadParquet" >> beam.io.ReadFromParquet(self.path)
        return (pbegin
                | "ReadLines" >> beam.io.ReadFromText(self.path, coder=coders.BytesCoder(),
                                                      strip_trailing_newlines=True)
                | "ParseLines" >> beam.FlatMap(parse_line, self.id_field))

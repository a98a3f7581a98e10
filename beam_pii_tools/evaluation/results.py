"""Reading pipeline results and labels, and normalising their rows.

The pipeline writes ``<out>/decision=verified|clean|failed/part-*.jsonl`` (or ``*.parquet``).
Each result record holds every input field plus ``verified_piis``, ``rejected_piis`` and
``decisions`` (a list of ``{"pii", "verified", "confidence", "source", ...}``). Failed records
carry ``error`` and may lack decisions; in the Parquet failed door the original record is kept
as JSON text in ``raw``. Parquet also turns lists into numpy arrays and maps into structs or
key/value pairs, so every row is normalised to the JSONL shape before anything counts it.
"""
from __future__ import annotations

import gzip
import json
import logging
import math
import os
from typing import Any, Iterable, Mapping

__all__ = ["DOORS", "as_list", "to_bool", "float_or_none", "normalise_labels",
           "normalise_result", "load_results", "load_labels"]

_LOG = logging.getLogger(__name__)

DOORS = ("verified", "clean", "failed")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


def _is_data_file(name: str) -> bool:
    low = name.lower()
    return low.endswith(_JSONL_SUFFIXES) or low.endswith(_PARQUET_SUFFIXES)


def _door_of(path: str) -> str | None:
    """The door a file sits in, from its Hive-style ``decision=<door>`` folder."""
    for part in reversed(os.path.normpath(path).split(os.sep)):
        if part.startswith("decision="):
            return part.split("=", 1)[1]
    return None


def _read_jsonl(path: str) -> Iterable[dict]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    if path.lower().endswith((".json", ".json.gz")) and text.lstrip().startswith("["):
        yield from (row for row in json.loads(text) if isinstance(row, dict))
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
        if isinstance(row, dict):
            yield row


def _read_file(path: str) -> list[dict]:
    if path.lower().endswith(_PARQUET_SUFFIXES):
        import pyarrow.parquet as pq
        return pq.read_table(path).to_pylist()
    return list(_read_jsonl(path))


def _list_files(folder: str) -> list[str]:
    """Data files under `folder`, sorted; hidden and temporary folders are skipped (Beam's
    fileio leaves `.temp…` behind on failure, Spark-style writers leave `_SUCCESS`)."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        out.extend(os.path.join(root, name) for name in sorted(files)
                   if not name.startswith((".", "_")) and _is_data_file(name))
    return sorted(out)


def as_list(value: Any) -> list:
    """A list from a list, a tuple, a numpy array (Parquet) or a JSON string of a list."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    return list(value) if isinstance(value, (list, tuple)) else []


def to_bool(value: Any) -> bool | None:
    """True/False from the spellings labels come in (bools, 0/1, "yes"/"no"); None if unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "yes", "1", "y", "t"):
            return True
        if low in ("false", "no", "0", "n", "f"):
            return False
    return None


def float_or_none(value: Any) -> float | None:
    """A confidence as a float; None when absent or NaN (Parquet's null in a float column)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def normalise_labels(value: Any) -> dict[str, bool] | None:
    """Labels as ``{type: bool}``; accepts a dict, a JSON string, or a list of
    ``{"pii"/"type", "label"/"value"}`` pairs (Parquet may turn maps into those)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    out: dict[str, bool] = {}
    if isinstance(value, Mapping):
        for key, raw in value.items():
            label = to_bool(raw)
            if label is not None:  # Parquet structs fill absent keys with None
                out[str(key)] = label
        return out
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (list, tuple)) and len(item) == 2:
                key, raw = item
            elif isinstance(item, Mapping):
                key = item.get("pii", item.get("type", item.get("key")))
                raw = item.get("label", item.get("value", item.get("verified")))
            else:
                continue
            label = to_bool(raw)
            if key is not None and label is not None:
                out[str(key)] = label
        return out
    return None


def _merge_raw(record: dict) -> dict:
    """The Parquet failed door keeps the original record as JSON text in `raw`: unpack it so
    a failed record has its flags and labels back."""
    raw = record.get("raw")
    if not isinstance(raw, str) or record.get("PIIs") is not None:
        return record
    try:
        original = json.loads(raw)
    except json.JSONDecodeError:
        return record
    if not isinstance(original, dict):
        return record
    merged = dict(original)
    for key, value in record.items():
        if key == "raw" or (value is None and key in merged):
            continue
        merged[key] = value
    return merged


def normalise_result(row: Mapping[str, Any], door: str | None) -> dict:
    """One result row in the JSONL shape, with a ``decision`` field naming its door."""
    record = _merge_raw(dict(row))
    if door and "decision" not in record:
        record["decision"] = door
    if "decisions" in record:
        record["decisions"] = [dict(d) for d in as_list(record["decisions"]) if isinstance(d, Mapping)]
    for key in ("PIIs", "verified_piis", "rejected_piis"):
        if key in record:
            record[key] = [str(x) for x in as_list(record[key])]
    if "labels" in record:
        labels = normalise_labels(record["labels"])
        if labels is not None:
            record["labels"] = labels
    return record


def load_results(path: str) -> list[dict]:
    """Read pipeline results: a folder (every ``decision=*`` partition, JSONL and/or Parquet,
    searched recursively) or a single file. Each record gets a ``decision`` field naming its
    door when it can be told from the path."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no results at {path}")
    files = _list_files(path) if os.path.isdir(path) else [path]
    if os.path.isdir(path) and not files:
        raise FileNotFoundError(f"no .jsonl or .parquet result files under {path}")
    out: list[dict] = []
    for file in files:
        door = _door_of(os.path.dirname(file)) or _door_of(file)
        out.extend(normalise_result(row, door) for row in _read_file(file))
    return out


def load_labels(path: str) -> dict[str, dict[str, bool]]:
    """``{recordId: {type: bool}}`` from a JSONL/Parquet file (or a folder of them) of records
    with ``recordId`` and ``labels`` (a dict or a JSON string)."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no labels at {path}")
    files = _list_files(path) if os.path.isdir(path) else [path]
    out: dict[str, dict[str, bool]] = {}
    bad = 0
    for file in files:
        for row in _read_file(file):
            record_id = row.get("recordId")
            labels = normalise_labels(row.get("labels"))
            if not isinstance(record_id, str) or labels is None:
                bad += 1
                continue
            if record_id in out and out[record_id] != labels:
                raise ValueError(f"recordId {record_id!r} appears twice in {path} with different labels")
            out[record_id] = labels
    if bad:
        _LOG.warning("load_labels: skipped %d rows without a recordId or labels", bad)
    return out

"""Clean/attacked twins for the prompt-injection suite, from `injections_extra.yaml`.

Every attack kind is applied to every genuine record at every position (`POSITIONS`), so
each kind meets flags across the whole confidence range, low-confidence ones included. A case
is a record dict (`recordId`, `input`, `PIIs`) plus `clean_input` (the same record without
the attack), `injection_kind`, `injection_position`, `control_tokens` and `base`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

DATA_FILE = Path(__file__).with_name("injections_extra.yaml")
POSITIONS = ("appended", "prefixed", "json_value")


@lru_cache(maxsize=1)
def suite() -> dict[str, Any]:
    """The parsed data file: `kinds` (name -> control_tokens, payloads) and `records`."""
    with open(DATA_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def payloads() -> list[str]:
    """Every attack phrasing of the suite (for the train/test disjointness check)."""
    return [p for kind in suite()["kinds"].values() for p in kind["payloads"]]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _string_paths(obj: Any, path: tuple = ()) -> Iterable[tuple]:
    """Paths to the string values of a JSON object, in document order."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _string_paths(value, path + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _string_paths(value, path + (i,))
    elif isinstance(obj, str):
        yield path


def _with_value(obj: Any, path: tuple, edit) -> Any:
    """A copy of `obj` with the string at `path` replaced by `edit(old)`."""
    if not path:
        return edit(obj)
    copy = dict(obj) if isinstance(obj, dict) else list(obj)
    copy[path[0]] = _with_value(obj[path[0]], path[1:], edit)
    return copy


def attack(record: dict[str, Any], payload: str, position: str) -> tuple[str, str]:
    """(clean input, attacked input) of one record with one payload at one position."""
    if position == "json_value":
        base = record["json"] if "json" in record else {"message": record["text"]}
        return _dumps(base), _dumps({**base, "comment": payload})
    if "text" in record:
        text = record["text"]
        return text, (f"{text}\n{payload}" if position == "appended" else f"{payload}\n{text}")
    obj = record["json"]
    paths = list(_string_paths(obj))
    if position == "appended":
        attacked = _with_value(obj, paths[-1], lambda old: f"{old} {payload}")
    else:
        attacked = _with_value(obj, paths[0], lambda old: f"{payload} {old}")
    return _dumps(obj), _dumps(attacked)


def make_cases(kinds: Iterable[str] | None = None, records: Iterable[str] | None = None) -> list[dict]:
    """Every (kind, position, record) twin; the kind's payloads are taken in turn."""
    data = suite()
    wanted_kinds = set(kinds) if kinds is not None else None
    wanted_records = set(records) if records is not None else None
    cases: list[dict] = []
    for kind, spec in data["kinds"].items():
        if wanted_kinds is not None and kind not in wanted_kinds:
            continue
        turn = 0
        for position in POSITIONS:
            for record in data["records"]:
                if wanted_records is not None and record["id"] not in wanted_records:
                    continue
                payload = spec["payloads"][turn % len(spec["payloads"])]
                turn += 1
                clean, attacked = attack(record, payload, position)
                cases.append({
                    "recordId": f"inj-{kind}-{position}-{record['id']}", "input": attacked,
                    "clean_input": clean, "PIIs": list(record["piis"]), "injection_kind": kind,
                    "injection_position": position, "control_tokens": bool(spec["control_tokens"]),
                    "base": record["id"]})
    return cases

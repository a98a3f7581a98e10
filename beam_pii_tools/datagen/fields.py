"""`$fields`: a number of fields drawn from the field library (`pools/field_library.yaml`),
each genuine (the record's person's value) or not (an empty field, a schema hint, or the
type's own look-alike with the key that brings it). The training-only families build person
records, notes and records about no one from it, so every type meets many contexts.

Styles: `json` and `prose` fields of a person record (genuine when the coin says so and, for
values that may spell the name, only when the record shows the name); `profile` (an
organisation's record: fields without personal values), `aggregate` (counts per field),
`form` (a form template's field definitions) and `faq` (sentences about fields).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.render import RecordRenderer, RMap, RObj, RJoin, RText, key_style
from beam_pii_tools.datagen.values.data import pool

_LIBRARY = "pools/field_library.yaml"
_FORMAT = re.compile(r"\{(\w)\}")
_DECOY_SHARE, _EMPTY_SHARE = 0.55, 0.8  # of one roll: a look-alike, else empty, else a schema hint


@dataclass(frozen=True)
class FieldSpec:
    pii: str
    keys: tuple[Any, ...]
    genuine: Any
    name_bearing: bool
    decoys: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class Library:
    fields: tuple[FieldSpec, ...]
    slots: dict[str, Any]
    empty: tuple[Any, ...]
    schema: tuple[str, ...]


@lru_cache(maxsize=None)
def library() -> Library:
    raw = pool("field_library")
    parser = N.Parser(_LIBRARY, set(raw["slots"]), set())
    slots = {name: parser.node(node) for name, node in raw["slots"].items()}
    specs = []
    for entry in raw["fields"]:
        p = N.Parser(f"{_LIBRARY}: field {entry['type']!r}", set(raw["slots"]), set())
        specs.append(FieldSpec(entry["type"], tuple(p.node(k) for k in entry["keys"]), p.node(entry["genuine"]),
                               bool(entry.get("name_bearing")), tuple((p.node(k), p.node(v)) for k, v in entry.get("decoys", []))))
    return Library(tuple(specs), slots, tuple(raw["empty_values"]), tuple(raw["schema_values"]))


def library_slots() -> dict[str, Any]:
    return library().slots


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _compose(r: RecordRenderer, line: str, values: dict[str, Any]) -> RText:
    """A phrasing from the library (`{k}: {v}`) with resolved nodes in its places."""
    parts: list[Any] = []
    pos = 0
    for m in _FORMAT.finditer(line):
        parts += [line[pos:m.start()], values[m.group(1)]]
        pos = m.end()
    return RText(parts + [line[pos:]])


def _negative(r: RecordRenderer, spec: FieldSpec, prose: bool) -> tuple[Any, Any]:
    """(key, value) of a field of this type without a personal value (value None: blank)."""
    r.false_marks.append(spec.pii)
    roll = r.rng.random()
    if spec.decoys and roll < _DECOY_SHARE:
        key, value = r.rng.choice(spec.decoys)
        return r.resolve(key), r.resolve(value)
    key = r.resolve(r.rng.choice(spec.keys))
    if prose:
        return key, None
    if roll < _EMPTY_SHARE:
        return key, r.rng.choice(library().empty)
    schema = r.rng.choice(library().schema)
    return key, RMap(lambda k, s=schema: s.replace("KEY", k.replace(" ", "_")), key)


def _field(r: RecordRenderer, spec: FieldSpec, named: bool | None, prose: bool) -> tuple[Any, Any]:
    """A person record's field: genuine when allowed and the coin says so (`named` None: never)."""
    allowed = named is not None and (named or not spec.name_bearing)
    if allowed and r.coin():
        return r.resolve(r.rng.choice(spec.keys)), r.resolve(spec.genuine)
    return _negative(r, spec, prose)


def resolve_fields(r: RecordRenderer, node: N.Fields) -> Any:
    specs = r.rng.sample(library().fields, r.rng.randint(*node.n))
    named = r.test(node.named) if node.named else True
    raw = pool("field_library")
    entries: list[tuple[Any, Any]] = []
    lines: list[Any] = []
    for spec in specs:
        with r.frame(fresh=("org",)):
            if node.style in ("json", "profile"):
                key, value = _field(r, spec, named if node.style == "json" else None, prose=False)
                entries.append((RMap(lambda k: key_style(r.style, k), key), value))
            elif node.style == "prose":
                key, value = _field(r, spec, named, prose=True)
                label = RMap(_capital, key)
                blank = value in (None, "")
                line = r.rng.choice(raw["prose_blank"] if blank else raw["prose_lines"])
                lines.append(_compose(r, line, {"k": label, "v": value}))
            elif node.style == "aggregate":
                r.false_marks.append(spec.pii)
                key = r.resolve(r.rng.choice(spec.keys))
                value = RObj([(key_style(r.style, "records"), r.rng.randint(50, 90000)),
                              (key_style(r.style, "share with value"), f"{r.rng.randint(1, 99)}%")])
                entries.append((RMap(lambda k: key_style(r.style, f"{k} breakdown"), key), value))
            elif node.style == "form":
                r.false_marks.append(spec.pii)
                key = r.resolve(r.rng.choice(spec.keys))
                value = RObj([(key_style(r.style, "required"), r.coin(0.5)),
                              (key_style(r.style, "type"), r.rng.choice(raw["form_types"]))])
                entries.append((RMap(lambda k: key_style(r.style, k), key), value))
                if r.coin(0.2):
                    holder = r.resolve(N.Template((N.Call(_placeholder_name(), (), "main"),)))
                    entries.append((key_style(r.style, "example holder"), holder))
            else:  # faq
                r.false_marks.append(spec.pii)
                key = r.resolve(r.rng.choice(spec.keys))
                line = r.rng.choice(raw["faq_lines"])
                numbers = {x: str(r.rng.randint(*span)) for x, span in
                           (("n", (100, 50000)), ("p", (1, 99)), ("y", (1, 10)))}
                lines.append(_compose(r, line, {"k": key, **numbers}))
                if spec.decoys and r.coin(0.5):
                    dkey, dvalue = r.rng.choice(spec.decoys)
                    lines.append(RText([RMap(_capital, r.resolve(dkey)), ": ", r.resolve(dvalue)]))
    if node.style in ("prose", "faq"):
        return RJoin(lines, "\n", skip_empty=True)
    return RObj(entries)


def _placeholder_name() -> Any:
    from beam_pii_tools.datagen.values import GENERATORS

    return GENERATORS["placeholder_name"]

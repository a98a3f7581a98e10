"""The family format's building blocks: a YAML node (a template string, a directive mapping,
a JSON object or list, a literal) parsed once into the classes below, with every mistake
reported by `FamilyError` before anything is rendered. `docs/datagen-families.md` is the
format's reference; `render.py` gives the nodes their meaning.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any, Union

from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values import GENERATORS, Generator


class FamilyError(ValueError):
    """A family file that does not follow the format (names the file and the family)."""


# -- template parts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Call:
    """`{generator:arg:arg@role}`; an argument may list alternatives (`full|first`)."""
    gen: Generator
    args: tuple[str, ...]
    role: str


@dataclass(frozen=True)
class SlotRef:
    """`{slot}` or `{slot.part}`."""
    name: str
    part: str | None


@dataclass(frozen=True)
class KeyRef:
    """`{k:first name}`: a JSON key in the record's key style (alternatives with |)."""
    words: str


@dataclass(frozen=True)
class ItemNumber:
    """`{#}`: the 1-based number of the `$list` or `$repeat` item it is in (a rank, a line)."""


Part = Union[str, Call, SlotRef, KeyRef, ItemNumber]


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]


# -- directives --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cond:
    """A per-record var, possibly negated (`!named`)."""
    var: str
    negate: bool


@dataclass(frozen=True)
class Pick:
    items: tuple["Node", ...]
    weights: tuple[float, ...] | None


@dataclass(frozen=True)
class Field:
    types: tuple[str, ...]          # the first is the field's type; all are marked false on $false
    true: tuple["Node", ...]
    false: tuple["Node", ...]
    p: float | None
    when: Cond | None


@dataclass(frozen=True)
class If:
    cond: Cond
    then: "Node"
    otherwise: "Node | None"


@dataclass(frozen=True)
class Opt:
    p: float
    then: "Node"


@dataclass(frozen=True)
class Repeat:
    """`$list` (a JSON list, `sep` None) or `$repeat` (text joined by `sep`)."""
    item: "Node"
    n: tuple[int, int]
    sep: str | None
    fresh: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    items: tuple["Node", ...]
    n: tuple[int, int]
    sep: str | None


@dataclass(frozen=True)
class Join:
    """`$join` (items joined by `sep`) or `$lines` (non-empty items, one per line)."""
    items: tuple["Node", ...]
    sep: str
    skip_empty: bool = False


@dataclass(frozen=True)
class Decoy:
    """Renders `then` and marks `types` false: a mention of a type without its value (a
    schema's column, a policy's list of what it collects)."""
    types: tuple[str, ...]
    then: "Node"


@dataclass(frozen=True)
class Unless:
    """Renders `then` when no genuine value of `pii` was rendered before it."""
    pii: str
    then: "Node"


@dataclass(frozen=True)
class Fields:
    """`$fields`: fields drawn from the field library (`pools/field_library.yaml`)."""
    n: tuple[int, int]
    style: str
    named: Cond | None


@dataclass(frozen=True)
class Entry:
    key: Template | None  # None: a spread (`...name`) whose object is merged in place
    p: float | None       # a key ending in `?` (0.5) or `?0.3` is present with that probability
    value: "Node"


@dataclass(frozen=True)
class Obj:
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Arr:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Const:
    value: Any  # null, true/false, a number


Node = Union[Template, Pick, Field, If, Opt, Repeat, Sample, Join, Decoy, Unless, Fields, Obj, Arr, Const]
FIELD_STYLES = ("json", "prose", "aggregate", "form", "profile", "faq")

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_OPTIONAL_KEY = re.compile(r"\?(\d*\.?\d+)?$")
_DIRECTIVES = {
    "$pick": {"$weights"}, "$field": {"$true", "$false", "$p", "$when"}, "$if": {"$then", "$else"},
    "$opt": {"$then"}, "$list": {"$n", "$fresh"}, "$repeat": {"$n", "$sep", "$fresh"},
    "$sample": {"$n", "$sep"}, "$join": {"$sep"}, "$lines": set(), "$unless": {"$then"}, "$decoy": {"$then"},
    "$fields": {"$style", "$named"},
}
_REQUIRED = {"$field": {"$true", "$false"}, "$if": {"$then"}, "$opt": {"$then"}, "$unless": {"$then"}, "$decoy": {"$then"},
             "$list": {"$n"}, "$repeat": {"$n"}, "$sample": {"$n"}, "$fields": {"$style"}}


class Parser:
    """Parses one family's nodes; knows its slots and vars to resolve names early."""

    def __init__(self, where: str, slots: set[str], variables: set[str]) -> None:
        self.where = where
        self.slots = slots
        self.vars = variables

    def fail(self, message: str) -> FamilyError:
        return FamilyError(f"{self.where}: {message}")

    # -- templates -----------------------------------------------------------------------------
    def template(self, text: str) -> Template:
        parts: list[Part] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            parts.append(text[pos:m.start()])
            pos = m.end()
            if m.group(0) in ("{{", "}}"):
                parts.append(m.group(0)[0])
                continue
            parts.append(self._placeholder(m.group(1)))
        parts.append(text[pos:])
        merged: list[Part] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            elif part != "":
                merged.append(part)
        return Template(tuple(merged))

    def _placeholder(self, body: str) -> Part:
        if body == "#":
            return ItemNumber()
        if body.startswith("k:"):
            if not body[2:].strip():
                raise self.fail("{k:} needs the key's words")
            return KeyRef(body[2:])
        spec, _, role = body.partition("@")
        head, *args = spec.split(":")
        if "." in head:
            slot, _, part = head.partition(".")
            if slot not in self.slots:
                raise self.fail(f"{{{body}}}: no slot {slot!r}")
            return SlotRef(slot, part)
        if head in self.slots:
            if args or role:
                raise self.fail(f"{{{body}}}: a slot takes no arguments or role")
            return SlotRef(head, None)
        gen = GENERATORS.get(head)
        if gen is None:
            raise self.fail(f"{{{body}}}: no slot or value generator named {head!r}")
        params = list(inspect.signature(gen.fn).parameters.values())[1:]
        required = sum(1 for p in params if p.default is inspect.Parameter.empty)
        if not required <= len(args) <= len(params):
            raise self.fail(f"{{{body}}}: generator {head!r} takes {required} to {len(params)} arguments")
        return Call(gen, tuple(args), role or "main")

    # -- nodes ---------------------------------------------------------------------------------
    def node(self, raw: Any) -> Node:
        if isinstance(raw, str):
            return self.template(raw)
        if raw is None or isinstance(raw, (bool, int, float)):
            return Const(raw)
        if isinstance(raw, list):
            return Arr(tuple(self.node(x) for x in raw))
        if isinstance(raw, dict):
            keys = [str(k) for k in raw]
            directive = [k for k in keys if k.startswith("$") and not k.startswith("$$")]
            if not directive:
                return self._object(raw)
            return self._directive(raw, directive)
        raise self.fail(f"unsupported YAML value {raw!r}")

    def _variants(self, raw: Any) -> tuple[Node, ...]:
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise self.fail("an empty list of variants")
        return tuple(self.node(x) for x in items)

    def cond(self, raw: Any) -> Cond:
        if not isinstance(raw, str) or raw.lstrip("!") not in self.vars:
            raise self.fail(f"{raw!r} is not a var of the family (vars: {sorted(self.vars)})")
        return Cond(raw.lstrip("!"), raw.startswith("!"))

    def _n(self, raw: Any) -> tuple[int, int]:
        lo, hi = (raw, raw) if isinstance(raw, int) else tuple(raw) if isinstance(raw, list) and len(raw) == 2 else (None, None)
        if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo <= hi):
            raise self.fail(f"$n must be a count or [min, max], not {raw!r}")
        return lo, hi

    def _p(self, raw: Any, what: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0.0 <= raw <= 1.0:
            raise self.fail(f"{what} must be a probability, not {raw!r}")
        return float(raw)

    def _type(self, raw: Any) -> str:
        if not isinstance(raw, str) or not raw:
            raise self.fail(f"{raw!r} is not a type name")
        return canonical(raw)

    def _directive(self, raw: dict, directive: list[str]) -> Node:
        head = next((k for k in directive if k in _DIRECTIVES), None)
        if head is None:
            raise self.fail(f"unknown directive {directive[0]!r}")
        extra = set(map(str, raw)) - {head} - _DIRECTIVES[head]
        if extra:
            raise self.fail(f"{head}: unexpected keys {sorted(extra)}")
        missing = _REQUIRED.get(head, set()) - set(raw)
        if missing:
            raise self.fail(f"{head}: missing {sorted(missing)}")
        value = raw[head]
        if head == "$pick":
            items = self._variants(value)
            weights = raw.get("$weights")
            if weights is not None and (not isinstance(weights, list) or len(weights) != len(items)):
                raise self.fail("$weights must give one weight per $pick item")
            return Pick(items, tuple(float(w) for w in weights) if weights else None)
        if head == "$field":
            types = tuple(self._type(t) for t in (value if isinstance(value, list) else [value]))
            return Field(types, self._variants(raw["$true"]), self._variants(raw["$false"]),
                         self._p(raw["$p"], "$p") if "$p" in raw else None,
                         self.cond(raw["$when"]) if "$when" in raw else None)
        if head == "$if":
            return If(self.cond(value), self.node(raw["$then"]), self.node(raw["$else"]) if "$else" in raw else None)
        if head == "$opt":
            return Opt(self._p(value, "$opt"), self.node(raw["$then"]))
        if head in ("$list", "$repeat"):
            fresh = raw.get("$fresh", [])
            if not isinstance(fresh, list) or not all(isinstance(r, str) for r in fresh):
                raise self.fail("$fresh must be a list of roles")
            sep = None if head == "$list" else str(raw.get("$sep", "\n"))
            return Repeat(self.node(value), self._n(raw["$n"]), sep, tuple(fresh))
        if head == "$sample":
            if not isinstance(value, list) or not value:
                raise self.fail("$sample needs a list of items")
            n = self._n(raw["$n"])
            if n[1] > len(value):
                raise self.fail(f"$sample: $n {n[1]} exceeds its {len(value)} items")
            return Sample(tuple(self.node(x) for x in value), n, raw.get("$sep"))
        if head in ("$join", "$lines"):
            if not isinstance(value, list):
                raise self.fail(f"{head} needs a list")
            if head == "$lines":
                return Join(tuple(self.node(x) for x in value), "\n", skip_empty=True)
            return Join(tuple(self.node(x) for x in value), str(raw.get("$sep", "")))
        if head == "$unless":
            return Unless(self._type(value), self.node(raw["$then"]))
        if head == "$decoy":
            types = tuple(self._type(t) for t in (value if isinstance(value, list) else [value]))
            return Decoy(types, self.node(raw["$then"]))
        style = raw["$style"]
        if style not in FIELD_STYLES:
            raise self.fail(f"$fields: $style must be one of {FIELD_STYLES}")
        return Fields(self._n(value), style, self.cond(raw["$named"]) if "$named" in raw else None)

    def _object(self, raw: dict) -> Obj:
        entries = []
        for key, value in raw.items():
            key = str(key)
            if key.startswith("$$"):  # a literal key that starts with $ ("$schema")
                key = key[1:]
            if key.startswith("..."):
                entries.append(Entry(None, None, self.node(value)))
                continue
            p = None
            m = _OPTIONAL_KEY.search(key)
            if m:
                p = self._p(float(m.group(1)) if m.group(1) else 0.5, f"key {key!r}")
                key = key[:m.start()]
            entries.append(Entry(self.template(key), p, self.node(value)))
        return Obj(tuple(entries))

"""Renders one record of a family, in two passes over its nodes.

1. *Resolve* walks the family's nodes with the record's random stream: it draws every
   structural choice (`$pick`, `$field` coins, `$opt`, counts of `$list` items, optional
   keys) and leaves a tree whose leaves are generator calls not yet made.
2. *Evaluate* makes the calls in tree order and assembles the text or JSON.

Resolving first means a value knows what the whole record shows before it is drawn: an email
spells its person's name only when the record also shows that name, whatever the order of
the template. Labels come from the calls (a genuine generator marks its type true, a decoy
false), from `$field` false branches and from the family's `negatives`; every genuine value
must appear in the output, which the builder checks.
"""
from __future__ import annotations

import json
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.values import Value
from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.types import NAME

OMIT = type("Omit", (), {"__repr__": lambda self: "OMIT"})()
_KEY_STYLES = ("snake", "camel", "pascal", "title", "upper", "snake", "camel")
_UNSET = object()


class GenerationError(RuntimeError):
    """A family rendered a label that its output does not support (a bug in the family)."""


# -- the resolved tree -------------------------------------------------------------------------
@dataclass(eq=False)
class RCall:
    gen: Any
    args: tuple[str, ...]
    key: tuple[str, int]
    value: Any = _UNSET


@dataclass(eq=False)
class RSlot:
    node: Any
    part: str | None


@dataclass(eq=False)
class RText:
    parts: list[Any]


@dataclass(eq=False)
class RJoin:
    items: list[Any]
    sep: str
    skip_empty: bool = False


@dataclass(eq=False)
class RMap:
    """Applies `fn` to a resolved node's text at evaluation (key styles, capitals)."""
    fn: Callable[[str], str]
    node: Any


@dataclass(eq=False)
class RObj:
    entries: list[tuple[Any, Any]]  # (key node or None for a spread, value node)


@dataclass(eq=False)
class RList:
    items: list[Any]


@dataclass
class Rendered:
    output: str | dict
    labels: dict[str, bool]
    values: dict[str, list[str]] = field(default_factory=dict)


def key_style(style: str, words: str) -> str:
    """A JSON key in the record's style: "first name" -> first_name, firstName, FirstName,
    First Name or FIRST_NAME."""
    parts = words.split()
    if style == "snake":
        return "_".join(parts)
    if style == "camel":
        return parts[0] + "".join(p.capitalize() for p in parts[1:])
    if style == "pascal":
        return "".join(p.capitalize() for p in parts)
    if style == "title":
        return " ".join(p.capitalize() for p in parts)
    return "_".join(parts).upper()


class RecordRenderer:
    """One record of one family: its random stream, vars, persons and label bookkeeping."""

    def __init__(self, family: Any, rng: random.Random, bias: float,
                 extra_slots: dict[str, Any] | None = None) -> None:
        self.family = family
        self.rng = rng
        self.bias = bias
        self.style = rng.choice(_KEY_STYLES)
        self.slot_nodes = {**(extra_slots or {}), **family.slots}
        self.vars = {name: self.coin(p) for name, p in family.vars.items()}
        self.entities = Entities(rng, family.people, family.companies)
        self.memo: list[dict[str, Any]] = [{}]
        self.scopes: dict[str, int] = {}
        self.item_numbers: list[int] = []
        self.next_scope = 0
        self.calls: list[RCall] = []
        self.false_marks: list[str] = []
        self.genuine_types: set[str] = set()
        self.named: frozenset[tuple[str, int]] = frozenset()

    # -- random --------------------------------------------------------------------------------
    def coin(self, p: float | None = None) -> bool:
        """Every label-deciding coin is shifted by the balance bias, so that a run short of
        positives draws more genuine values (and the other way round)."""
        if p is None:
            p = self.bias
        else:
            p = min(0.95, max(0.05, p + (self.bias - 0.5)))
        return self.rng.random() < p

    def test(self, cond: N.Cond) -> bool:
        return self.vars[cond.var] != cond.negate

    def pick_alternative(self, text: str) -> str:
        return self.rng.choice(text.split("|")) if "|" in text else text

    # -- scopes --------------------------------------------------------------------------------
    @contextmanager
    def frame(self, fresh: tuple[str, ...] = ()) -> Iterator[None]:
        """A list or sample item: slots first used inside it are its own, and the roles in
        `fresh` get new persons and companies."""
        saved = {role: self.scopes.get(role, 0) for role in fresh}
        for role in fresh:
            self.next_scope += 1
            self.scopes[role] = self.next_scope
        self.memo.append({})
        try:
            yield
        finally:
            self.memo.pop()
            self.scopes.update(saved)

    def item(self, node: Any, fresh: tuple[str, ...] = ()) -> Any:
        with self.frame(fresh):
            return self.resolve(node)

    def slot(self, name: str) -> Any:
        for frame in reversed(self.memo):
            if name in frame:
                return frame[name]
        resolved = self.resolve(self.slot_nodes[name])
        self.memo[-1][name] = resolved
        return resolved

    def call(self, gen: Any, args: tuple[str, ...], role: str) -> RCall:
        c = RCall(gen, tuple(self.pick_alternative(a) for a in args), (role, self.scopes.get(role, 0)))
        self.calls.append(c)
        if gen.genuine:
            self.genuine_types.update(gen.marks())
        return c

    # -- pass 1: resolve -----------------------------------------------------------------------
    def resolve(self, node: Any) -> Any:
        if isinstance(node, N.Template):
            return RText([self._part(p) for p in node.parts])
        if isinstance(node, N.Const):
            return node.value
        if isinstance(node, N.Pick):
            chosen = self.rng.choices(node.items, node.weights)[0] if node.weights else self.rng.choice(node.items)
            return self.resolve(chosen)
        if isinstance(node, N.Field):
            return self._field(node)
        if isinstance(node, N.If):
            if self.test(node.cond):
                return self.resolve(node.then)
            return OMIT if node.otherwise is None else self.resolve(node.otherwise)
        if isinstance(node, N.Opt):
            return self.resolve(node.then) if self.coin(node.p) else OMIT
        if isinstance(node, N.Repeat):
            items = []
            for number in range(1, self.rng.randint(*node.n) + 1):
                self.item_numbers.append(number)
                items.append(self.item(node.item, node.fresh))
                self.item_numbers.pop()
            items = [x for x in items if x is not OMIT]
            return RList(items) if node.sep is None else RJoin(items, node.sep)
        if isinstance(node, N.Sample):
            chosen = self.rng.sample(node.items, self.rng.randint(*node.n))
            items = [x for x in map(self.resolve, chosen) if x is not OMIT]
            return RList(items) if node.sep is None else RJoin(items, node.sep)
        if isinstance(node, N.Join):
            return RJoin([x for x in map(self.resolve, node.items) if x is not OMIT], node.sep, node.skip_empty)
        if isinstance(node, N.Decoy):
            self.false_marks.extend(node.types)
            return self.resolve(node.then)
        if isinstance(node, N.Unless):
            return OMIT if node.pii in self.genuine_types else self.resolve(node.then)
        if isinstance(node, N.Fields):
            from beam_pii_tools.datagen.fields import resolve_fields
            return resolve_fields(self, node)
        if isinstance(node, N.Obj):
            return self._object(node)
        if isinstance(node, N.Arr):
            return RList([x for x in map(self.resolve, node.items) if x is not OMIT])
        raise TypeError(f"not a node: {node!r}")

    def _part(self, part: N.Part) -> Any:
        if isinstance(part, str):
            return part
        if isinstance(part, N.KeyRef):
            return key_style(self.style, self.pick_alternative(part.words))
        if isinstance(part, N.SlotRef):
            return RSlot(self.slot(part.name), part.part)
        if isinstance(part, N.ItemNumber):
            return self.item_numbers[-1] if self.item_numbers else 1
        return self.call(part.gen, part.args, part.role)

    def _field(self, node: N.Field) -> Any:
        if node.when is not None:
            genuine = self.test(node.when) and (node.p is None or self.coin(node.p))
        else:
            genuine = self.coin(node.p)
        variant = self.rng.choice(node.true if genuine else node.false)
        resolved = self.resolve(variant)
        if genuine:
            if node.types[0] not in genuine_types_in(resolved):
                raise GenerationError(f"family {self.family.id!r}: a $true branch of field {node.types[0]!r} "
                                      f"rendered no genuine {node.types[0]} value")
        else:
            self.false_marks.extend(node.types)
        return resolved

    def _object(self, node: N.Obj) -> Any:
        entries = []
        for entry in node.entries:
            if entry.p is not None and not self.coin(entry.p):
                continue
            key = None if entry.key is None else self.resolve(entry.key)
            value = self.resolve(entry.value)
            if value is not OMIT:
                entries.append((key, value))
        return RObj(entries)

    # -- pass 2: evaluate ----------------------------------------------------------------------
    def value(self, c: RCall) -> Any:
        if c.value is _UNSET:
            c.value = c.gen.fn(ValueContext(self.entities, c.key, self.named), *c.args)
        return c.value

    def evaluate(self, node: Any, as_json: bool) -> Any:
        if isinstance(node, RText):
            if as_json and len(node.parts) == 1 and isinstance(node.parts[0], int):
                return node.parts[0]
            if as_json and len(node.parts) == 1 and isinstance(node.parts[0], (RCall, RSlot)):
                only = node.parts[0]
                if isinstance(only, RCall):
                    v = self.value(only)
                    return v.text if isinstance(v, Value) else v
                if only.part is None:
                    return self.evaluate(only.node, True)
                return self._slot_part(only)
            return "".join(self.text(p) for p in node.parts)
        if isinstance(node, RJoin):
            texts = (self.text(x) for x in node.items)
            return node.sep.join(t for t in texts if t or not node.skip_empty)
        if isinstance(node, RMap):
            return node.fn(self.text(node.node))
        if isinstance(node, RObj):
            out: dict[str, Any] = {}
            for key, value in node.entries:
                v = self.evaluate(value, True)
                if v is OMIT:
                    continue
                if key is None:
                    for part in (v if isinstance(v, list) else [v]):
                        if not isinstance(part, dict):
                            raise GenerationError(f"family {self.family.id!r}: a spread (...) must give an object")
                        out.update(part)
                else:
                    out[self.text(key)] = v
            return out
        if isinstance(node, RList):
            return [v for v in (self.evaluate(x, True) for x in node.items) if v is not OMIT]
        if isinstance(node, RCall):
            return self.value(node)
        return node  # a constant or OMIT

    def text(self, node: Any) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, RCall):
            return str(self.value(node))
        if isinstance(node, RSlot):
            if node.part is None:
                return self.text(node.node)
            return str(self._slot_part(node))
        if node is OMIT or node is None:
            return ""
        if isinstance(node, int):
            return str(node)
        value = self.evaluate(node, isinstance(node, (RObj, RList)))
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return value if isinstance(value, str) else str(value)

    def _slot_part(self, ref: RSlot) -> Any:
        node = ref.node
        if isinstance(node, RText) and len(node.parts) == 1 and isinstance(node.parts[0], RCall):
            value = self.value(node.parts[0])
            if isinstance(value, Value) and ref.part in value.parts:
                return value.parts[ref.part]
        raise GenerationError(f"family {self.family.id!r}: .{ref.part} of a slot that is not one generator "
                              f"with that part")

    # -- the record ----------------------------------------------------------------------------
    def render(self) -> Rendered:
        resolved = self.resolve(self.family.body)
        self.named = frozenset(c.key for c in self.calls if c.gen.pii == NAME and c.gen.genuine)
        as_json = self.family.kind == "json"
        output = self.evaluate(resolved, as_json) if as_json else self.text(resolved)
        if as_json and not isinstance(output, dict):
            raise GenerationError(f"family {self.family.id!r}: a json family must render an object")
        return Rendered(output, *self._labels(output))

    def _labels(self, output: Any) -> tuple[dict[str, bool], dict[str, list[str]]]:
        labels: dict[str, bool] = {}
        values: dict[str, list[str]] = {}
        for c in self.calls:
            if c.gen.genuine is None:
                continue
            v = self.value(c)
            for pii, part in ((c.gen.pii, None), *c.gen.also):
                if c.gen.genuine:
                    labels[pii] = True
                    text = v.parts[part] if part else (v.text if isinstance(v, Value) else str(v))
                    values.setdefault(pii, []).append(text)
                else:
                    labels.setdefault(pii, False)
        for pii in (*self.false_marks, *self.family.negatives):
            labels.setdefault(pii, False)
        strings = strings_of(output)
        for pii, found in values.items():
            for text in found:
                if not any(text in s for s in strings):
                    raise GenerationError(f"family {self.family.id!r}: a genuine {pii} value is missing "
                                          f"from the output")
        return labels, values


def genuine_types_in(node: Any) -> set[str]:
    """The types that genuine calls in a resolved subtree mark."""
    found: set[str] = set()
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, RCall):
            if x.gen.genuine:
                found.update(x.gen.marks())
        elif isinstance(x, RText):
            stack.extend(x.parts)
        elif isinstance(x, (RSlot, RMap)):
            stack.append(x.node)
        elif isinstance(x, (RJoin, RList)):
            stack.extend(x.items)
        elif isinstance(x, RObj):
            for key, value in x.entries:
                stack.extend([key, value])
    return found


def strings_of(output: Any) -> list[str]:
    """Every string a genuine value may sit in: the text, or a JSON tree's keys and leaves."""
    if isinstance(output, str):
        return [output]
    found: list[str] = []
    stack = [output]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            found.extend(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif x is not None:
            found.append(x if isinstance(x, str) else str(x))
    return found


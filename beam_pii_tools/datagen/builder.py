"""Reads the template families (`beam_pii_tools/datagen/families/*.yaml`), checks them, and
renders records from them.

A family file is a YAML list of families; the format is `docs/datagen-families.md`. Every
mistake is reported before anything is rendered, as a `FamilyError` that names the file and
the family: unknown keys, generators, slots or vars; a type the catalog does not know; a
slot that refers to itself; a `$false` branch that holds a genuine value of its own type.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.nodes import FamilyError, Parser
from beam_pii_tools.datagen.render import Rendered, RecordRenderer
from beam_pii_tools.datagen.type_names import canonical, known
from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values.context import MAIN, countries
from beam_pii_tools.datagen.values.data import SAFE_LOADER, pool

FAMILIES_DIR = Path(__file__).resolve().parent / "families"
SPLITS = ("train", "dev")
KINDS = ("text", "json")
_KEYS = {"id", "kind", "split", "absent", "negatives", "vars", "people", "companies", "slots", "text", "json",
         "training_only"}
_NAME = re.compile(r"[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Family:
    """One template family, parsed and checked."""

    id: str
    kind: str
    split: str
    body: Any
    slots: dict[str, Any]
    vars: dict[str, float]
    people: dict[str, tuple[str, ...]]
    companies: dict[str, str | None]
    absent: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    training_only: bool = False
    source: str = ""


def default_paths() -> list[Path]:
    return sorted(FAMILIES_DIR.glob("*.yaml"))


def load_families(paths: Iterable[str | Path] | None = None) -> list[Family]:
    """Every family of the given files (default: all of `families/`), in file order."""
    return list(_load(tuple(str(p) for p in (default_paths() if paths is None else paths))))


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[Family, ...]:
    families: list[Family] = []
    seen: dict[str, str] = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            try:
                data = yaml.load(fh, Loader=SAFE_LOADER)
            except yaml.YAMLError as exc:
                raise FamilyError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, list):
            raise FamilyError(f"{path}: a family file is a YAML list of families")
        for raw in data:
            family = parse_family(raw, Path(path).name)
            if family.id in seen:
                raise FamilyError(f"{Path(path).name}: family {family.id!r}: id already used in {seen[family.id]}")
            seen[family.id] = Path(path).name
            families.append(family)
    return tuple(families)


def parse_family(raw: Any, source: str) -> Family:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise FamilyError(f"{source}: every family is a mapping with an `id`")
    fid = raw["id"]
    where = f"{source}: family {fid!r}"

    def fail(message: str) -> FamilyError:
        return FamilyError(f"{where}: {message}")

    unknown = set(raw) - _KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    if not _NAME.match(fid):
        raise fail("ids are lower_snake_case")
    kind, split = raw.get("kind"), raw.get("split")
    if kind not in KINDS:
        raise fail(f"kind must be one of {KINDS}")
    if split not in SPLITS:
        raise fail(f"split must be one of {SPLITS}")
    if kind not in raw or ({"text", "json"} - {kind}) & set(raw):
        raise fail(f"a {kind} family has a `{kind}:` body and no other")
    variables = _probabilities(raw.get("vars") or {}, fail)
    slots_raw = raw.get("slots") or {}
    if not isinstance(slots_raw, dict):
        raise fail("slots must be a mapping")
    for name in slots_raw:
        if not isinstance(name, str) or not _NAME.match(name) or name in GENERATORS or name in variables:
            raise fail(f"slot name {name!r} must be lower_snake_case and differ from generators and vars")
    parser = Parser(where, set(slots_raw), set(variables))
    slots = {name: parser.node(node) for name, node in slots_raw.items()}
    family = Family(
        id=fid, kind=kind, split=split, body=parser.node(raw[kind]), slots=slots, vars=variables,
        people=_people(raw.get("people") or {}, fail), companies=_companies(raw.get("companies") or {}, fail),
        absent=_types(raw.get("absent"), fail), negatives=_types(raw.get("negatives"), fail),
        training_only=bool(raw.get("training_only", False)), source=source)
    _check(family, fail)
    return family


def _probabilities(raw: Any, fail: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise fail("vars must map names to probabilities")
    out = {}
    for name, p in raw.items():
        if not isinstance(name, str) or not _NAME.match(name) or isinstance(p, bool) or not isinstance(p, (int, float)) \
                or not 0 <= p <= 1:
            raise fail(f"var {name!r}: a lower_snake_case name and a probability")
        out[name] = float(p)
    return out


def _people(raw: Any, fail: Any) -> dict[str, tuple[str, ...]]:
    known = set(countries()) | {"any", MAIN}
    out = {}
    for role, choice in (raw.items() if isinstance(raw, dict) else [(None, None)]):
        choices = tuple(choice) if isinstance(choice, list) else (choice,)
        if not isinstance(role, str) or not choices or not set(choices) <= known:
            raise fail(f"people: {role!r} must map to a country code, any, main, or a list of them")
        if role == MAIN and MAIN in choices:
            raise fail("people: the main person cannot take the main person's country")
        out[role] = choices
    return out


def _companies(raw: Any, fail: Any) -> dict[str, str | None]:
    sectors = set(pool("companies.sectors"))
    if not isinstance(raw, dict) or not all(s is None or s in sectors for s in raw.values()):
        raise fail(f"companies: map roles to a sector ({sorted(sectors)}) or null")
    return dict(raw)


def _types(raw: Any, fail: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise fail("absent and negatives are lists of type names")
    return tuple(canonical(t) for t in raw)


# -- checks ------------------------------------------------------------------------------------
def _check(family: Family, fail: Any) -> None:
    """Slots that refer to themselves; false branches holding their own type's genuine value;
    type names the catalog does not know."""
    for name in family.slots:
        _no_cycle(family, name, (), fail)
    for node in walk(family, family.body):
        if isinstance(node, N.Field):
            for variant in node.false:
                own = set(node.types) & genuine_types(family, variant)
                if own:
                    raise fail(f"a $false branch of field {node.types[0]!r} holds a genuine {sorted(own)[0]} generator")
        elif isinstance(node, N.Decoy):
            own = set(node.types) & genuine_types(family, node.then)
            if own:
                raise fail(f"a $decoy of {sorted(own)[0]!r} holds a genuine {sorted(own)[0]} generator")
    if any(isinstance(node, N.Fields) for root in [family.body, *family.slots.values()] for node in walk(family, root)):
        from beam_pii_tools.datagen.fields import library_slots

        clash = sorted(set(family.slots) & set(library_slots()))
        if clash:
            raise fail(f"slots {clash} would hide the field library's slots of the same names")
    unknown = [t for t in used_types(family) if not _catalog_has(t)]
    if unknown:
        raise fail(f"types not in the catalog: {unknown}")


def _no_cycle(family: Family, name: str, path: tuple[str, ...], fail: Any) -> None:
    if name in path:
        raise fail(f"slot {name!r} refers to itself ({' -> '.join(path + (name,))})")
    for node in walk(family, family.slots[name], follow_slots=False):
        if isinstance(node, N.Template):
            for part in node.parts:
                if isinstance(part, N.SlotRef):
                    _no_cycle(family, part.name, path + (name,), fail)


def walk(family: Family, node: Any, follow_slots: bool = True, _seen: set[str] | None = None) -> Iterator[Any]:
    """Every node under `node` (through the slots it refers to, each once)."""
    seen = set() if _seen is None else _seen
    stack = [node]
    while stack:
        x = stack.pop()
        yield x
        if isinstance(x, N.Template):
            for part in x.parts:
                if follow_slots and isinstance(part, N.SlotRef) and part.name not in seen:
                    seen.add(part.name)
                    stack.append(family.slots[part.name])
        elif isinstance(x, N.Pick):
            stack.extend(x.items)
        elif isinstance(x, N.Field):
            stack.extend(x.true + x.false)
        elif isinstance(x, (N.If,)):
            stack.extend([x.then] + ([x.otherwise] if x.otherwise is not None else []))
        elif isinstance(x, (N.Opt, N.Unless, N.Decoy)):
            stack.append(x.then)
        elif isinstance(x, N.Repeat):
            stack.append(x.item)
        elif isinstance(x, (N.Sample, N.Join, N.Arr)):
            stack.extend(x.items)
        elif isinstance(x, N.Obj):
            for entry in x.entries:
                stack.extend(([entry.key] if entry.key else []) + [entry.value])


def genuine_types(family: Family, node: Any) -> set[str]:
    """Types that genuine generators anywhere under `node` mark."""
    found: set[str] = set()
    for x in walk(family, node):
        if isinstance(x, N.Template):
            for part in x.parts:
                if isinstance(part, N.Call) and part.gen.genuine:
                    found.update(part.gen.marks())
    return found


def used_types(family: Family) -> list[str]:
    """Every type name the family itself writes (absent, negatives, $field, $unless)."""
    names = list(family.absent) + list(family.negatives)
    for root in [family.body, *family.slots.values()]:
        for x in walk(family, root, follow_slots=False):
            if isinstance(x, N.Field):
                names.extend(x.types)
            elif isinstance(x, N.Unless):
                names.append(x.pii)
            elif isinstance(x, N.Decoy):
                names.extend(x.types)
    return list(dict.fromkeys(names))


@lru_cache(maxsize=None)
def _catalog() -> Any:
    from beam_pii.catalog import Catalog

    return Catalog.default()


def _catalog_has(name: str) -> bool:
    return known(name)


# -- rendering ---------------------------------------------------------------------------------
def render(family: Family, rng: random.Random, bias: float = 0.5) -> Rendered:
    """One record of `family` from `rng`; `bias` shifts every label coin (0.5: none)."""
    from beam_pii_tools.datagen.fields import library_slots

    return RecordRenderer(family, rng, bias, extra_slots=library_slots()).render()


"""Type names in the generator: one canonical name inside, the users' names on the flags.

Families and generators may write any name the catalog resolves (our names, the users' data-
element names, aliases): inside the generator every name is the catalog's canonical name, so
`{card}` (Credit Card Number) and `$field: Card Number` label the same type and a record never
flags one type twice. The flags a record carries are then written as upstream detectors write
them: the users' name for the type (from `beam_pii_tools/data/seed_data_elements.tsv`) more
often than not, our canonical name otherwise. The model's question always names the canonical
type, so the spelling of a flag only decides how reports group it, as it does for users.
"""
from __future__ import annotations

import csv
import random
from functools import lru_cache
from pathlib import Path

SEED_ELEMENTS = Path(__file__).resolve().parents[1] / "data" / "seed_data_elements.tsv"
USERS_NAME_SHARE = 0.6  # how often a type with a users' name is flagged under it


@lru_cache(maxsize=1)
def _catalog():
    from beam_pii.catalog import Catalog

    return Catalog.default()


@lru_cache(maxsize=None)
def canonical(name: str) -> str:
    """The catalog's name for `name` (unchanged when the catalog does not know it, so the
    family check can report it)."""
    entry = _catalog().lookup(name)
    return entry.name if entry is not None else name


def known(name: str) -> bool:
    return _catalog().lookup(name) is not None


@lru_cache(maxsize=1)
def users_names() -> dict[str, tuple[str, ...]]:
    """Canonical type -> the users' data-element names that resolve to it, in file order."""
    out: dict[str, list[str]] = {}
    with open(SEED_ELEMENTS, encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            out.setdefault(canonical(row["name"]), []).append(row["name"])
    return {k: tuple(v) for k, v in out.items()}


def flag_name(rng: random.Random, canonical_name: str) -> str:
    """How an upstream detector flags this type in one record."""
    names = users_names().get(canonical_name)
    if names and rng.random() < USERS_NAME_SHARE:
        return rng.choice(names)
    return canonical_name

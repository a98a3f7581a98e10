"""Checks every category's family test runs the same way: renders of each family, and the
wording a dev family shares with the train families (dev must measure new contexts)."""
from __future__ import annotations

import random
from typing import Any, Sequence

from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.builder import render, walk


def render_families(families: Sequence[Any], per_family: int) -> list[tuple[Any, Any]]:
    """(family, rendered) pairs: `per_family` renders of every family, with the values behind
    the labels; seeded by the family id's length, so a run is repeatable."""
    out = []
    for fam in families:
        rng = random.Random(len(fam.id))
        out.extend((fam, render(fam, rng, 0.5)) for _ in range(per_family))
    return out


def _wording(fam: Any) -> set[str]:
    """The literal passages of a family's templates (at least 15 letters each)."""
    return {part.strip() for root in [fam.body, *fam.slots.values()] for x in walk(fam, root)
            if isinstance(x, N.Template) for part in x.parts
            if isinstance(part, str) and sum(c.isalpha() for c in part) >= 15}


def wording_shared_with_train(families: Sequence[Any]) -> dict[str, set[str]]:
    """Dev family id -> the passages it shares with any train family (only non-empty ones)."""
    train = set().union(*(_wording(f) for f in families if f.split == "train"))
    shared = {f.id: _wording(f) & train for f in families if f.split == "dev"}
    return {k: v for k, v in shared.items() if v}

"""Reads the value pools (`beam_pii_tools/datagen/pools/*.yaml`) once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

POOLS_DIR = Path(__file__).resolve().parent.parent / "pools"
# libyaml's loader when PyYAML has it: the pure-Python one takes seconds for the families.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _pool_file(name: str) -> dict[str, Any]:
    with open(POOLS_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SAFE_LOADER)


def pool(ref: str) -> Any:
    """`pool("contact.role_locals")`: the entry `role_locals` of `pools/contact.yaml`;
    deeper keys follow dots (`people.lookalikes.food`)."""
    file, *keys = ref.split(".")
    try:
        data: Any = _pool_file(file)
    except FileNotFoundError:
        raise KeyError(f"pool {ref!r}: no file pools/{file}.yaml") from None
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            raise KeyError(f"pool {ref!r}: no entry {key!r} in pools/{file}.yaml")
        data = data[key]
    return data

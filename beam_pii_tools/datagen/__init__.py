"""The labelled data generator: template families and value pools as data files.

    from beam_pii_tools.datagen import generate, train_dev
    train, dev = train_dev(generate(n_candidates=4000, seed=13))

`generate` renders records from the families under `families/*.yaml` (default: all but the
training-only ones); each record carries its family's fixed `split`. The format of a family
is `docs/datagen-families.md`. CLI: `python -m beam_pii_tools.datagen --out DIR`.
"""
from __future__ import annotations

from typing import Any

__all__ = ["generate", "load_families", "train_dev", "make_injection_cases", "INJECTION_KINDS", "summarize",
           "write_jsonl", "Family", "FamilyError", "GenerationError"]

_WHERE = {
    "generate": "dataset", "train_dev": "dataset", "summarize": "dataset", "write_jsonl": "dataset",
    "load_families": "builder", "Family": "builder", "FamilyError": "nodes", "GenerationError": "render",
    "make_injection_cases": "injection", "INJECTION_KINDS": "injection",
}


def __getattr__(name: str) -> Any:
    """Lazy: importing the package costs nothing until a name is used."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)

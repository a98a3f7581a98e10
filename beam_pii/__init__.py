"""beam-pii: verify PII detections in Apache Beam with small local LLMs.

Public API:
    VerifyPII, VerifyPIIResult      the composite transform and its three doors
    PIIVerificationModelHandler     the RunInference ModelHandler
    VerifierConfig                  the frozen configuration that travels to workers
    VerifyPIIOptions                pipeline flags
    ReadRecords, WritePartitioned   JSONL/Parquet in, Hive-style partitions out
    Catalog, PIIType                the PII element types

The names are imported on first use, so `beam_pii.inference` (the verifier and its backends)
can be used where Apache Beam is not installed, e.g. on a GPU box measuring a backend alone.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Catalog": "beam_pii.catalog", "PIIType": "beam_pii.catalog",
    "VerifierConfig": "beam_pii.config",
    "PIIVerificationModelHandler": "beam_pii.inference.handler",
    "ReadRecords": "beam_pii.io", "WritePartitioned": "beam_pii.io",
    "VerifyPIIOptions": "beam_pii.options",
    "VerifyPII": "beam_pii.transforms", "VerifyPIIResult": "beam_pii.transforms",
}
__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from beam_pii.catalog import Catalog, PIIType
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.handler import PIIVerificationModelHandler
    from beam_pii.io import ReadRecords, WritePartitioned
    from beam_pii.options import VerifyPIIOptions
    from beam_pii.transforms import VerifyPII, VerifyPIIResult


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'beam_pii' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

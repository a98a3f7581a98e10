"""The LoRA adapter that makes the embedded 135M model a usable verifier.

It ships inside the package (trained by `make train-adapter` with the exact prompt layout used
at inference) and is merged into the base weights at load time: merged inference is faster
than running the adapter beside the base model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")


class AdapterError(RuntimeError):
    """An adapter folder that is missing or corrupt; the message names the file."""


def default_adapter_path() -> Path | None:
    """The packaged adapter folder, or None when the package ships none."""
    folder = Path(str(resources.files("beam_pii") / "data" / "adapter"))
    return folder if (folder / ADAPTER_FILES[0]).is_file() else None


def apply_adapter(model: Any, path: str, *, merge: bool = True) -> Any:
    """Load a peft LoRA adapter onto `model`; merge it unless the base is quantised."""
    folder = Path(path)
    for name in ADAPTER_FILES:
        if not (folder / name).is_file():
            raise AdapterError(f"adapter file missing: {folder / name}")
    try:
        from peft import PeftModel
        wrapped = PeftModel.from_pretrained(model, str(folder), is_trainable=False)
    except Exception as exc:  # peft raises many types for a corrupt file
        raise AdapterError(f"cannot load adapter {folder / ADAPTER_FILES[1]}: {exc}") from exc
    # Unmerged (quantised base): hand back the model with the LoRA layers injected in place,
    # not the PeftModel wrapper, so the backend calls the same forward as for every model.
    return wrapped.merge_and_unload() if merge else wrapped.base_model.model


THRESHOLD_FILE = "beam_pii_threshold.json"
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class ThresholdPolicy:
    """Thresholds calibrated with an adapter: one per catalog sensitivity where training chose
    a stricter one (high/critical types held to a higher recall on the calibration slice,
    hence a lower threshold), `default` for the rest.

    A flag whose name the catalog does not know gets the lowest threshold of the policy:
    beam-pii cannot tell how sensitive it is, so it is held to the strictest recall."""

    default: float = 0.5
    by_sensitivity: Mapping[str, float] = field(default_factory=dict)

    def for_sensitivity(self, sensitivity: str | None) -> float:
        if sensitivity is None:
            return min([self.default, *self.by_sensitivity.values()])
        return self.by_sensitivity.get(sensitivity, self.default)

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.default, "thresholds_by_sensitivity": dict(self.by_sensitivity)}


def adapter_thresholds(path: str | None) -> ThresholdPolicy:
    """The thresholds calibrated when the adapter was trained (0.5 for all when none were)."""
    if not path:
        return ThresholdPolicy(DEFAULT_THRESHOLD)
    file = Path(path) / THRESHOLD_FILE
    if not file.is_file():
        return ThresholdPolicy(DEFAULT_THRESHOLD)
    import json
    try:
        document = json.loads(file.read_text())
        by_sensitivity = {str(k): float(v) for k, v in
                          (document.get("thresholds_by_sensitivity") or {}).items()}
        policy = ThresholdPolicy(float(document["threshold"]), by_sensitivity)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AdapterError(f"corrupt threshold file {file}: {exc}") from exc
    for value in (policy.default, *policy.by_sensitivity.values()):
        if not 0.0 <= value <= 1.0:
            raise AdapterError(f"corrupt threshold file {file}: threshold {value} outside [0, 1]")
    return policy


def adapter_threshold(path: str | None) -> float:
    """The default threshold calibrated when the adapter was trained (0.5 when none was)."""
    return adapter_thresholds(path).default

"""The LoRA adapter that makes the embedded 135M model a usable verifier.

It ships inside the package (trained by `make train-adapter` with the exact prompt layout used
at inference) and is merged into the base weights at load time: merged inference is faster
than running the adapter beside the base model.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

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


def adapter_threshold(path: str | None) -> float:
    """The threshold calibrated on dev when the adapter was trained (0.5 when none was)."""
    if not path:
        return DEFAULT_THRESHOLD
    file = Path(path) / THRESHOLD_FILE
    if not file.is_file():
        return DEFAULT_THRESHOLD
    import json
    try:
        return float(json.loads(file.read_text())["threshold"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AdapterError(f"corrupt threshold file {file}: {exc}") from exc
